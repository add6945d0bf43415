namespace Secr.Federation.Core.Common;

public enum ChangeStatus
{
    Ok,
    Invalid,
    NotFound,
    Conflict,

    /// <summary>The caller may not make this change to this object, though someone else may (an admin).</summary>
    Forbidden,
}

/// <summary>The result of an admin change: done, or why nothing was written (<paramref name="Code"/>: a refusal's machine-readable code).</summary>
public sealed record ChangeResult<T>(T? Value, ChangeStatus Status, IReadOnlyList<ValidationError> Errors, string? Message, string? Code = null)
{
    public static ChangeResult<T> Ok(T value) => new(value, ChangeStatus.Ok, [], null);

    public static ChangeResult<T> Invalid(IReadOnlyList<ValidationError> errors) => new(default, ChangeStatus.Invalid, errors, "the request is invalid");

    public static ChangeResult<T> Invalid(string field, string message) => Invalid([new ValidationError(field, message)]);

    public static ChangeResult<T> NotFound(string message) => new(default, ChangeStatus.NotFound, [], message);

    public static ChangeResult<T> Conflict(string message, string? code = null) => new(default, ChangeStatus.Conflict, [], message, code);

    public static ChangeResult<T> Forbidden(string code, string message) => new(default, ChangeStatus.Forbidden, [], message, code);
}
