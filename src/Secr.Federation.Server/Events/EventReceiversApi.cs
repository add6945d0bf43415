using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Application.Events;
using Secr.Federation.Data.Events;
using Secr.Federation.Server.Admin;

namespace Secr.Federation.Server.Events;

/// <summary>The receivers of security events (SET push, RFC 8935): listed with how delivery to each stands, added and removed.</summary>
public static class EventReceiversApi
{
    public sealed record AddReceiverRequest(string? Url, string? Audience, bool? AllowPrivateNetwork);

    public static RouteGroupBuilder MapEventReceivers(this RouteGroupBuilder api)
    {
        var receivers = api.MapGroup("/events/receivers").WithTags("Events");
        receivers.MapGet("/", async (EventReceiverStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        receivers.MapPost("/", async (AddReceiverRequest request, EventReceiverAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.AddAsync(request.Url, request.Audience, request.AllowPrivateNetwork ?? false, http.Actor(), ct),
                r => TypedResults.Created($"/api/v1/events/receivers/{r.Id}", Summary(r))));
        receivers.MapDelete("/{id}", async (string id, EventReceiverAdministration admin, HttpContext http, CancellationToken ct) =>
            ProblemResults.From(await admin.RemoveAsync(id, http.Actor(), ct), r => TypedResults.Ok(Summary(r))));
        return api;
    }

    private static EventReceiver Summary(EventReceiverEntity r) => new(r.Id, r.Url, r.Audience, r.AllowPrivateNetwork, r.CreatedAt, r.CreatedBy, 0, 0, 0, null);
}
