using System.Globalization;

namespace Secr.Federation.Server.WebConsole;

/// <summary>
/// A bar chart drawn as inline SVG on the server: no chart library, no script. Each series is a colour class; the
/// same figures are also given as a table for screen readers and keyboard users.
/// </summary>
public sealed record BarChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<BarSeries> Series)
{
    public const int Width = 640;
    public const int Height = 180;

    public int Max => Math.Max(1, Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());

    /// <summary>The left edge and width of bar <paramref name="series"/> in group <paramref name="index"/>.</summary>
    public (double X, double Width) Bar(int index, int series)
    {
        var group = (double)Width / Math.Max(1, Labels.Count);
        var bar = group * 0.8 / Math.Max(1, Series.Count);
        return (index * group + group * 0.1 + series * bar, Math.Max(1, bar - 1));
    }

    public double BarHeight(int value) => Height * value / (double)Max;

    /// <summary>A coordinate as SVG writes it, whatever the server's culture.</summary>
    public static string Svg(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <param name="CssClass">Which colour the series is drawn in (see console.css).</param>
public sealed record BarSeries(string Name, string CssClass, IReadOnlyList<int> Values);
