using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Secr.Federation.Core.Audit;
using Secr.Federation.Data.Audit;
using Secr.Federation.Data.Cluster;
using Secr.Federation.Data.Events;
using Secr.Federation.Data.Federation;
using Secr.Federation.Data.Governance;
using Secr.Federation.Data.Identities;
using Secr.Federation.Data.Users;
using Secr.Federation.Data.Keys;
using Secr.Federation.Data.Leaks;
using Secr.Federation.Data.Revocation;
using Secr.Federation.Data.Scopes;
using Secr.Federation.Data.Secrets;
using Secr.Federation.Data.Storage;

namespace Secr.Federation.Data;

public sealed class SecrDbContext(DbContextOptions<SecrDbContext> options) : DbContext(options)
{
    public DbSet<ProjectEntity> Projects => Set<ProjectEntity>();
    public DbSet<EnvironmentEntity> Environments => Set<EnvironmentEntity>();
    public DbSet<IssuerEntity> Issuers => Set<IssuerEntity>();
    public DbSet<BindingEntity> Bindings => Set<BindingEntity>();
    public DbSet<AuditEntity> AuditRecords => Set<AuditEntity>();
    public DbSet<AuditChainHeadEntity> AuditChainHeads => Set<AuditChainHeadEntity>();
    public DbSet<ReplayEntity> ReplayEntries => Set<ReplayEntity>();
    public DbSet<Dpop.DpopProofEntity> DpopProofs => Set<Dpop.DpopProofEntity>();
    public DbSet<RevokedGrantEntity> RevokedGrants => Set<RevokedGrantEntity>();
    public DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();
    public DbSet<SessionKeyEntity> SessionKeys => Set<SessionKeyEntity>();
    public DbSet<MachineTokenEntity> MachineTokens => Set<MachineTokenEntity>();
    public DbSet<AgentEntity> Agents => Set<AgentEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<PersonalTokenEntity> PersonalTokens => Set<PersonalTokenEntity>();
    public DbSet<SecretEntity> Secrets => Set<SecretEntity>();
    public DbSet<SecretVersionEntity> SecretVersions => Set<SecretVersionEntity>();
    public DbSet<DataKeyEntity> DataKeys => Set<DataKeyEntity>();
    public DbSet<OrganisationSettingsEntity> OrganisationSettings => Set<OrganisationSettingsEntity>();
    public DbSet<LeaseEntity> Leases => Set<LeaseEntity>();
    public DbSet<ChangeCounterEntity> ChangeCounters => Set<ChangeCounterEntity>();
    public DbSet<LeakReportEntity> LeakReports => Set<LeakReportEntity>();
    public DbSet<UsageSignalEntity> UsageSignals => Set<UsageSignalEntity>();
    public DbSet<EventReceiverEntity> EventReceivers => Set<EventReceiverEntity>();
    public DbSet<SecurityEventEntity> SecurityEvents => Set<SecurityEventEntity>();
    public DbSet<EventDeliveryEntity> EventDeliveries => Set<EventDeliveryEntity>();
    public DbSet<Governance.PostureSnapshotEntity> PostureSnapshots => Set<Governance.PostureSnapshotEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored as integers (UTC, 0.1 ms precision) so every provider can index, compare and order them (SQLite cannot order DateTimeOffset text).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    /// <summary>A time as the convention above stores it, for the few statements written in plain SQL.</summary>
    public static long StoredTime(DateTimeOffset time) => (long)StoredTimes.ConvertToProvider(time)!;

    private static readonly DateTimeOffsetToBinaryConverter StoredTimes = new();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // OpenIddict's entities (applications, scopes...) live beside ours; issued tokens are not stored.
        modelBuilder.UseOpenIddict();

        modelBuilder.Entity<ProjectEntity>(project =>
        {
            project.HasIndex(p => p.Name).IsUnique();
            project.HasMany(p => p.Environments).WithOne().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
            project.PrimitiveCollection(p => p.IpAllowlist);
        });
        modelBuilder.Entity<EnvironmentEntity>().HasIndex(e => new { e.ProjectId, e.Name }).IsUnique();

        modelBuilder.Entity<IssuerEntity>(issuer =>
        {
            issuer.HasIndex(i => i.Name).IsUnique();
            issuer.HasIndex(i => i.IssuerUrl).IsUnique();
            issuer.PrimitiveCollection(i => i.AllowedAlgorithms);
            issuer.PrimitiveCollection(i => i.AllowedJwksOrigins);
        });

        modelBuilder.Entity<BindingEntity>(binding =>
        {
            binding.HasIndex(b => b.Name).IsUnique();
            binding.HasOne<IssuerEntity>().WithMany().HasForeignKey(b => b.IssuerId).OnDelete(DeleteBehavior.Restrict);
            binding.PrimitiveCollection(b => b.SecretAllowlist);
            binding.PrimitiveCollection(b => b.ClientIpAllowlist);
        });

        modelBuilder.Entity<AuditEntity>(audit =>
        {
            audit.HasIndex(a => a.Timestamp);
            audit.HasIndex(a => new { a.IdentityName, a.Id });
            // An identity's own records (its usage chart, ?identity=<id>) without scanning everyone's in the period.
            audit.HasIndex(a => new { a.IdentityId, a.Timestamp });
            // ?actor= by email or name, and by id: a person's changes without scanning the log.
            audit.HasIndex(a => new { a.ActorName, a.Id });
            audit.HasIndex(a => new { a.ActorId, a.Id });
            // ?run=: everything one CI job did, from its exchange to its last read.
            audit.HasIndex(a => new { a.Run, a.Id });
            audit.Property(a => a.Run).HasMaxLength(JobLineage.MaxValueLength);
            // An RFC 7638 SHA-256 thumbprint: 43 base64url characters.
            audit.Property(a => a.DpopKey).HasMaxLength(43);
            audit.HasIndex(a => a.Sequence).IsUnique();
            audit.Property(a => a.PreviousHash).HasMaxLength(64);
            audit.Property(a => a.Hash).HasMaxLength(64);
        });

        modelBuilder.Entity<AuditChainHeadEntity>(head =>
        {
            head.Property(h => h.Id).ValueGeneratedNever();
            head.Property(h => h.Hash).HasMaxLength(64);
            head.Property(h => h.PrunedThroughHash).HasMaxLength(64);
            head.HasData(new AuditChainHeadEntity { Id = AuditChainHeadEntity.SingleRow, Sequence = 0, Hash = AuditChain.Genesis, PrunedThroughHash = AuditChain.Genesis });
        });

        modelBuilder.Entity<SessionKeyEntity>(key => key.Property(k => k.Name).HasMaxLength(200));

        modelBuilder.Entity<ReplayEntity>(replay =>
        {
            replay.HasKey(r => r.Key);
            replay.HasIndex(r => r.KeepUntilTicks);
        });
        modelBuilder.Entity<Dpop.DpopProofEntity>(proof =>
        {
            proof.HasKey(p => p.Key);
            proof.Property(p => p.Key).HasMaxLength(64);
            proof.HasIndex(p => p.KeepUntilTicks);
        });

        modelBuilder.Entity<RevokedGrantEntity>(revoked =>
        {
            revoked.HasIndex(r => r.GrantId);
            revoked.HasIndex(r => new { r.IdentityType, r.IdentityId });
            revoked.HasIndex(r => r.KeepUntilTicks);
            revoked.Property(r => r.GrantId).HasMaxLength(64);
            revoked.Property(r => r.IdentityType).HasMaxLength(64);
            revoked.Property(r => r.IdentityId).HasMaxLength(64);
        });

        modelBuilder.Entity<LeakReportEntity>(leak =>
        {
            leak.HasKey(l => l.Digest);
            leak.HasIndex(l => new { l.IdentityType, l.IdentityId });
            leak.Property(l => l.Digest).HasMaxLength(64);
            leak.Property(l => l.IdentityType).HasMaxLength(64);
            leak.Property(l => l.IdentityId).HasMaxLength(64);
            leak.Property(l => l.Reporter).HasMaxLength(256);
            leak.Property(l => l.TokenType).HasMaxLength(2048);
            leak.Property(l => l.Source).HasMaxLength(2048);
            leak.Property(l => l.Url).HasMaxLength(2048);
            leak.Property(l => l.Response).HasMaxLength(64);
        });

        modelBuilder.Entity<UsageSignalEntity>(signal =>
        {
            // By identity id first: a fold batch loads the rows of the identities it saw.
            signal.HasKey(s => new { s.IdentityId, s.IdentityType, s.Kind, s.Value });
            signal.HasIndex(s => s.LastSeen);
            signal.Property(s => s.IdentityId).HasMaxLength(64);
            signal.Property(s => s.IdentityType).HasMaxLength(64);
            signal.Property(s => s.Kind).HasMaxLength(32);
            signal.Property(s => s.Value).HasMaxLength(Core.Governance.Usage.UsageSources.MaxValueLength);
        });

        modelBuilder.Entity<EventReceiverEntity>(receiver =>
        {
            receiver.Property(r => r.Id).HasMaxLength(64);
            receiver.Property(r => r.Url).HasMaxLength(2048);
            receiver.Property(r => r.Audience).HasMaxLength(2048);
            receiver.Property(r => r.CreatedBy).HasMaxLength(256);
        });

        modelBuilder.Entity<SecurityEventEntity>(e =>
        {
            e.Property(x => x.Transaction).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.IdentityType).HasMaxLength(64);
            e.Property(x => x.IdentityId).HasMaxLength(64);
            e.Property(x => x.IdentityName).HasMaxLength(256);
            e.Property(x => x.InitiatingEntity).HasMaxLength(16);
        });

        modelBuilder.Entity<EventDeliveryEntity>(delivery =>
        {
            delivery.HasIndex(d => new { d.DeliveredAt, d.GaveUpAt, d.NextAttemptAt });
            delivery.HasIndex(d => d.ReceiverId);
            delivery.Property(d => d.ReceiverId).HasMaxLength(64);
            delivery.Property(d => d.Jti).HasMaxLength(64);
            delivery.Property(d => d.LastOutcome).HasMaxLength(512);
            delivery.HasOne<SecurityEventEntity>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasOne<EventReceiverEntity>().WithMany().HasForeignKey(d => d.ReceiverId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SigningKeyEntity>().HasKey(k => k.Kid);

        modelBuilder.Entity<UserEntity>().HasIndex(u => u.Email).IsUnique();

        modelBuilder.Entity<SecretEntity>(secret =>
        {
            secret.HasIndex(s => new { s.Project, s.Environment, s.Key }).IsUnique();
            secret.HasMany(s => s.Versions).WithOne().HasForeignKey(v => v.SecretId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SecretVersionEntity>().HasIndex(v => new { v.SecretId, v.Version }).IsUnique();
        modelBuilder.Entity<Governance.PostureSnapshotEntity>(snapshot =>
        {
            snapshot.HasKey(s => s.Day);
            snapshot.Property(s => s.Grade).HasMaxLength(1);
        });

        modelBuilder.Entity<OrganisationSettingsEntity>(settings =>
        {
            settings.Property(o => o.Id).ValueGeneratedNever();
            settings.PrimitiveCollection(o => o.IpAllowlist);
        });
        modelBuilder.Entity<LeaseEntity>(lease =>
        {
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(100);
            lease.Property(l => l.Holder).HasMaxLength(200);
        });
        modelBuilder.Entity<ChangeCounterEntity>(counter =>
        {
            counter.HasKey(c => c.Name);
            counter.Property(c => c.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<PersonalTokenEntity>(token =>
        {
            token.HasKey(t => t.Digest);
            token.HasOne<UserEntity>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<MachineTokenEntity>(token =>
        {
            token.HasIndex(t => t.Digest).IsUnique();
            token.HasIndex(t => t.OwnerId);
            token.HasOne<UserEntity>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Restrict);
            token.PrimitiveCollection(t => t.SecretAllowlist);
        });

        modelBuilder.Entity<AgentEntity>(agent =>
        {
            agent.HasIndex(a => a.Digest).IsUnique();
            agent.HasIndex(a => a.OwnerId);
            agent.HasOne<UserEntity>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
            agent.PrimitiveCollection(a => a.SecretAllowlist);
        });

        ExactNameColumns.Apply(modelBuilder, Database.ProviderName);
    }
}
