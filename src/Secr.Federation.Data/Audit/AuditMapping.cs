using System.Text.Json;
using System.Text.Json.Serialization;
using Secr.Federation.Core.Audit;

namespace Secr.Federation.Data.Audit;

internal static class AuditMapping
{
    public static AuditEntity ToEntity(this AuditRecord r) => new()
    {
        Timestamp = r.Timestamp,
        Outcome = r.Outcome,
        ReasonCode = r.ReasonCode,
        Reason = r.Reason,
        Action = r.Action,
        IdentityType = r.IdentityType,
        IdentityId = r.IdentityId,
        IdentityName = r.IdentityName,
        Binding = r.Binding,
        ActorType = r.ActorType,
        ActorId = r.ActorId,
        ActorName = r.ActorName,
        Project = r.Project,
        Environment = r.Environment,
        Permission = r.Permission,
        Keys = r.Keys,
        SourceIssuer = r.SourceIssuer,
        SourceSubject = r.SourceSubject,
        ClientIp = r.ClientIp,
        UserAgent = r.UserAgent,
        RequestId = r.RequestId,
        TokenId = r.TokenId,
        TokenExpiresAt = r.TokenExpiresAt,
        Run = r.Run,
        Lineage = r.Lineage is null ? null : JsonSerializer.Serialize(r.Lineage, LineageJson.Default.IReadOnlyDictionaryStringString),
        DpopKey = r.DpopKey,
        Sequence = r.Sequence,
        PreviousHash = r.PreviousHash,
        Hash = r.Hash,
        ChainVersion = r.ChainVersion,
    };

    public static AuditRecord ToDomain(this AuditEntity e) => new()
    {
        Id = e.Id,
        Timestamp = e.Timestamp,
        Outcome = e.Outcome,
        ReasonCode = e.ReasonCode,
        Reason = e.Reason,
        Action = e.Action,
        IdentityType = e.IdentityType,
        IdentityId = e.IdentityId,
        IdentityName = e.IdentityName,
        Binding = e.Binding,
        ActorType = e.ActorType,
        ActorId = e.ActorId,
        ActorName = e.ActorName,
        Project = e.Project,
        Environment = e.Environment,
        Permission = e.Permission,
        Keys = e.Keys,
        SourceIssuer = e.SourceIssuer,
        SourceSubject = e.SourceSubject,
        ClientIp = e.ClientIp,
        UserAgent = e.UserAgent,
        RequestId = e.RequestId,
        TokenId = e.TokenId,
        TokenExpiresAt = e.TokenExpiresAt,
        Run = e.Run,
        Lineage = e.Lineage is null ? null : JsonSerializer.Deserialize(e.Lineage, LineageJson.Default.IReadOnlyDictionaryStringString),
        DpopKey = e.DpopKey,
        Sequence = e.Sequence,
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
        ChainVersion = e.ChainVersion,
    };
}

/// <summary>The lineage column's JSON, source-generated: it is written with every record of a job's token.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class LineageJson : JsonSerializerContext;
