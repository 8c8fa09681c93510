using System.Globalization;
using System.Security;
using System.Text;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// A small SVG plotter for the load report: bars, lines, step lines and areas on a linear x axis and one or two y
/// axes, with ticks, a legend and limit lines. Pure text: no script, no external style or font.
/// </summary>
public sealed class SvgChart
{
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    private const int Left = 64;
    private const int Right = 64;
    private const int Top = 34;
    private const int Bottom = 46;

    private readonly List<Series> _series = [];
    private readonly List<(double Y, string Color, string Label)> _limits = [];

    public SvgChart(string title, string xLabel, string yLabel, int width = 640, int height = 300)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        Width = width;
        Height = height;
    }

    public string Title { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    /// <summary>The right axis's label (series added with <c>rightAxis</c>).</summary>
    public string? Y2Label { get; set; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Fixes the left axis's top (otherwise from the data).</summary>
    public double? YMax { get; set; }

    public bool IsEmpty => _series.All(s => s.Points.Count == 0);

    public SvgChart Bars(IEnumerable<(double X0, double X1, double Y)> bars, string color, string label)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var list = bars.ToList();
        _series.Add(new Series(SeriesKind.Bars, [.. list.SelectMany(b => new[] { (b.X0, b.Y), (b.X1, b.Y) })], color, label, false, false));
        return this;
    }

    public SvgChart Line(IEnumerable<(double X, double Y)> points, string color, string label, bool step = false, bool dashed = false, bool rightAxis = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        _series.Add(new Series(step ? SeriesKind.Step : SeriesKind.Line, [.. points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))], color, label, dashed, rightAxis));
        return this;
    }

    public SvgChart Area(IEnumerable<(double X, double Y)> points, string color, string label, bool rightAxis = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        _series.Add(new Series(SeriesKind.Area, [.. points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))], color, label, false, rightAxis));
        return this;
    }

    /// <summary>A horizontal line on the left axis (a limit).</summary>
    public SvgChart Limit(double y, string color, string label)
    {
        _limits.Add((y, color, label));
        return this;
    }

    /// <summary>The SVG; <paramref name="standalone"/> adds the XML namespace a file needs (inline in HTML it is implied).</summary>
    public string Render(bool standalone)
    {
        var sb = new StringBuilder();
        var ns = standalone ? " xmlns=\"http" + "://www.w3.org/2000/svg\"" : "";
        sb.Append(CultureInfo.InvariantCulture, $"<svg{ns} width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Esc(Title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Esc(Title)}</text>");
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var all = _series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#888\">no data</text></svg>");
            return sb.ToString();
        }

        var xMin = all.Min(p => p.X);
        var xMax = all.Max(p => p.X);
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var left = _series.Where(s => !s.RightAxis).SelectMany(s => s.Points).Select(p => p.Y).Concat(_limits.Select(l => l.Y)).DefaultIfEmpty(1).Max();
        var yTicks = Ticks(0, YMax ?? Math.Max(left, 1e-9));
        var yMax = YMax ?? yTicks[^1];
        var right = _series.Where(s => s.RightAxis).SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0).Max();
        var y2Ticks = Ticks(0, Math.Max(right, 1));
        var y2Max = y2Ticks[^1];
        var xTicks = Ticks(xMin, xMax);

        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * plotW);
        double Y(double y, bool rightAxis) => Top + plotH - (Math.Clamp(y / (rightAxis ? y2Max : yMax), 0, 1.02) * plotH);

        // Grid and axes
        foreach (var t in yTicks)
        {
            var y = Y(t, false);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotW}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Num(t)}</text>");
        }

        foreach (var t in xTicks.Where(t => t >= xMin - 1e-9 && t <= xMax + 1e-9))
        {
            var x = X(t);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{Top + plotH}\" x2=\"{x:0.#}\" y2=\"{Top + plotH + 4}\" stroke=\"#444\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Num(t)}</text>");
        }

        if (_series.Any(s => s.RightAxis))
        {
            foreach (var t in y2Ticks)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW + 6}\" y=\"{Y(t, true) + 4:0.#}\" fill=\"#777\">{Num(t)}</text>");
            }

            sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({Width - 12},{Top + (plotH / 2)}) rotate(90)\" text-anchor=\"middle\" fill=\"#777\">{Esc(Y2Label ?? "")}</text>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Left + plotW}\" y2=\"{Top + plotH}\" stroke=\"#444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotW / 2)}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Esc(XLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14,{Top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel)}</text>");

        // Series: areas first, then bars, then lines
        foreach (var s in _series.OrderBy(s => s.Kind switch { SeriesKind.Area => 0, SeriesKind.Bars => 1, _ => 2 }))
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            switch (s.Kind)
            {
                case SeriesKind.Bars:
                    for (var i = 0; i + 1 < s.Points.Count; i += 2)
                    {
                        var x0 = X(s.Points[i].X);
                        var x1 = X(s.Points[i + 1].X);
                        var y = Y(s.Points[i].Y, false);
                        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0:0.##}\" y=\"{y:0.##}\" width=\"{Math.Max(0.8, x1 - x0 - 0.5):0.##}\" height=\"{Math.Max(0, Top + plotH - y):0.##}\" fill=\"{s.Color}\" fill-opacity=\"0.75\"/>");
                    }

                    break;
                case SeriesKind.Area:
                    var area = new StringBuilder();
                    area.Append(CultureInfo.InvariantCulture, $"{X(s.Points[0].X):0.#},{Top + plotH} ");
                    foreach (var p in s.Points)
                    {
                        area.Append(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y, s.RightAxis):0.#} ");
                    }

                    area.Append(CultureInfo.InvariantCulture, $"{X(s.Points[^1].X):0.#},{Top + plotH}");
                    sb.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{area}\" fill=\"{s.Color}\" fill-opacity=\"0.15\" stroke=\"none\"/>");
                    break;
                default:
                    var line = new StringBuilder();
                    for (var i = 0; i < s.Points.Count; i++)
                    {
                        var p = s.Points[i];
                        if (s.Kind == SeriesKind.Step && i > 0)
                        {
                            line.Append(CultureInfo.InvariantCulture, $"{X(p.X):0.##},{Y(s.Points[i - 1].Y, s.RightAxis):0.##} ");
                        }

                        line.Append(CultureInfo.InvariantCulture, $"{X(p.X):0.##},{Y(p.Y, s.RightAxis):0.##} ");
                    }

                    var dash = s.Dashed ? " stroke-dasharray=\"5,3\"" : "";
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{line.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\"{dash}/>");
                    if (s.Points.Count == 1)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(s.Points[0].X):0.##}\" cy=\"{Y(s.Points[0].Y, s.RightAxis):0.##}\" r=\"2.5\" fill=\"{s.Color}\"/>");
                    }

                    break;
            }
        }

        foreach (var (y, color, label) in _limits)
        {
            var py = Y(y, false);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{py:0.#}\" x2=\"{Left + plotW}\" y2=\"{py:0.#}\" stroke=\"{color}\" stroke-dasharray=\"2,3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW - 4}\" y=\"{py - 3:0.#}\" text-anchor=\"end\" fill=\"{color}\">{Esc(label)}</text>");
        }

        // Legend
        var lx = Left + 8;
        foreach (var s in _series.Where(s => s.Label.Length > 0 && s.Points.Count > 0))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{Top + 2}\" width=\"10\" height=\"10\" fill=\"{s.Color}\" fill-opacity=\"{(s.Kind == SeriesKind.Area ? 0.3 : 0.9)}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 14}\" y=\"{Top + 11}\">{Esc(s.Label)}</text>");
            lx += 24 + (int)(s.Label.Length * 6.2);
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>"Nice" ticks from <paramref name="min"/> to at least <paramref name="max"/> (1, 2 or 5 × 10^k apart, about 5 of them).</summary>
    public static IReadOnlyList<double> Ticks(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max <= min)
        {
            return [min, min + 1];
        }

        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var start = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var t = start; ticks.Count < 50; t += step)
        {
            ticks.Add(Math.Round(t, 10));
            if (t >= max - 1e-12)
            {
                break;
            }
        }

        return ticks;
    }

    private static string Num(double v) => Math.Abs(v) >= 10_000 ? (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";

    private enum SeriesKind
    {
        Line,
        Step,
        Bars,
        Area,
    }

    private sealed record Series(SeriesKind Kind, IReadOnlyList<(double X, double Y)> Points, string Color, string Label, bool Dashed, bool RightAxis);
}
