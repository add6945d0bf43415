namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>Why a subject token was not accepted. <see cref="Code"/> is a stable identifier; <see cref="Detail"/> is for admins only.</summary>
public sealed record SubjectTokenRefusal(string Code, string Detail);
