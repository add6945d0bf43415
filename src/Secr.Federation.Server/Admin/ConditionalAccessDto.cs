using Secr.Federation.Core.Common;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Server.Admin;

/// <summary>Conditional access as the admin API reads and writes it.</summary>
public sealed record ConditionalAccessDto(IReadOnlyList<string>? AllowIps, string? TimeWindow, IReadOnlyList<string>? Days, string? UserAgent)
{
    public static ConditionalAccessDto From(ConditionalAccess access) =>
        new(access.AllowedNetworks.Select(n => n.ToString()).ToList(), access.TimeWindow?.Range, access.TimeWindow?.DayList, access.UserAgentPattern);

    public ConditionalAccess ToDomain(List<ValidationError> errors)
    {
        var networks = new List<Cidr>();
        foreach (var (text, i) in (AllowIps ?? []).Select((t, i) => (t, i)))
        {
            if (Cidr.TryParse(text, out var cidr))
            {
                networks.Add(cidr!);
            }
            else
            {
                errors.Add(new($"allow_ips[{i}]", "must be a CIDR network such as 203.0.113.0/24 with its host bits zero"));
            }
        }

        TimeWindow? window = null;
        if (TimeWindow is not null && !Core.Policy.TimeWindow.TryParse(TimeWindow, Days, out window, out var windowError))
        {
            errors.Add(new("time_window", windowError!));
        }
        else if (TimeWindow is null && Days is not null)
        {
            errors.Add(new("days", "days need a time_window"));
        }

        if (UserAgent is not null && !WildcardPattern.IsValid(UserAgent))
        {
            errors.Add(new("user_agent", $"must be a pattern of 1 to {WildcardPattern.MaxLength} printable characters ('*' matches anything)"));
        }

        return new ConditionalAccess { AllowedNetworks = networks, TimeWindow = window, UserAgentPattern = UserAgent };
    }
}
