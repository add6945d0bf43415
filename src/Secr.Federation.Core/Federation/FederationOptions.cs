namespace Secr.Federation.Core.Federation;

public sealed class FederationOptions
{
    /// <summary>The audience subject tokens must carry unless their issuer requires another: this server's issuer URL.</summary>
    public required string DefaultAudience { get; init; }
}
