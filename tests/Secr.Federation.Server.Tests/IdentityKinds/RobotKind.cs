using System.Collections.Concurrent;
using Secr.Federation.Core.Admission;
using Secr.Federation.Core.Governance;
using Secr.Federation.Core.Identities;
using Secr.Federation.Core.Policy;
using Secr.Federation.Data;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Server.Tests.IdentityKinds;

/// <summary>A test-only robot: its credential is <c>secr_robot_{name}</c>, kept in memory, never in the database.</summary>
public sealed record Robot(string Id, string Name, DateTimeOffset CreatedAt)
{
    public IdentityStatus Status { get; set; } = IdentityStatus.Active;

    public DateTimeOffset? LastUsedAt { get; set; }

    public string Credential => RobotKind.Prefix + Name;
}

/// <summary>The robots this test knows, shared by the kind's two halves.</summary>
public sealed class RobotRegistry
{
    public ConcurrentDictionary<string, Robot> ByCredential { get; } = new(StringComparer.Ordinal);

    public Robot Add(string name, DateTimeOffset createdAt)
    {
        var robot = new Robot($"rbt_{name}", name, createdAt);
        ByCredential[robot.Credential] = robot;
        return robot;
    }

    public Robot? FindById(string id) => ByCredential.Values.FirstOrDefault(r => r.Id == id);
}

/// <summary>A fourth kind of identity, registered by a test alone (see <see cref="FourthKindTests"/>): the domain half.</summary>
public sealed class RobotKind(RobotRegistry robots) : IIdentityKind, IIdentityResolver<Robot>
{
    public const string TypeName = "robot";
    public const string Grant = "urn:secr:test:grant-type:robot";
    public const string Prefix = "secr_robot_";

    public string Type => TypeName;

    public string GrantType => Grant;

    public string? CredentialPrefix => Prefix;

    /// <summary>Its own retired word, which governance must still read as retired.</summary>
    public static IdentityLifecycle Rules { get; } = new()
    {
        Transitions = [LifecycleTransition.Disable, LifecycleTransition.Enable],
        DisabledCode = RefusalCode.TokenDisabled,
        RetiredCode = RefusalCode.TokenRevoked,
        RetiredWord = "scrapped",
    };

    public IdentityLifecycle Lifecycle => Rules;

    public (string? Credential, AdmissionRefusal? Error) ReadCredential(Func<string, string?> parameter) => (parameter("robot_token"), null);

    public ValueTask<StageResult<AuthenticatedCredential>> AuthenticateAsync(AdmissionRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<StageResult<AuthenticatedCredential>>(request.Credential is { } value && robots.ByCredential.TryGetValue(value, out var robot)
            ? new AuthenticatedCredential<Robot>("secr:robot", robot.Id, null, robot, this)
            : Refusals.Create(RefusalCode.CredentialUnknown, "no such robot"));

    public ValueTask<StageResult<ResolvedIdentity>> ResolveAsync(AuthenticatedCredential<Robot> credential, AdmissionRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<StageResult<ResolvedIdentity>>(ToIdentity(credential.Context));

    public ValueTask<ResolvedIdentity?> FindAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(robots.FindById(id) is { } robot ? ToIdentity(robot) : null);

    private ResolvedIdentity ToIdentity(Robot robot) => new()
    {
        Id = robot.Id,
        Type = TypeName,
        Lifecycle = Lifecycle,
        Name = robot.Name,
        Project = "payments",
        Environment = "prod",
        Permission = Permission.Read,
        MaxLifetime = TimeSpan.FromMinutes(5),
        Status = robot.Status,
        CredentialIssuedAt = robot.CreatedAt,
    };
}

/// <summary>The robot's storage half: in memory, so a use is live while the robot is active.</summary>
public sealed class RobotStorage(RobotRegistry robots) : IIdentityKindStorage
{
    public string Type => RobotKind.TypeName;

    public AuditedIdentity Audited(string id, string name) => new(Type, id, name, null, null);

    public Task<bool> MarkUsedIfLiveAsync(SecrDbContext db, string id, DateTimeOffset at, string? ip, DateTimeOffset? bearerAt)
    {
        if (robots.FindById(id) is not { Status: IdentityStatus.Active } robot)
        {
            return Task.FromResult(false);
        }

        robot.LastUsedAt = at;
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<NhiRecord>> ListAsync(SecrDbContext db, InventoryContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NhiRecord>>(robots.ByCredential.Values.Select(r => new NhiRecord
        {
            Type = Type, Id = r.Id, Name = r.Name, State = r.Status, Status = RobotKind.Rules.StatusText(r.Status), Owner = context.OwnerOf(null), Project = "payments", Environment = "prod",
            Permission = PermissionText.Read, CreatedAt = r.CreatedAt, LastRotatedAt = r.CreatedAt, LastUsedAt = r.LastUsedAt, HasCredential = true,
        }).ToList());

    public Task<IReadOnlyList<AffectedIdentity>> DisableUnusedAsync(SecrDbContext db, DateTimeOffset cutoff, Disablement by, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AffectedIdentity>>([]);

    /// <summary>Robots have no owner.</summary>
    public Task<IReadOnlyList<OwnedIdentity>> OwnedByAsync(SecrDbContext db, string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OwnedIdentity>>([]);

    public Task TransferAllAsync(SecrDbContext db, string userId, string successorId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DisableAllOwnedAsync(SecrDbContext db, string userId, Disablement by, CancellationToken cancellationToken) => Task.CompletedTask;
}
