using System.Globalization;
using OpenIddict.Abstractions;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// Turns a token request of any registered kind's grant into an <see cref="AdmissionRequest"/>; the kind reads its own credential. Scope values:
/// <c>binding:NAME</c> picks the binding when several match; <c>secrets:read</c> narrows a read_write identity to read.
/// <c>expires_in</c> (seconds) asks for a shorter lifetime.
/// </summary>
public sealed class TokenRequestReader(IdentityKinds kinds)
{
    public const string BindingScopePrefix = "binding:";
    public const string ReadScope = "secrets:read";
    public const string WriteScope = "secrets:write";

    /// <summary>Whether a registered identity kind takes this grant; any other grant is OpenIddict's to refuse.</summary>
    public bool Handles(OpenIddictRequest request) => kinds.ForGrantType(request.GrantType) is not null;

    public AdmissionRequest Read(OpenIddictRequest request, AdmissionClient client)
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

        var kind = kinds.ForGrantType(request.GrantType) ?? throw new InvalidOperationException($"no identity kind takes the grant '{request.GrantType}'");
        var (credential, credentialError) = kind.ReadCredential(name => (string?)request[name]);
        error ??= credentialError;

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
