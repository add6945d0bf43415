namespace Secr.Federation.Core.Federation.Bindings;

/// <summary>One condition of a trust binding. All conditions of a binding must hold.</summary>
/// <param name="Claim">As the admin wrote it: a preset alias, a top-level claim name, or a JSON Pointer.</param>
public sealed record BindingCondition(string Claim, ConditionOperator Operator, IReadOnlyList<ClaimValue> Values)
{
    public override string ToString() => Operator == ConditionOperator.Exists
        ? $"{Claim} exists"
        : $"{Claim} {Operator.ToText()} {(Values.Count == 1 ? Values[0].ToString() : "[" + string.Join(", ", Values) + "]")}";
}
