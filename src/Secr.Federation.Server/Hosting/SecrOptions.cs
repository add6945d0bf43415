using System.ComponentModel.DataAnnotations;
using Secr.Federation.Core.Common;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Keys;
using Secr.Federation.Server.Storage;

namespace Secr.Federation.Server.Hosting;

/// <summary>The <c>Secr</c> configuration section (appsettings, <c>Secr__...</c> environment variables, command line).</summary>
public sealed class SecrOptions : IValidatableObject, ISettings<SecrOptions>
{
    public static string Section => "Secr";

    /// <summary>Where the embedded database, the master key file and the bootstrap admin token live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The public issuer URL; behind a proxy it differs from the bound address. Also the default audience of subject tokens.</summary>
    [Required]
    public string Issuer { get; set; } = "http://localhost:8080";

    /// <summary>The audience of the access tokens this server issues (the resource servers that accept them).</summary>
    [Required]
    public string AccessTokenAudience { get; set; } = "secr";

    /// <summary>The first admin credential, for automation; without it one is generated and written to the data directory.</summary>
    public string? BootstrapAdminToken { get; set; }

    /// <summary>The email of the bootstrap admin user, who holds the bootstrap admin token.</summary>
    [Required]
    [EmailAddress]
    public string BootstrapAdminEmail { get; set; } = "admin@localhost";

    /// <summary>Base64 of 32 bytes; without it a key file is generated in the data directory (0600).</summary>
    public string? MasterKey { get; set; }

    public SigningSettings Signing { get; set; } = new();

    public DatabaseSettings Database { get; set; } = new();

    public DevelopmentSettings Development { get; set; } = new();

    public AlertSettings Alerts { get; set; } = new();

    public AuditSettings Audit { get; set; } = new();

    public JobSettings Jobs { get; set; } = new();

    public EventSettings Events { get; set; } = new();

    public NetworkSettings Network { get; set; } = new();

    /// <summary>The data annotations and <see cref="Validate"/>, as messages.</summary>
    public IEnumerable<string> Errors()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        return problems.Select(p => p.ErrorMessage!);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || issuer.Query.Length > 0 || issuer.Fragment.Length > 0)
        {
            yield return new ValidationResult("Secr:Issuer must be an absolute URL without query or fragment", [nameof(Issuer)]);
        }
        else if (issuer.Scheme != Uri.UriSchemeHttps && !issuer.IsLoopback)
        {
            yield return new ValidationResult("Secr:Issuer must use https unless it is a loopback address", [nameof(Issuer)]);
        }

        if (BootstrapAdminToken is { Length: > 0 and < 32 })
        {
            yield return new ValidationResult("Secr:BootstrapAdminToken must have at least 32 characters", [nameof(BootstrapAdminToken)]);
        }

        if (MasterKey is { Length: > 0 } && !(Convert.TryFromBase64String(MasterKey, new byte[32], out var length) && length == 32))
        {
            yield return new ValidationResult("Secr:MasterKey must be the base64 encoding of exactly 32 bytes", [nameof(MasterKey)]);
        }

        if (Signing.Algorithm is not ("ES256" or "RS256"))
        {
            yield return new ValidationResult("Secr:Signing:Algorithm must be ES256 or RS256", ["Signing.Algorithm"]);
        }

        if (Database.Provider is not (DatabaseSettings.Sqlite or DatabaseSettings.Postgres or DatabaseSettings.SqlServer))
        {
            yield return new ValidationResult("Secr:Database:Provider must be sqlite, postgres or sqlserver", ["Database.Provider"]);
        }
        else if (Database.Provider != DatabaseSettings.Sqlite && string.IsNullOrWhiteSpace(Database.ConnectionString))
        {
            yield return new ValidationResult($"Secr:Database:ConnectionString is required for the {Database.Provider} provider", ["Database.ConnectionString"]);
        }

        if (Signing.RefreshSeconds is < 1 or > 300 || Signing.ActivationDelaySeconds is < 0)
        {
            yield return new ValidationResult("Secr:Signing:RefreshSeconds must be between 1 and 300, ActivationDelaySeconds not negative", ["Signing"]);
        }

        if (Signing.RotationDays is < 1 or > 365)
        {
            yield return new ValidationResult("Secr:Signing:RotationDays must be between 1 and 365", ["Signing.RotationDays"]);
        }
        else if (Signing.PrePublishHours < 0 || Signing.PrePublishHours >= Signing.RotationDays * 24)
        {
            yield return new ValidationResult("Secr:Signing:PrePublishHours must be at least 0 and shorter than the rotation period", ["Signing.PrePublishHours"]);
        }

        if (Events.DeliveryIntervalSeconds is < 1 or > 3600 || Events.RetryHours is < 1 or > 720)
        {
            yield return new ValidationResult("Secr:Events:DeliveryIntervalSeconds must be between 1 and 3600, RetryHours between 1 and 720", ["Events"]);
        }

        if (Audit.RetentionDays is < 0 or > 36_500)
        {
            yield return new ValidationResult("Secr:Audit:RetentionDays must be 0 (keep every record) or a number of days up to 36500", ["Audit.RetentionDays"]);
        }

        if (Jobs.IntervalSeconds is < 1 or > 86_400)
        {
            yield return new ValidationResult("Secr:Jobs:IntervalSeconds must be between 1 and 86400", ["Jobs.IntervalSeconds"]);
        }

        foreach (var error in Network.Errors())
        {
            yield return new ValidationResult(error, ["Network"]);
        }
    }
}

public sealed class SigningSettings
{
    /// <summary>ES256 (default) or RS256.</summary>
    public string Algorithm { get; set; } = "ES256";

    /// <summary>A signing key older than this is replaced at the next start; the old one stays published until its tokens expire.</summary>
    public int RotationDays { get; set; } = 30;

    /// <summary>How often every node reloads the shared signing keys (and so learns of a rotation).</summary>
    public int RefreshSeconds { get; set; } = 10;

    /// <summary>
    /// How long a new key is published before it signs. Unset: 0 on SQLite (one node), otherwise three refresh
    /// intervals, so every node publishes the key before any node signs with it.
    /// </summary>
    public int? ActivationDelaySeconds { get; set; }

    /// <summary>
    /// How long before a scheduled rotation the next key is published: resource servers that refresh our JWKS on a
    /// schedule (JwtBearer: every 12 hours by default) then know it before the first token it signs.
    /// </summary>
    public int PrePublishHours { get; set; } = 24;

    public TimeSpan ActivationDelay(DatabaseSettings database) => TimeSpan.FromSeconds(
        ActivationDelaySeconds ?? (database.Provider == DatabaseSettings.Sqlite ? 0 : 3 * RefreshSeconds));

    public KeyRotationPolicy Rotation(DatabaseSettings database) => new(
        Algorithm, TimeSpan.FromDays(RotationDays), TimeSpan.FromHours(PrePublishHours), ActivationDelay(database), SigningKeyRotation.PublishRetiredFor);
}

public sealed class AuditSettings
{
    /// <summary>
    /// Audit records older than this many days are removed from the database (export them first: docs/operations.md
    /// §8). 0, the default, keeps every record.
    /// </summary>
    public int RetentionDays { get; set; }
}

public sealed class JobSettings
{
    /// <summary>How often the cluster's background jobs (policy enforcement, replay-key purge, audit retention, the usage-signals fold) run.</summary>
    public int IntervalSeconds { get; set; } = 300;
}

/// <summary>Security event delivery to receivers (<c>Secr:Events</c>).</summary>
public sealed class EventSettings
{
    /// <summary>How often the node holding the delivery lease looks for due deliveries.</summary>
    public int DeliveryIntervalSeconds { get; set; } = 5;

    /// <summary>How long a delivery is retried, with backoff (10 s doubling to at most 1 h), before it is given up.</summary>
    public int RetryHours { get; set; } = 72;
}

public sealed class AlertSettings
{
    /// <summary>Where the CRITICAL alerts (a tripped canary, a leaked credential) are POSTed as JSON; none when empty.</summary>
    public string? WebhookUrl { get; set; }
}

public sealed class DevelopmentSettings
{
    /// <summary>Lets issuers on loopback addresses use plain http, for local testing only.</summary>
    public bool AllowInsecureLoopbackIssuers { get; set; }
}
