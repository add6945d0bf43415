using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Admin;

/// <summary>Maps a refused admin change to RFC 9457 problem details that name the offending fields.</summary>
public static class ProblemResults
{
    /// <summary>A change's answer: <paramref name="ok"/> with its value, or the problem that refused it; typed, so OpenAPI describes both.</summary>
    public static Results<TOk, ValidationProblem, ChangeRefusal> From<T, TOk>(ChangeResult<T> result, Func<T, TOk> ok)
        where TOk : IResult => result.Status switch
    {
        ChangeStatus.Ok => ok(result.Value!),
        ChangeStatus.Invalid => Invalid(result.Errors),
        ChangeStatus.NotFound => new ChangeRefusal(TypedResults.Problem(statusCode: 404, title: "Not found", detail: result.Message)),
        ChangeStatus.Forbidden => new ChangeRefusal(TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: result.Message, extensions: Code(result.Code))),
        _ => new ChangeRefusal(TypedResults.Problem(statusCode: 409, title: "Conflict", detail: result.Message, extensions: Code(result.Code))),
    };

    /// <summary>The 404 problem of something that does not exist.</summary>
    public static NotFoundProblem NotFound(string detail) => new(TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail));

    /// <summary>A refusal's stable machine-readable code (RFC 9457 extension member), when it has one.</summary>
    private static Dictionary<string, object?>? Code(string? code) => code is null ? null : new Dictionary<string, object?> { ["code"] = code };

    public static ValidationProblem Invalid(IReadOnlyList<ValidationError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")),
            title: "The request is invalid");

    public static ValidationProblem Invalid(string field, string message) => Invalid([new ValidationError(field, message)]);
}

/// <summary>A problem result that tells OpenAPI which statuses it answers with (a plain problem result tells it none).</summary>
public abstract class DescribedProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => problem.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => problem.ExecuteAsync(httpContext);

    protected static void Describe(EndpointBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }
}

/// <summary>A refused change: 403 (not the caller's to make), 404 (nothing to change) or 409 (the state forbids it).</summary>
public sealed class ChangeRefusal(ProblemHttpResult problem) : DescribedProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 403, 404, 409);
}

/// <summary>A 404 problem.</summary>
public sealed class NotFoundProblem(ProblemHttpResult problem) : DescribedProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 404);
}
