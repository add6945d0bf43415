using System.Net;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.Credentials;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Core.Tests;

public sealed class MachineTokenAuthenticatorTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InMemoryDirectory _directory = new();

    [Fact]
    public async Task A_token_with_a_bad_checksum_is_malformed_and_never_looked_up()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        _directory.Add(token, Stored("mt_1", token));
        var typo = token[..^1] + (token[^1] == 'a' ? 'b' : 'a');

        var result = await Authenticate(typo);

        Assert.Null(result.Value);
        Assert.Equal("credential.malformed", result.Refusal!.Code);
        Assert.Equal(RefusalKind.InvalidRequest, result.Refusal.Kind);
        Assert.Equal(0, _directory.Lookups);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secr_mt_prod_")]
    [InlineData("ghp_0123456789abcdefghijklmnopqrstuvwxyzABCD")]
    public async Task A_missing_or_foreign_value_is_malformed_and_never_looked_up(string? value)
    {
        var result = await Authenticate(value);

        Assert.Equal("credential.malformed", result.Refusal!.Code);
        Assert.Equal(0, _directory.Lookups);
    }

    [Fact]
    public async Task An_agent_token_is_not_a_machine_token()
    {
        var agent = CredentialFormat.NewAgentToken();

        var result = await Authenticate(agent);

        Assert.Equal("credential.malformed", result.Refusal!.Code);
        Assert.Equal(0, _directory.Lookups);
    }

    [Fact]
    public async Task A_well_formed_token_the_directory_does_not_know_is_unknown()
    {
        var token = CredentialFormat.NewMachineToken("prod");

        var result = await Authenticate(token);

        Assert.Null(result.Value);
        Assert.Equal("credential.unknown", result.Refusal!.Code);
        Assert.Equal(RefusalKind.InvalidRequest, result.Refusal.Kind);
        Assert.Equal(1, _directory.Lookups);
        Assert.Equal(CredentialFormat.Digest(token), Assert.Single(_directory.DigestsAsked));
    }

    [Fact]
    public async Task A_known_token_authenticates_with_the_stored_token_as_context()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        var stored = Stored("mt_42", token);
        _directory.Add(token, stored);
        _directory.Add(CredentialFormat.NewMachineToken("prod"), Stored("mt_other", "x"));

        var result = await Authenticate(token);

        Assert.Null(result.Refusal);
        var credential = result.Value!;
        Assert.Equal(MachineTokenKind.SourceIssuer, credential.SourceIssuer);
        Assert.Equal("secr:machine_token", credential.SourceIssuer);
        Assert.Equal("mt_42", credential.SourceSubject);
        Assert.Null(credential.Replay);
        Assert.Same(stored, Assert.IsType<AuthenticatedCredential<MachineToken>>(credential).Context);
        Assert.Equal(1, _directory.Lookups);
    }

    [Fact]
    public async Task The_directory_is_asked_for_the_digest_never_the_value()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        _directory.Add(token, Stored("mt_1", token));

        await Authenticate(token);

        var asked = Assert.Single(_directory.DigestsAsked);
        Assert.Equal(CredentialFormat.Digest(token), asked);
        Assert.DoesNotContain(token, asked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_kind_is_machine_token_and_its_credential_resolves_with_the_stored_token()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        var stored = Stored("mt_7", token) with { Project = null, ExpiresAt = Created.AddDays(90), Status = IdentityStatus.Disabled };
        _directory.Add(token, stored);
        var kind = new MachineTokenKind(_directory, new CredentialOptions { AccessTokenLifetime = TimeSpan.FromMinutes(7) });

        var credential = (await kind.AuthenticateAsync(Request(token), CancellationToken.None)).Value!;
        var identity = (await credential.ResolveAsync(Request(token), CancellationToken.None)).Value!;

        Assert.Equal(IdentityType.MachineToken, kind.Type);
        Assert.Same(MachineTokenKind.LifecycleRules, identity.Lifecycle);
        Assert.Equal("mt_7", identity.Id);
        Assert.Equal(IdentityType.MachineToken, identity.Type);
        Assert.Equal(ResolvedIdentity.AllProjects, identity.Project);
        Assert.Equal(TimeSpan.FromMinutes(7), identity.MaxLifetime);
        Assert.Equal(IdentityStatus.Disabled, identity.Status);
        Assert.Equal(stored.ExpiresAt, identity.ExpiresAt);
    }

    [Fact]
    public async Task The_agent_authenticator_refuses_a_machine_token_without_a_lookup()
    {
        var token = CredentialFormat.NewMachineToken("prod");
        _directory.Add(token, Stored("mt_1", token));

        var agents = new AgentKind(_directory, new CredentialOptions());
        var result = await agents.AuthenticateAsync(Request(token) with { Kind = agents }, CancellationToken.None);

        Assert.Equal("credential.malformed", result.Refusal!.Code);
        Assert.Equal(0, _directory.Lookups);
    }

    private Task<StageResult<AuthenticatedCredential>> Authenticate(string? value) =>
        Kind().AuthenticateAsync(Request(value), CancellationToken.None).AsTask();

    private MachineTokenKind Kind() => new(_directory, new CredentialOptions());

    private AdmissionRequest Request(string? value) => new()
    {
        Kind = Kind(),
        GrantType = "urn:secr:grant-type:machine_token",
        Credential = value,
        Client = new AdmissionClient(IPAddress.Loopback, "test", "req-1"),
    };

    private static MachineToken Stored(string id, string value) => new()
    {
        Id = id,
        Name = "ci-" + id,
        Environment = "prod",
        Project = "payments",
        Permission = Permission.Read,
        OwnerId = "usr_1",
        Status = IdentityStatus.Active,
        Digest = CredentialFormat.Digest(value),
        CreatedBy = "usr_1",
        CreatedAt = Created,
    };

    /// <summary>An <see cref="IIdentityDirectory"/> over a dictionary keyed by digest, counting every lookup.</summary>
    private sealed class InMemoryDirectory : IIdentityDirectory
    {
        private readonly Dictionary<string, MachineToken> _machineTokens = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AgentIdentity> _agents = new(StringComparer.Ordinal);

        public List<string> DigestsAsked { get; } = [];

        public int Lookups => DigestsAsked.Count;

        public void Add(string value, MachineToken token) => _machineTokens[CredentialFormat.Digest(value)] = token;

        public Task<MachineToken?> FindMachineTokenAsync(string digest, CancellationToken cancellationToken)
        {
            DigestsAsked.Add(digest);
            return Task.FromResult(_machineTokens.GetValueOrDefault(digest));
        }

        public Task<AgentIdentity?> FindAgentAsync(string digest, CancellationToken cancellationToken)
        {
            DigestsAsked.Add(digest);
            return Task.FromResult(_agents.GetValueOrDefault(digest));
        }

        public Task<MachineToken?> FindMachineTokenByIdAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(_machineTokens.Values.FirstOrDefault(t => t.Id == id));

        public Task<AgentIdentity?> FindAgentByIdAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(_agents.Values.FirstOrDefault(a => a.Id == id));
    }
}
