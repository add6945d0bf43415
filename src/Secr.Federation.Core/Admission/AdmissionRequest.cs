using System.Net;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Admission;

/// <summary>
/// Who is calling, as the transport saw it (the host caps the user agent before it gets here). <paramref name="DpopKey"/>
/// is the RFC 7638 thumbprint of the key the request proved it holds with a valid DPoP proof (RFC 9449); null for a
/// bearer request.
/// </summary>
public sealed record AdmissionClient(IPAddress? Ip, string? UserAgent, string RequestId, string? DpopKey = null);

/// <summary>A credential presented for admission, with what the caller asks for. Requests may only narrow a grant.</summary>
public sealed record AdmissionRequest
{
    /// <summary>The kind whose credential this is, chosen by the grant type (or, at the secrets API, by the credential's prefix).</summary>
    public required IIdentityKind Kind { get; init; }
    public required string GrantType { get; init; }
    public required string? Credential { get; init; }
    public required AdmissionClient Client { get; init; }

    /// <summary>The identity the caller picks when its credential matches several (e.g. <c>scope=binding:deploy</c>).</summary>
    public string? RequestedIdentity { get; init; }

    public Permission? RequestedPermission { get; init; }
    public TimeSpan? RequestedLifetime { get; init; }

    /// <summary>
    /// False when the credential is used directly for an operation (a raw machine token at the secrets API): the
    /// operation's own audit record, allowed or refused, then covers the admission.
    /// </summary>
    public bool RecordAdmission { get; init; } = true;

    /// <summary>
    /// The project the credential is used on, when the operation names one (the secrets API): the identity guards
    /// (project IP allowlist, freeze) are checked against it. Otherwise the identity's own project.
    /// </summary>
    public string? Project { get; init; }

    /// <summary>A problem found in the request itself (e.g. an unknown scope), refused and audited like any other.</summary>
    public AdmissionRefusal? RequestError { get; init; }

    /// <summary>
    /// A DPoP proof sent with the request that failed its checks (RFC 9449 §4.3). Refused once the credential has
    /// resolved, so the audit names the identity whose token request carried it.
    /// </summary>
    public AdmissionRefusal? ProofError { get; init; }

    /// <summary>
    /// The use only gives access up (the holder revoking the tokens issued from its credential, RFC 7009). It is held
    /// to every guard but <c>require-dpop</c>, which protects what a credential reaches, not what it can give up: a
    /// raw agent token can never prove a key, and its holder must still be able to revoke.
    /// </summary>
    public bool GivesUpAccess { get; init; }

    /// <summary>
    /// A kind's own credential used directly rather than traded at the token endpoint (a raw machine or agent token at
    /// the secrets API or the revocation endpoint): admitted as its grant would be, and audited by the operation.
    /// </summary>
    public static AdmissionRequest DirectUse(IIdentityKind kind, string credential, AdmissionClient client, string? project = null) => new()
    {
        Kind = kind,
        GrantType = kind.GrantType,
        Credential = credential,
        Client = client,
        RecordAdmission = false,
        Project = project,
    };
}
