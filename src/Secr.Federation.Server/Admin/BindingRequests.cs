using System.Text.Json;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Users;
using Secr.Federation.Data.Audit;
using static Secr.Federation.Server.Admin.BindingsApi;

namespace Secr.Federation.Server.Admin;

/// <summary>A binding request (from the API's JSON or the console's form) turned into the domain binding both save.</summary>
public static class BindingRequests
{
    /// <summary>Maps the request and resolves its owner; the errors are the request's own, before the store's rules run.</summary>
    public static async Task<(TrustBinding Binding, IReadOnlyList<ValidationError> Errors)> ToDomainAsync(
        BindingRequest request, bool replace, UserStore users, AdminActor actor, CancellationToken ct)
    {
        var errors = new List<ValidationError>();
        var binding = ToDomain(request, errors);
        if (request.Owner is { } owner && await users.RequireActiveAsync(owner, "owner", errors, ct) is { } user)
        {
            binding = binding with { OwnerId = user.Id };
        }
        else if (request.Owner is null && !replace && await users.FindAsync(actor.Name, ct) is { Offboarded: false } creator)
        {
            // Like a machine token, a new binding belongs to whoever created it unless another owner is named.
            binding = binding with { OwnerId = creator.Id };
        }

        return (binding, errors);
    }

    public static IReadOnlyList<ConditionDto> ToDtos(IReadOnlyList<BindingCondition> conditions) =>
        conditions.Select(c => new ConditionDto(c.Claim, c.Operator.ToText(), c.Values.Select(ToJson).ToList())).ToList();

    private static JsonElement ToJson(ClaimValue value) =>
        JsonSerializer.SerializeToElement(value.Kind == JsonValueKind.String ? (object)value.Text : JsonDocument.Parse(value.Text).RootElement);

    private static TrustBinding ToDomain(BindingRequest r, List<ValidationError> errors)
    {
        if (!PermissionText.TryParse(r.Permission, out var permission))
        {
            errors.Add(new("permission", "must be read or read_write"));
        }

        var ips = Cidr.ParseAll(r.AllowIps, "allow_ips", errors);

        if (r.SecretAllowlist is { } keys && keys.Any(k => k.Length is 0 or > 256))
        {
            errors.Add(new("secret_allowlist", "keys must be 1 to 256 characters"));
        }

        return new TrustBinding
        {
            Id = "",
            Name = r.Name,
            DisplayName = r.DisplayName,
            IssuerId = "",
            Conditions = (r.Conditions ?? []).Select((c, i) => ToCondition(c, i, errors)).ToList(),
            Project = r.Project,
            Environment = r.Environment,
            Permission = permission,
            SecretAllowlist = r.SecretAllowlist,
            AccessTokenTtl = IssuersApi.Duration(r.Ttl, "ttl", TrustBinding.DefaultAccessTokenTtl, errors),
            ClientIpAllowlist = ips,
            AllowBroadMatch = r.AllowBroadMatch ?? false,
        };
    }

    private static BindingCondition ToCondition(ConditionDto c, int index, List<ValidationError> errors)
    {
        if (!ConditionOperatorText.TryParse(c.Op, out var op))
        {
            errors.Add(new($"conditions[{index}].op", $"must be {Choices.Listed(ConditionOperatorText.All)}"));
        }

        var values = new List<ClaimValue>();
        foreach (var element in c.Values ?? [])
        {
            if (ClaimValue.TryFrom(element, out var value))
            {
                values.Add(value);
            }
            else
            {
                errors.Add(new($"conditions[{index}].values", "values must be strings, numbers or booleans"));
            }
        }

        return new BindingCondition(c.Claim ?? "", op, values);
    }
}
