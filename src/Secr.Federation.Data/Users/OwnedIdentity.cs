namespace Secr.Federation.Data.Users;

/// <summary>An identity a user owns, as offboarding lists it.</summary>
public sealed record OwnedIdentity(string Type, string Id, string Name, string Status);
