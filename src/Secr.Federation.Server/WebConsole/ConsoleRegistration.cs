using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Secr.Federation.Data;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.WebConsole.Sessions;
using Secr.Federation.Server.Hosting;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// The admin console at <c>/console</c>: server-rendered Razor Pages in this host, calling the same domain services
/// (and so the same audited changes) as the admin API. No script or style comes from anywhere but this server.
/// </summary>
public static class ConsoleRegistration
{
    public const string Path = "/console";

    /// <param name="issuer">
    /// The server's public URL. When it is https (every deployment but a loopback one) the session cookie is always
    /// Secure, even where TLS ends at a proxy in front; on a loopback http issuer it follows the request.
    /// </param>
    public static void AddSecrConsole(this IServiceCollection services, Uri issuer)
    {
        var secure = issuer.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/WebConsole/Pages";
            pages.Conventions.AuthorizeFolder("/", ConsoleSession.Policy);
            pages.Conventions.AllowAnonymousToPage("/Login");
            pages.Conventions.AddFolderApplicationModelConvention("/", page => page.EndpointMetadata.Add(EndpointRoleMetadata.For(EndpointRoles.ConsolePage)));
            // The sign-in takes an admin's personal token: a wrong one spends from the address's failure budget.
            pages.Conventions.AddPageApplicationModelConvention("/Login", page => page.EndpointMetadata.Add(EndpointRoleMetadata.For(EndpointRoles.AdminCredential)));
        });

        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = "secr_console";
            cookie.Cookie.Path = Path;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = secure;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = ConsoleSession.Lifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = Path + "/login";
            cookie.AccessDeniedPath = Path + "/login";
            cookie.Events = new CookieAuthenticationEvents { OnValidatePrincipal = ConsoleSession.ValidateAsync };
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleSession.Policy, policy =>
            policy.AddAuthenticationSchemes(ConsoleSession.Scheme).RequireAuthenticatedUser().RequireRole("admin"));

        // Sessions and CSRF tokens are sealed with a key ring every node shares, itself sealed under the master key.
        services.AddDataProtection().SetApplicationName("secr-federation-console");
        services.AddOptions<KeyManagementOptions>().Configure<IDbContextFactory<SecrDbContext>, MasterKey>((keys, contexts, masterKey) =>
        {
            keys.XmlRepository = new DatabaseKeyRepository(contexts);
            keys.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey);
        });

        // Every change is a form POST carrying this token (Razor Pages validate it); the SameSite=Strict cookie is a second wall.
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "secr_console_csrf";
            antiforgery.Cookie.Path = Path;
            // Antiforgery refuses to run at all on an http request with Always, which a proxy that ends TLS makes every request.
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "__csrf";
        });
    }

    public static WebApplication UseSecrConsole(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (http.Is(EndpointRoles.ConsolePage))
            {
                SetHeaders(http.Response.Headers);
            }

            return next(http);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = new EmbeddedFileProvider(typeof(ConsoleRegistration).Assembly, "Secr.Federation.Server.wwwroot.console"),
            OnPrepareResponse = file => SetHeaders(file.Context.Response.Headers),
        });
        return app;
    }

    /// <summary>Pages show identities, findings and the audit: never cached, never framed, scripts and styles from here only; its assets are served alike.</summary>
    private static void SetHeaders(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
