namespace Secr.Federation.Data.Identities;

/// <summary>What a status change reads and writes of a stored credential: machine tokens and agents both have it.</summary>
public interface ICredentialRow
{
    string Id { get; }

    string Status { get; set; }

    /// <summary>For the effective status: an agent always expires, a machine token may not.</summary>
    DateTimeOffset? ExpiresAt { get; }

    /// <summary>Written by the change to active (enable), so auto-disable gives the credential a full period again.</summary>
    DateTimeOffset? EnabledAt { get; set; }
}
