using System.Globalization;
using OpenIddict.Abstractions;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Turns a token request of any supported grant into an <see cref="AdmissionRequest"/>. Scope values:
/// <c>binding:NAME</c> picks the binding when several match; <c>secrets:read</c> narrows a read_write identity to read.
/// <c>expires_in</c> (seconds) asks for a shorter lifetime.
/// </summary>
public static class TokenRequestReader
{
    public const string TokenExchange = OpenIddictConstants.GrantTypes.TokenExchange;
    public const string MachineTokenGrant = "urn:secr:params:oauth:grant-type:machine-token";
    public const string AgentTokenGrant = "urn:secr:params:oauth:grant-type:agent-token";

    /// <summary>The parameter carrying the credential in the machine-token and agent-token grants.</summary>
    public const string TokenParameter = "token";

    public const string BindingScopePrefix = "binding:";
    public const string ReadScope = "secrets:read";
    public const string WriteScope = "secrets:write";

    public static readonly string[] SubjectTokenTypes =
    [
        "urn:ietf:params:oauth:token-type:jwt",
        "urn:ietf:params:oauth:token-type:id_token",
    ];

    public static bool Handles(OpenIddictRequest request) => request.GrantType is TokenExchange or MachineTokenGrant or AgentTokenGrant;

    public static AdmissionRequest Read(OpenIddictRequest request, AdmissionClient client)
    {
        string? binding = null;
        Permission? permission = null;
        AdmissionRefusal? error = null;
        foreach (var scope in request.GetScopes())
        {
            if (scope.StartsWith(BindingScopePrefix, StringComparison.Ordinal) && binding is null && scope.Length > BindingScopePrefix.Length)
            {
                binding = scope[BindingScopePrefix.Length..];
            }
            else if (scope is ReadScope or WriteScope)
            {
                permission = scope == WriteScope || permission == Permission.ReadWrite ? Permission.ReadWrite : Permission.Read;
            }
            else
            {
                error ??= Refusals.Create(RefusalCode.RequestScope, $"unknown scope value '{(scope.Length > 64 ? scope[..64] : scope)}'");
            }
        }

        TimeSpan? lifetime = null;
        if (request["expires_in"] is { } expiresIn)
        {
            if (long.TryParse((string?)expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86400)
            {
                lifetime = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                error ??= Refusals.Create(RefusalCode.RequestLifetime, "expires_in is not a whole number of seconds between 1 and 86400");
            }
        }

        var (kind, credential) = request.GrantType switch
        {
            MachineTokenGrant => (CredentialKind.MachineToken, (string?)request[TokenParameter]),
            AgentTokenGrant => (CredentialKind.AgentToken, (string?)request[TokenParameter]),
            _ => (CredentialKind.WorkloadJwt, request.SubjectToken),
        };

        if (kind == CredentialKind.WorkloadJwt && !SubjectTokenTypes.Contains(request.SubjectTokenType, StringComparer.Ordinal))
        {
            error ??= Refusals.Create(RefusalCode.SubjectTokenType, $"subject_token_type '{request.SubjectTokenType}' is not supported");
        }

        return new AdmissionRequest
        {
            Kind = kind,
            GrantType = request.GrantType!,
            Credential = credential,
            Client = client,
            RequestedIdentity = binding,
            RequestedPermission = permission,
            RequestedLifetime = lifetime,
            RequestError = error,
        };
    }
}
