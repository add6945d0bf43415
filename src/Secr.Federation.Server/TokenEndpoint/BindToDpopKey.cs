using System.Security.Claims;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using Microsoft.AspNetCore.Http.Extensions;
using OpenIddict.Server;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Dpop;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// RFC 9449 at the token endpoint: a grant request that carries a <c>DPoP</c> proof gets an access token bound to the
/// proof's key (<c>cnf.jkt</c>, added by <see cref="AttachDpopConfirmation"/>), answered with <c>token_type</c> <c>DPoP</c>
/// (<see cref="AttachDpopTokenType"/>). The proof is checked before admission, which takes its outcome: the key it
/// proved (<see cref="AdmissionClient.DpopKey"/>, which the <c>require-dpop</c> policy and the audit read), or why a bad
/// or replayed proof is refused (<see cref="AdmissionRequest.ProofError"/>: <c>invalid_dpop_proof</c>, §5, audited under
/// the identity). A missing nonce is challenged at once (§8), a protocol step rather than a refusal. A request without
/// a proof gets a bearer token, unless <c>require-dpop</c> covers its identity.
/// OpenIddict 7.8 has no DPoP support of its own (its proof of possession is mTLS only), hence this handler.
/// </summary>
public sealed class BindToDpopKey(DpopProofCheck proofs, DpopNonces nonces, TokenRequestReader reader)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public const string Header = "DPoP";
    public const string NonceHeader = "DPoP-Nonce";

    /// <summary>The transaction property that carries the proof's key thumbprint to admission, the sign-in and the response.</summary>
    public const string ThumbprintProperty = "secr.dpop_jkt";

    /// <summary>The transaction property that carries a refused proof's <see cref="AdmissionRefusal"/> to admission.</summary>
    public const string ProofErrorProperty = "secr.dpop_error";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<BindToDpopKey>()
            .SetOrder(AdmitTokenRequest.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (!reader.Handles(context.Request) || context.Transaction.GetHttpRequest() is not { } request || request.Headers[Header] is not { Count: > 0 } sent)
        {
            return;
        }

        var checkedProof = await proofs.CheckAsync(sent, new DpopRequest(request.Method, new Uri(request.GetEncodedUrl())), request.HttpContext.RequestAborted);
        if (checkedProof.NonceRequired)
        {
            // RFC 9449 §8: the client makes the proof again with this nonce and retries.
            request.HttpContext.Response.Headers[NonceHeader] = nonces.Current();
            context.Reject(error: DpopErrors.UseNonce, description: checkedProof.Error);
            return;
        }

        if (checkedProof.Proof is not { } proof)
        {
            context.Transaction.Properties[ProofErrorProperty] = Refusals.Create(RefusalCode.DpopProofInvalid, checkedProof.Error!, checkedProof.Error);
            return;
        }

        context.Transaction.Properties[ThumbprintProperty] = proof.Thumbprint;
    }
}

/// <summary>
/// Binds the access token to the proof's key: <c>cnf</c> <c>{"jkt": thumbprint}</c> (RFC 9449 §6.1). Added once
/// OpenIddict has prepared the access token's principal, which keeps its own confirmation claim (mTLS) to itself.
/// </summary>
public sealed class AttachDpopConfirmation : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<AttachDpopConfirmation>()
            .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.AccessTokenPrincipal?.Identity is ClaimsIdentity identity &&
            context.Transaction.Properties.GetValueOrDefault(BindToDpopKey.ThumbprintProperty) is string thumbprint)
        {
            identity.SetClaim(AccessTokenClaims.Confirmation, new Dictionary<string, string?> { [AccessTokenClaims.KeyThumbprint] = thumbprint });
        }

        return default;
    }
}

/// <summary>A DPoP-bound access token is answered with <c>token_type</c> <c>DPoP</c> (RFC 9449 §5), so the client presents it so.</summary>
public sealed class AttachDpopTokenType(DpopNonces nonces) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<AttachDpopTokenType>()
            .SetOrder(AttachRefusalDetails.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.AccessToken is not null && context.Transaction.Properties.ContainsKey(BindToDpopKey.ThumbprintProperty))
        {
            context.Response.TokenType = BindToDpopKey.Header;
            if (nonces.Demanded is not null && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
            {
                // The nonce for the client's next proofs, at the secrets API (RFC 9449 §8.2).
                response.Headers[BindToDpopKey.NonceHeader] = nonces.Current();
            }
        }

        return default;
    }
}
