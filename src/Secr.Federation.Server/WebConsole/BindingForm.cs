using System.Text.Json;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Identities;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// The binding form's fields. Lists are one entry per line. Condition values are strings, as the CLI's
/// <c>--claim</c> takes them; a line <c>:=JSON</c> is a typed value (<c>:=74</c>, <c>:=true</c>), because the matcher
/// never equates "74" and 74.
/// </summary>
public sealed class BindingForm
{
    public const string TypedPrefix = ":=";

    public string Name { get; set; } = "";

    /// <summary>What people are shown; an empty box is none.</summary>
    public string? DisplayName { get; set; }

    public string Issuer { get; set; } = "";
    public string Project { get; set; } = "";
    public string Environment { get; set; } = "";
    public string Permission { get; set; } = PermissionText.Read;
    public string Ttl { get; set; } = DurationText.Format(TrustBinding.DefaultAccessTokenTtl);
    public List<ConditionRow> Conditions { get; set; } = [new()];
    public string? SecretAllowlist { get; set; }
    public string? AllowIps { get; set; }

    /// <summary>The box as sent: ticked, unticked, or null when the form sent neither (nothing said).</summary>
    public bool? Enabled { get; set; }

    /// <summary>The state the edit form showed when it was loaded (carried in a hidden field); null for a new binding.</summary>
    public bool? EnabledAsLoaded { get; set; }

    public bool AllowBroadMatch { get; set; }

    public sealed class ConditionRow
    {
        public string Claim { get; set; } = "";
        public string Op { get; set; } = "equals";
        public string? Values { get; set; }
    }

    public static BindingForm From(TrustBinding binding, string issuer) => new()
    {
        Name = binding.Name,
        DisplayName = binding.DisplayName,
        Issuer = issuer,
        Project = binding.Project,
        Environment = binding.Environment,
        Permission = binding.Permission.ToText(),
        Ttl = DurationText.Format(binding.AccessTokenTtl),
        Conditions = binding.Conditions.Select(c => new ConditionRow
        {
            Claim = c.Claim,
            Op = c.Operator.ToText(),
            Values = string.Join("\n", c.Values.Select(v => v.Kind == JsonValueKind.String ? v.Text : TypedPrefix + v.Text)),
        }).ToList(),
        SecretAllowlist = binding.SecretAllowlist is { } keys ? string.Join("\n", keys) : null,
        AllowIps = string.Join("\n", binding.ClientIpAllowlist),
        Enabled = binding.Enabled,
        EnabledAsLoaded = binding.Enabled,
        AllowBroadMatch = binding.AllowBroadMatch,
    };

    /// <summary>
    /// The state a save asks for: the box's when the admin changed it (or for a new binding), else none, so that, as
    /// with the API, the binding keeps the state it has now. An edit never turns a disabled binding back on unless the
    /// admin ticks the box, and a page loaded before someone disabled the binding cannot undo that by being saved.
    /// </summary>
    public bool? EnabledChange => Enabled == EnabledAsLoaded ? null : Enabled;

    /// <summary>The same request the API takes; a value line that is not valid typed JSON is an error on its condition.</summary>
    public BindingsApi.BindingRequest ToRequest(List<ValidationError> errors) => new(
        Name.Trim(),
        Issuer,
        Conditions.Select((row, i) => new BindingsApi.ConditionDto(row.Claim.Trim(), row.Op, Lines(row.Values).Select(line => Value(line, i, errors)).ToList())).ToList(),
        Project,
        Environment,
        Permission,
        Lines(SecretAllowlist) is { Count: > 0 } keys ? keys : null,
        Ttl.Trim(),
        Lines(AllowIps),
        EnabledChange,
        AllowBroadMatch,
        Owner: null,
        DisplayName: string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim());

    private static JsonElement Value(string line, int index, List<ValidationError> errors)
    {
        if (!line.StartsWith(TypedPrefix, StringComparison.Ordinal))
        {
            return JsonSerializer.SerializeToElement(line);
        }

        try
        {
            return JsonDocument.Parse(line[TypedPrefix.Length..]).RootElement.Clone();
        }
        catch (JsonException)
        {
            errors.Add(new($"conditions[{index}].values", $"'{line}' is not a JSON value after {TypedPrefix}"));
            return JsonSerializer.SerializeToElement(line);
        }
    }

    private static List<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
}
