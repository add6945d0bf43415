using System.Text.Json;
using System.Text.Json.Nodes;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Data.Identities;

/// <summary>Conditional access as stored: <c>{"allow_ips":[...],"time_window":"08:00-18:00","days":[...],"user_agent":"..."}</c>.</summary>
internal static class AccessJson
{
    public static string? Write(ConditionalAccess access) => access.IsEmpty ? null : new JsonObject
    {
        ["allow_ips"] = new JsonArray(access.AllowedNetworks.Select(n => (JsonNode)n.ToString()).ToArray()),
        ["time_window"] = access.TimeWindow?.Range,
        ["days"] = access.TimeWindow is { } w ? new JsonArray(w.DayList.Select(d => (JsonNode)d).ToArray()) : null,
        ["user_agent"] = access.UserAgentPattern,
    }.ToJsonString();

    public static ConditionalAccess Read(string? json)
    {
        if (json is null)
        {
            return ConditionalAccess.None;
        }

        var node = JsonNode.Parse(json)!.AsObject();
        TimeWindow? window = null;
        if ((string?)node["time_window"] is { } range)
        {
            TimeWindow.TryParse(range, node["days"]?.AsArray().Select(d => (string)d!).ToList(), out window, out _);
        }

        return new ConditionalAccess
        {
            AllowedNetworks = node["allow_ips"]?.AsArray().Select(n => Cidr.Parse((string)n!)).ToList() ?? [],
            TimeWindow = window,
            UserAgentPattern = (string?)node["user_agent"],
        };
    }
}
