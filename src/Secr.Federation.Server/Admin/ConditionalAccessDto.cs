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
        var networks = Cidr.ParseAll(AllowIps, "allow_ips", errors);

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
