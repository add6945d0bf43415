using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Server.Admin;

/// <summary>The audit log: every admission attempt and admin change, newest first, filterable and paged by <c>before</c>; <c>after</c> reads forward, oldest first, for a live tail.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async Task<Results<Ok<IReadOnlyList<AuditRecord>>, ValidationProblem>> ([AsParameters] AuditFilter filter, long? before, long? after, int? limit, IAuditReader reader, IdentityKinds kinds, CancellationToken ct) =>
        {
            var query = filter.ToQuery(before, after, limit ?? AuditQuery.DefaultLimit);
            return query.Validate(kinds) is { Count: > 0 } errors
                ? ProblemResults.Invalid(errors)
                : TypedResults.Ok(await reader.QueryAsync(query, ct));
        }).WithTags("Audit");

        api.MapGet("/audit/verify", async (AuditChainStore chain, CancellationToken ct) => TypedResults.Ok(await chain.VerifyAsync(ct))).WithTags("Audit");

        // JSON lines, one chained record each, in order: what `secr audit verify --file` checks offline.
        api.MapGet("/audit/export", async (long? from, AuditChainStore chain, HttpContext http, IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            if (from is < 1)
            {
                await ProblemResults.Invalid("from", "must be a sequence number of 1 or more").ExecuteAsync(http);
                return;
            }

            http.Response.ContentType = "application/x-ndjson";
            await foreach (var record in chain.ReadAsync(from ?? 1, ct))
            {
                await JsonSerializer.SerializeAsync(http.Response.Body, record, json.Value.SerializerOptions, ct);
                await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
            }
        }).WithTags("Audit")
            // It streams the chain as newline-delimited JSON, one audit record per line, so it declares what it answers.
            .Produces<AuditRecord>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesValidationProblem();
        return api;
    }
}
