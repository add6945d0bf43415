using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.WebConsole;

/// <summary>A form's validation errors by field, each shown next to its input with <c>role="alert"</c>.</summary>
public sealed class FieldErrors(IEnumerable<ValidationError> errors)
{
    private readonly ILookup<string, string> _byField = errors.ToLookup(e => e.Field, e => e.Message);

    public static readonly FieldErrors None = new([]);

    public bool Any => _byField.Count > 0;

    public IReadOnlyList<string> For(string field) => _byField[field].ToList();

    /// <summary>The id of the field's error message, for the input's <c>aria-describedby</c>; null when it has none.</summary>
    public string? DescribedBy(string field) => _byField.Contains(field) ? Id(field) : null;

    /// <summary>The field's messages as one alert paragraph, or nothing.</summary>
    public IHtmlContent Show(string field)
    {
        if (!_byField.Contains(field))
        {
            return HtmlString.Empty;
        }

        var alert = new TagBuilder("p");
        alert.AddCssClass("error field-error");
        alert.Attributes["role"] = "alert";
        alert.Attributes["id"] = Id(field);
        alert.Attributes["data-field"] = field;
        alert.InnerHtml.Append(string.Join("; ", _byField[field]));
        return alert;
    }

    private static string Id(string field) => "error-" + new string(field.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
