using Secr.Federation.Core.Admission;

namespace Secr.Federation.Core.Federation.SubjectTokens;

/// <summary>Why a subject token was not accepted. <see cref="Code"/> is a stable identifier; <see cref="Detail"/> is for admins only.</summary>
public sealed record SubjectTokenRefusal(RefusalCode Code, string Detail);
