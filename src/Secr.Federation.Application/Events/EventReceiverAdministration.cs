using Secr.Federation.Core.Common;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Federation.Keys;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Events;
using Secr.Federation.Data.Scopes;

namespace Secr.Federation.Application.Events;

/// <summary>
/// Adding and removing the receivers of security events. A receiver's URL is held to the rules of an issuer's (https,
/// no query, fragment or credentials), and delivery to it goes through the same address guard: a private address is
/// reached only with the admin's <c>allow_private_network</c>, audited with the rest.
/// </summary>
public sealed class EventReceiverAdministration(EventReceiverStore receivers, AdminAudit audit, TimeProvider clock, JwksFetchOptions fetchOptions)
{
    public async Task<ChangeResult<EventReceiverEntity>> AddAsync(string? url, string? audience, bool allowPrivateNetwork, AdminActor actor, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (IssuerRules.UrlError(url, fetchOptions.AllowInsecureLoopbackIssuers) is { } urlError)
        {
            errors.Add(new("url", urlError));
        }

        if (audience is not null && (audience.Length is 0 or > 2048 || audience.Any(char.IsControl)))
        {
            errors.Add(new("audience", "must be 1 to 2048 printable characters (default: the receiver's URL)"));
        }

        if (errors.Count > 0)
        {
            return ChangeResult<EventReceiverEntity>.Invalid(errors);
        }

        await using var change = await audit.BeginAsync(cancellationToken);
        if (await receivers.UrlTakenAsync(change, url!, cancellationToken))
        {
            return ChangeResult<EventReceiverEntity>.Conflict($"a receiver at {url} exists already");
        }

        var receiver = new EventReceiverEntity
        {
            Id = ScopeStore.NewId("rcv"), Url = url!, Audience = audience ?? url!, AllowPrivateNetwork = allowPrivateNetwork, CreatedAt = clock.GetUtcNow(), CreatedBy = actor.Name,
        };
        receivers.Add(change, receiver);
        change.Record(actor, "admin.event_receiver_added",
            $"event receiver {receiver.Id} at {receiver.Url}, audience {receiver.Audience}{(allowPrivateNetwork ? ", private network allowed" : "")}", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<EventReceiverEntity>.Ok(receiver);
    }

    /// <summary>Removes the receiver; events not yet delivered to it are dropped with it.</summary>
    public async Task<ChangeResult<EventReceiverEntity>> RemoveAsync(string id, AdminActor actor, CancellationToken cancellationToken)
    {
        await using var change = await audit.BeginAsync(cancellationToken);
        if (await receivers.RemoveAsync(change, id, cancellationToken) is not { } removed)
        {
            return ChangeResult<EventReceiverEntity>.NotFound($"event receiver '{id}' does not exist");
        }

        change.Record(actor, "admin.event_receiver_removed", $"event receiver {removed.Id} at {removed.Url} removed", null);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<EventReceiverEntity>.Ok(removed);
    }
}
