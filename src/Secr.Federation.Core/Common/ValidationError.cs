namespace Secr.Federation.Core.Common;

/// <summary>A rejected input, naming the field (JSON path as the client sent it) and what is wrong with it.</summary>
public sealed record ValidationError(string Field, string Message);
