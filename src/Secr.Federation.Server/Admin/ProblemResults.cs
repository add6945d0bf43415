using Microsoft.AspNetCore.Http.HttpResults;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Admin;

/// <summary>Maps a refused admin change to RFC 9457 problem details that name the offending fields.</summary>
public static class ProblemResults
{
    public static IResult From<T>(ChangeResult<T> result, Func<T, IResult> ok) => result.Status switch
    {
        ChangeStatus.Ok => ok(result.Value!),
        ChangeStatus.Invalid => Invalid(result.Errors),
        ChangeStatus.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found", detail: result.Message),
        ChangeStatus.Forbidden => TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: result.Message, extensions: Code(result.Code)),
        _ => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: result.Message, extensions: Code(result.Code)),
    };

    /// <summary>A refusal's stable machine-readable code (RFC 9457 extension member), when it has one.</summary>
    private static Dictionary<string, object?>? Code(string? code) => code is null ? null : new Dictionary<string, object?> { ["code"] = code };

    public static ValidationProblem Invalid(IReadOnlyList<ValidationError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")),
            title: "The request is invalid");

    public static ValidationProblem Invalid(string field, string message) => Invalid([new ValidationError(field, message)]);
}
