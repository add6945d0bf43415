using System.Text.Json;

namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>
/// A platform whose <c>sub</c> has several forms naming the same workload (GitHub's legacy and immutable subjects):
/// how an <c>equals</c> or <c>glob</c> condition on <c>sub</c> written in one form judges a token in another, and which
/// values pin the tenant by its immutable ids.
/// </summary>
public interface ISubjectForms
{
    /// <summary>
    /// Whether <paramref name="condition"/> (an <c>equals</c> or a <c>glob</c> on <c>sub</c>) holds for the token's
    /// <paramref name="subject"/>, and why; null when the forms do not decide it and the strings are compared as written.
    /// </summary>
    (bool Passed, string Reason)? Compare(BindingCondition condition, string subject, JsonElement claims);

    /// <summary>Whether an <c>equals</c> on <c>sub</c> with this value pins the tenant by its immutable ids.</summary>
    bool PinsImmutableIds(ClaimValue value);
}
