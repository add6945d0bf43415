using System.Security.Claims;
using Secr.Federation.Data.Audit;

namespace Secr.Federation.Server.Admin;

public static class AdminRequestContext
{
    public static AdminActor Actor(this HttpContext http) =>
        new(http.User.FindFirstValue(ClaimTypes.Name) ?? "admin", http.TraceIdentifier, http.Connection.RemoteIpAddress?.ToString(), http.UserId(), http.IsAdmin());
}
