using Microsoft.AspNetCore;
using Secr.Federation.Server.Hosting;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Secr.Federation.Server.TokenEndpoint;

/// <summary>
/// OpenIddict's own extraction of the token request from its form, in place of the built-in handler, with what that
/// handler lets escape answered as the client's error rather than a 500. ASP.NET's form reader throws on a NUL
/// (<c>%00</c>), on more fields or longer names than <c>FormOptions</c> allows, and on a charset .NET will not
/// decode (UTF-7); it refuses a Content-Type that passes OpenIddict's prefix check without being a form media type
/// (<c>application/x-www-form-urlencodedX</c>). Those, and a NUL sent as a raw byte (PostgreSQL cannot store it, so
/// no stage after this may see one), are an audited RFC 6749 <c>invalid_request</c>, 400. A chunked body cut off at
/// the size limit gets the same audited 413 as one whose Content-Length is too large (<see cref="TokenRequestSizeLimit"/>).
/// A well-formed request pays for a try block and a look at its few fields.
/// </summary>
public sealed class ExtractTokenForm : IOpenIddictServerHandler<ExtractTokenRequestContext>
{
    private static readonly OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext> BuiltIn = new();

    /// <summary>Where the built-in handler ran; ServiceRegistration removes that one.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractTokenRequestContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<ExtractTokenForm>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ExtractTokenRequestContext context)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext
            ?? throw new InvalidOperationException("The token endpoint runs only under ASP.NET Core.");
        string? malformed;
        try
        {
            await BuiltIn.HandleAsync(context);
            // Extracted means read: Form is the cached collection, not a second read.
            malformed = context.Request is not null && HasNul(http.Request.Form) ? "the form has a NUL character (U+0000)" : null;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, http, StatusCodes.Status413PayloadTooLarge, EdgeRefusal.TooLargeCode, TokenRequestSizeLimit.Description,
                $"the chunked request body went over the limit of {TokenRequestSizeLimit.MaxBodyBytes} bytes");
            return;
        }
        catch (InvalidDataException e)
        {
            // The form reader's own words name the limit or the character class, never the body's content.
            malformed = $"the form reader refused the body: {e.Message}";
        }
        catch (NotSupportedException)
        {
            malformed = "the Content-Type names a charset this server does not decode";
        }
        catch (InvalidOperationException) when (!http.Request.HasFormContentType)
        {
            malformed = "the Content-Type is not a form media type";
        }

        if (malformed is not null)
        {
            await RefuseAsync(context, http, StatusCodes.Status400BadRequest, EdgeRefusal.MalformedCode,
                "The request body is not a well-formed application/x-www-form-urlencoded form in UTF-8.", malformed);
        }
    }

    private static async Task RefuseAsync(ExtractTokenRequestContext context, HttpContext http, int status, string code, string description, string reason)
    {
        await TokenEndpointRefusal.WriteAsync(http, status, code, description, reason);
        context.HandleRequest();
    }

    private static bool HasNul(IFormCollection form)
    {
        foreach (var (name, values) in form)
        {
            if (name.Contains('\0', StringComparison.Ordinal))
            {
                return true;
            }

            foreach (var value in values)
            {
                if (value?.Contains('\0', StringComparison.Ordinal) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
