using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Application.Governance;
using Secr.Federation.Core.Common;
using Secr.Federation.Core.Governance;
using Secr.Federation.Data.Governance;

namespace Secr.Federation.Server.Admin;

/// <summary>Organisation policies: view, set (with <c>?dry_run=true</c> listing the identities a change would affect), and run now.</summary>
public static class PoliciesApi
{
    /// <summary>The policies as the API and the console's form send them; <see cref="Validate"/> and <see cref="ToPolicies"/> serve both.</summary>
    public sealed record PoliciesDto(
        bool? RequireExpiry, int? MaxLifetimeDays, IReadOnlyDictionary<string, int>? MaxLifetimeDaysByEnvironment,
        int? AutoDisableAfterDays, int? BrownoutPercent, IReadOnlyList<string>? ReadWriteForbiddenEnvironments, string? LeakResponse = null, string? RequireDpop = null,
        string? MinGrade = null, IReadOnlyDictionary<string, string>? MinGradeByEnvironment = null)
    {
        public static PoliciesDto From(OrganisationPolicies p) => new(
            p.RequireExpiryEnabled, p.MaxLifetimeDays, p.MaxLifetimeDaysByEnvironment, p.AutoDisableAfterDays, p.BrownoutPercent, p.ReadWriteForbiddenEnvironments, p.LeakResponse,
            p.RequireDpop, p.MinGrade, p.MinGradeByEnvironment);

        public OrganisationPolicies ToPolicies() => new()
        {
            RequireExpiryEnabled = RequireExpiry ?? false,
            MaxLifetimeDays = MaxLifetimeDays,
            MaxLifetimeDaysByEnvironment = MaxLifetimeDaysByEnvironment ?? new Dictionary<string, int>(),
            AutoDisableAfterDays = AutoDisableAfterDays,
            BrownoutPercent = BrownoutPercent ?? 0,
            ReadWriteForbiddenEnvironments = ReadWriteForbiddenEnvironments ?? [],
            LeakResponse = LeakResponse ?? OrganisationPolicies.LeakDisable,
            RequireDpop = RequireDpop ?? OrganisationPolicies.DpopOff,
            MinGrade = MinGrade,
            MinGradeByEnvironment = MinGradeByEnvironment ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>A policy change, or its dry run: the policies as set and the identities they affect.</summary>
    public sealed record PolicyChange(bool DryRun, PoliciesDto Policies, IReadOnlyList<AffectedIdentity> Affected);

    public static RouteGroupBuilder MapPolicies(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/policies").WithTags("Governance");
        policies.MapGet("/", async (PolicyStore store, CancellationToken ct) => TypedResults.Ok(PoliciesDto.From(await store.GetAsync(ct))));
        policies.MapPut("/", async Task<Results<Ok<PolicyChange>, ValidationProblem>> (PoliciesDto request, [FromQuery(Name = "dry_run")] bool? dryRun, PolicyAdministration admin, HttpContext http, CancellationToken ct) =>
        {
            // A misspelt dry-run flag must not turn a preview into an organisation-wide change.
            if (http.Request.Query.Keys.FirstOrDefault(k => k != "dry_run") is { } unknown)
            {
                return ProblemResults.Invalid(unknown, "unknown query parameter; the only one is dry_run");
            }

            var proposed = request.ToPolicies();
            var affected = await admin.SetAsync(proposed, dryRun ?? false, http.Actor(), ct);
            return affected.Status == ChangeStatus.Ok
                ? TypedResults.Ok(new PolicyChange(dryRun ?? false, PoliciesDto.From(proposed), affected.Value!))
                : ProblemResults.Invalid(affected.Errors);
        });
        policies.MapPost("/enforce", async (AutoDisable autoDisable, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(new { disabled = await autoDisable.RunAsync(http.Actor(), ct) }));
        return api;
    }
}
