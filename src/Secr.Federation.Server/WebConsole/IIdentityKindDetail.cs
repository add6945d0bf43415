using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.WebConsole;

/// <summary>How the console shows one kind of identity: its names, and the attributes of one identity on its page.</summary>
public interface IIdentityKindDetail
{
    string Type { get; }

    /// <summary>As the CLI names it: "Machine token".</summary>
    string Singular { get; }

    string Plural { get; }

    /// <summary>The identity's attributes, read from what the admin API's detail route answers; none when it is gone.</summary>
    Task<IReadOnlyList<IdentityAttribute>> AttributesAsync(InventoryItem item, CancellationToken cancellationToken);
}
