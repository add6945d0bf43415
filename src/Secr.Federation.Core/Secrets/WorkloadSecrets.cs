using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Audit;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;

namespace Secr.Federation.Core.Secrets;

/// <summary>The outcome of a secrets operation: its data, or the refusal the caller gets.</summary>
public sealed record SecretsOutcome<T>(T? Data, AdmissionRefusal? Refusal);

/// <summary>
/// Secrets as workloads use them. Every operation re-checks the identity guards (state, conditional access, IP
/// allowlists, frozen project) and the scope, and is audited (keys, never values) before the response; a write or a
/// delete is made in its audit record's transaction (<see cref="ISecretVault.SetAsync"/>). Reading a canary freezes the
/// project and raises the alert before the refusal goes out, and no value leaves.
/// </summary>
public sealed class WorkloadSecrets(ISecretVault vault, IdentityGuards guards, IProjectFreezer freezer, ICanaryAlerts alerts, IAuditLedger audit, TimeProvider clock)
{
    public Task<SecretsOutcome<IReadOnlyList<SecretEntry>>> ListAsync(PrincipalResult caller, string project, string environment, CancellationToken cancellationToken) =>
        RunAsync(caller, SecretOperation.List, project, environment, null, async principal =>
        {
            var entries = await vault.ListAsync(project, environment, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<SecretEntry> visible = entries.Where(e => SecretScope.MayTouch(principal.Identity, e.Key)).ToList();
            return new Performed<IReadOnlyList<SecretEntry>>(visible, visible.Select(e => e.Key).ToList());
        }, cancellationToken);

    /// <summary>Reads one secret (<paramref name="key"/>) or, when it is null, every secret the identity may see in the environment.</summary>
    public Task<SecretsOutcome<IReadOnlyList<SecretValue>>> ReadAsync(PrincipalResult caller, string project, string environment, string? key, CancellationToken cancellationToken) =>
        RunAsync(caller, key is null ? SecretOperation.ReadAll : SecretOperation.Read, project, environment, key, async principal =>
        {
            var stored = await vault.LoadAsync(project, environment, cancellationToken).ConfigureAwait(false);
            var wanted = stored.Where(s => key is null ? SecretScope.MayTouch(principal.Identity, s.Entry.Key) : s.Entry.Key == key).ToList();
            var canaries = wanted.Where(s => s.Entry.Canary).Select(s => s.Entry.Key).ToList();
            if (canaries.Count > 0)
            {
                // Nothing is decrypted: the response to a canary read carries no value at all.
                return new Performed<IReadOnlyList<SecretValue>>([], canaries, TrippedCanaries: canaries);
            }

            var values = await vault.UnsealAsync(project, environment, wanted, cancellationToken).ConfigureAwait(false);
            return new Performed<IReadOnlyList<SecretValue>>(values, values.Select(v => v.Key).ToList());
        }, cancellationToken);

    public Task<SecretsOutcome<int?>> WriteAsync(PrincipalResult caller, string project, string environment, string key, string value, CancellationToken cancellationToken) =>
        ChangeAsync(caller, SecretOperation.Write, project, environment, key, async (principal, use) =>
        {
            var written = await vault.SetAsync(project, environment, key, value, Actor(principal), use, cancellationToken).ConfigureAwait(false);
            return new AuditedWrite<int?>(written.Outcome, written.Value);
        }, cancellationToken);

    public Task<SecretsOutcome<bool?>> DeleteAsync(PrincipalResult caller, string project, string environment, string key, CancellationToken cancellationToken) =>
        ChangeAsync(caller, SecretOperation.Delete, project, environment, key, async (principal, use) =>
        {
            var deleted = await vault.DeleteAsync(project, environment, key, Actor(principal), use, cancellationToken).ConfigureAwait(false);
            return new AuditedWrite<bool?>(deleted.Outcome, deleted.Value);
        }, cancellationToken);

    /// <summary>A read: performed once admitted, then audited; nothing read is handed out unless its record stands.</summary>
    private async Task<SecretsOutcome<T>> RunAsync<T>(
        PrincipalResult caller, SecretOperation operation, string project, string environment, string? key,
        Func<WorkloadPrincipal, Task<Performed<T>>> perform, CancellationToken cancellationToken)
    {
        var action = SecretScope.Action(operation);
        var (principal, refused) = await AdmitAsync<T>(caller, operation, project, environment, key, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            return refused!;
        }

        var performed = await perform(principal).ConfigureAwait(false);
        if (performed.TrippedCanaries is { } canaries)
        {
            return await TripAsync<T>(action, principal, project, environment, canaries, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await audit.CommitAsync(Allowed(action, principal, project, environment, string.Join(",", performed.Keys)), null, cancellationToken).ConfigureAwait(false);
        return Outcome(outcome, performed.Data);
    }

    /// <summary>A change: made by the vault in one transaction with its record (audit first, as an admin's change is).</summary>
    private async Task<SecretsOutcome<T>> ChangeAsync<T>(
        PrincipalResult caller, SecretOperation operation, string project, string environment, string key,
        Func<WorkloadPrincipal, AuditRecord, Task<AuditedWrite<T>>> change, CancellationToken cancellationToken)
    {
        var (principal, refused) = await AdmitAsync<T>(caller, operation, project, environment, key, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            return refused!;
        }

        var written = await change(principal, Allowed(SecretScope.Action(operation), principal, project, environment, key)).ConfigureAwait(false);
        return Outcome(written.Outcome, written.Value);
    }

    /// <summary>The caller's principal when the guards, the scope and the environment admit the operation; otherwise its audited refusal.</summary>
    private async Task<(WorkloadPrincipal? Principal, SecretsOutcome<T>? Refused)> AdmitAsync<T>(
        PrincipalResult caller, SecretOperation operation, string project, string environment, string? key, CancellationToken cancellationToken)
    {
        var action = SecretScope.Action(operation);
        if (caller.Principal is not { } principal)
        {
            return (null, await RefuseAsync<T>(action, caller.Client, caller.Identity, caller.GrantId, caller.Lineage, project, environment, key, caller.Refusal!, cancellationToken).ConfigureAwait(false));
        }

        var refusal = (principal.GuardedProject == project ? null : await guards.CheckAsync(principal.Identity, project, principal.Client, cancellationToken).ConfigureAwait(false))
            ?? SecretScope.Check(principal, operation, project, environment, key);
        if (refusal is null && !await vault.EnvironmentExistsAsync(project, environment, cancellationToken).ConfigureAwait(false))
        {
            refusal = Refusals.Create(RefusalCode.EnvironmentNotAllowed, $"project '{project}' has no environment '{environment}'");
        }

        return refusal is null
            ? (principal, null)
            : (null, await RefuseAsync<T>(action, principal.Client, principal.Identity, principal.GrantId, principal.Lineage, project, environment, key, refusal, cancellationToken).ConfigureAwait(false));
    }

    private AuditRecord Allowed(string action, WorkloadPrincipal principal, string project, string environment, string keys) =>
        Record(action, principal.Client, principal.Identity, principal.GrantId, principal.Lineage, project, environment, keys) with
        {
            Outcome = AuditOutcome.Allowed,
            ReasonCode = "allowed",
            Reason = $"{action} by {principal.Identity.Type} '{principal.Identity.Name}'",
            Permission = principal.Permission.ToText(),
        };

    /// <summary>Revoked while the request ran: the record stands as the refusal, and nothing read or written is acknowledged.</summary>
    private static SecretsOutcome<T> Outcome<T>(CommitOutcome outcome, T? data) => outcome == CommitOutcome.Committed
        ? new SecretsOutcome<T>(data, null)
        : new SecretsOutcome<T>(default, Refusals.Create(RefusalCode.IdentityStateChanged, IAuditLedger.IdentityChangedDetail));

    /// <summary>A workload touched a canary: freeze first, then alert and audit, then refuse with no value.</summary>
    private async Task<SecretsOutcome<T>> TripAsync<T>(string action, WorkloadPrincipal principal, string project, string environment, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var identity = principal.Identity;
        var reason = $"canary {string.Join(",", keys)} read by {identity.Type} '{identity.Name}' from {principal.Client.Ip?.ToString() ?? "(unknown)"}; project '{project}' frozen";
        await freezer.FreezeAsync(project, reason, CancellationToken.None).ConfigureAwait(false);
        await alerts.RaiseAsync(new CanaryAlert(clock.GetUtcNow(), project, environment, keys, identity.Type, identity.Name, identity.Id,
            principal.Client.Ip?.ToString(), principal.Client.UserAgent, principal.Client.RequestId), CancellationToken.None).ConfigureAwait(false);
        return await RefuseAsync<T>(action, principal.Client, identity, principal.GrantId, principal.Lineage, project, environment, string.Join(",", keys), Refusals.Create(RefusalCode.CanaryTripped, reason), cancellationToken).ConfigureAwait(false);
    }

    private async Task<SecretsOutcome<T>> RefuseAsync<T>(
        string action, AdmissionClient client, ResolvedIdentity? identity, string? grantId, JobLineage? lineage, string project, string environment, string? keys, AdmissionRefusal refusal,
        CancellationToken cancellationToken)
    {
        await audit.CommitAsync(Record(action, client, identity, grantId, lineage, project, environment, keys) with
        {
            Outcome = AuditOutcome.Refused,
            ReasonCode = refusal.Code,
            Reason = refusal.Detail,
        }, null, cancellationToken).ConfigureAwait(false);
        return new SecretsOutcome<T>(default, refusal);
    }

    /// <summary>A request's record: an access token links it to the admission that issued it (<paramref name="grantId"/>) and to the job it was issued to.</summary>
    private AuditRecord Record(string action, AdmissionClient client, ResolvedIdentity? identity, string? grantId, JobLineage? lineage, string project, string environment, string? keys) =>
        (AuditRecord.Of(clock.GetUtcNow(), action, client, AuditOutcome.Refused, "", "", identity) with
        {
            Project = project,
            Environment = environment,
            Keys = keys,
            TokenId = grantId,
        }).WithLineage(lineage);

    private static string Actor(WorkloadPrincipal principal) => $"{principal.Identity.Type}:{principal.Identity.Name}";

    /// <summary>What an operation did: its data, the keys it touched, and the canaries it would have read.</summary>
    private sealed record Performed<T>(T Data, IReadOnlyList<string> Keys, IReadOnlyList<string>? TrippedCanaries = null);
}
