using Secr.Federation.Application.Events;
using Secr.Federation.Data.Events;

namespace Secr.Federation.Server.Events;

public static class EventRegistration
{
    /// <summary>Security events to receivers: their administration, the outbox's queue, signing, push and the delivery job.</summary>
    public static IServiceCollection AddSecurityEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventReceiverStore>();
        services.AddSingleton<EventReceiverAdministration>();
        services.AddSingleton<EventDeliveries>();
        services.AddSingleton<SecurityEventSigner>();
        services.AddSingleton<SecurityEventPush>();
        services.AddHostedService<SecurityEventDeliveryJob>();
        return services;
    }
}
