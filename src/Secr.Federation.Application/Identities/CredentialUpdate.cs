using Secr.Federation.Core.Common;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Identities;

namespace Secr.Federation.Application.Identities;

/// <summary>
/// A change to the attributes of a stored credential of either kind (a remediation fix): <c>apply</c> makes it, or
/// returns null when it does not apply; the kind's own rule (<c>check</c>) may still refuse the result, naming the
/// field. Nothing is written unless the change is recorded and commits.
/// </summary>
public static class CredentialUpdate
{
    public static async Task<ChangeResult<TIdentity>> ApplyAsync<TIdentity>(
        ICredentialStore<TIdentity> rows, AuditedChange change, string id, string noun, Func<TIdentity, (TIdentity Changed, string What)?> apply,
        Func<TIdentity, TIdentity, ValidationError?> check, Action<TIdentity, string> record, CancellationToken cancellationToken)
        where TIdentity : class
    {
        if (await rows.FindAsync(change, id, cancellationToken) is not { } before)
        {
            return ChangeResult<TIdentity>.NotFound($"{noun} '{id}' does not exist");
        }

        if (apply(before) is not { } result)
        {
            return ChangeResult<TIdentity>.Conflict($"the change does not apply to {noun} '{id}'");
        }

        if (check(before, result.Changed) is { } refusal)
        {
            return ChangeResult<TIdentity>.Invalid([refusal]);
        }

        await rows.UpdateAsync(change, result.Changed, cancellationToken);
        record(result.Changed, result.What);
        await change.CommitAsync(cancellationToken);
        return ChangeResult<TIdentity>.Ok(result.Changed);
    }
}
