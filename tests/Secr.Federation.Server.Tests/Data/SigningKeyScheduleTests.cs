using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Secr.Federation.Data.Keys;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.Data;

/// <summary>
/// The signing key's life: a scheduled rotation publishes the next key a day ahead and switches exactly when the
/// period ends; an admin's rotation switches after the activation delay; retired keys stay published, then go.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SigningKeyScheduleTests
{
    private static readonly KeyRotationPolicy Policy = new(SigningKeyStore.Es256, TimeSpan.FromDays(30), TimeSpan.FromHours(24), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(65));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_scheduled_rotation_publishes_the_next_key_a_day_ahead_and_switches_when_the_period_ends()
    {
        var store = await StoreAsync();
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        var first = Assert.Single(await LoadAsync(store));
        Assert.True(first.Active);

        _clock.SetUtcNow(first.ActivatesAt.AddDays(28).AddHours(23));
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        Assert.Single(await LoadAsync(store));

        _clock.SetUtcNow(first.ActivatesAt.AddDays(29).AddHours(1));
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        var published = await LoadAsync(store);
        Assert.Equal(2, published.Count);
        var next = published.Single(k => k.Kid != first.Kid);
        Assert.Equal(first.ActivatesAt.AddDays(30), next.ActivatesAt);
        Assert.Equal(first.Kid, published.Single(k => k.Active).Kid);

        _clock.SetUtcNow(next.ActivatesAt);
        Assert.Equal(next.Kid, (await LoadAsync(store)).Single(k => k.Active).Kid);

        _clock.SetUtcNow(next.ActivatesAt.AddMinutes(66));
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        Assert.Equal(next.Kid, Assert.Single(await LoadAsync(store)).Kid);
    }

    [Fact]
    public async Task An_admins_rotation_signs_after_the_activation_delay_whatever_the_keys_age()
    {
        var store = await StoreAsync();
        await store.RotateIfDueAsync(Policy, rotateNow: false, CancellationToken.None);
        _clock.SetUtcNow(_clock.GetUtcNow().AddDays(3));

        await store.RotateIfDueAsync(Policy, rotateNow: true, CancellationToken.None);

        var fresh = (await LoadAsync(store)).Single(k => !k.Active);
        Assert.Equal(_clock.GetUtcNow() + Policy.ActivationDelay, fresh.ActivatesAt);
        _clock.SetUtcNow(fresh.ActivatesAt);
        Assert.Equal(fresh.Kid, (await LoadAsync(store)).Single(k => k.Active).Kid);
    }

    private async Task<SigningKeyStore> StoreAsync() =>
        new((await ScratchDatabase.CreateAsync()).Contexts, new MasterKey(RandomNumberGenerator.GetBytes(32)), _clock);

    private static Task<IReadOnlyList<ServerSigningKey>> LoadAsync(SigningKeyStore store) => store.LoadAsync(Policy.PublishRetiredFor, CancellationToken.None);
}
