namespace Secr.Federation.Core.Common;

/// <summary>
/// A settings class bound from one configuration section (<c>Secr:…</c>) and checked at start. The host reads and
/// validates every one of them the same way (<c>Hosting/SettingsBinding</c>): a server with a bad value does not start,
/// and says what is wrong with each.
/// </summary>
public interface ISettings<TSelf>
    where TSelf : ISettings<TSelf>
{
    static abstract string Section { get; }

    /// <summary>What is wrong with the values, one sentence each naming its setting; empty when they are usable.</summary>
    IEnumerable<string> Errors();
}
