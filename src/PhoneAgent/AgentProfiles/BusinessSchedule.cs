using System.Globalization;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// <see cref="BusinessHoursSettings"/> read for use: the time zone resolved and the windows as minutes of the day.
/// Every question takes an instant (from the injected <see cref="TimeProvider"/>), so tests choose the hour.
/// </summary>
internal sealed class BusinessSchedule
{
    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private readonly List<(int Open, int Close)>[] _byDay;
    private readonly HashSet<DateOnly> _closed;

    private BusinessSchedule(TimeZoneInfo zone, List<(int Open, int Close)>[] byDay, HashSet<DateOnly> closed)
    {
        Zone = zone;
        _byDay = byDay;
        _closed = closed;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Reads validated settings (see <see cref="AgentProfileValidator"/>); throws on invalid ones.</summary>
    public static BusinessSchedule From(BusinessHoursSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>();
        var schedule = TryCreate(settings, "$.businessHours", (path, message) => errors.Add($"{path} {message}"));
        return schedule ?? throw new ArgumentException(string.Join("; ", errors), nameof(settings));
    }

    /// <summary>Reports each problem to <paramref name="error"/> as (json path, message); returns the schedule when there were none.</summary>
    public static BusinessSchedule? TryCreate(BusinessHoursSettings settings, string path, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        void Add(string at, string message)
        {
            failed = true;
            error(at, message);
        }

        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(settings.TimeZone))
        {
            Add($"{path}.timeZone", $"is required (an IANA time zone such as \"America/New_York\")");
        }
        else if (!TryFindZone(settings.TimeZone, out zone))
        {
            Add($"{path}.timeZone", $"'{settings.TimeZone}' is not a known IANA time zone (e.g. \"Europe/London\")");
        }

        if (settings.Weekly.Count == 0)
        {
            Add($"{path}.weekly", $"must list at least one opening window");
        }

        var byDay = Enumerable.Range(0, 7).Select(_ => new List<(int, int)>()).ToArray();
        for (var i = 0; i < settings.Weekly.Count; i++)
        {
            var window = settings.Weekly[i];
            var at = $"{path}.weekly[{i}]";
            var open = ParseClock(window.Open, allowMidnightEnd: false);
            var close = ParseClock(window.Close, allowMidnightEnd: true);
            if (open is null)
            {
                Add($"{at}.open", $"must be a time of day \"HH:mm\" such as \"09:00\" (got '{window.Open}')");
            }

            if (close is null)
            {
                Add($"{at}.close", $"must be a time of day \"HH:mm\" such as \"17:30\", or \"24:00\" (got '{window.Close}')");
            }
            else if (open is not null && close <= open)
            {
                Add($"{at}.close", $"must be after {at}.open (split a window across midnight in two)");
            }

            if (window.Days.Count == 0)
            {
                Add($"{at}.days", $"must list at least one day");
            }

            for (var d = 0; d < window.Days.Count; d++)
            {
                var day = Array.IndexOf(DayNames, window.Days[d]);
                if (day < 0)
                {
                    Add($"{at}.days[{d}]", $"must be one of {string.Join(", ", DayNames.Skip(1).Append(DayNames[0]).Select(n => $"\"{n}\""))} (got '{window.Days[d]}')");
                }
                else if (open is not null && close is not null && close > open)
                {
                    byDay[day].Add((open.Value, close.Value));
                }
            }
        }

        return !failed ? new BusinessSchedule(zone!, byDay, [.. settings.ClosedDates]) : null;
    }

    /// <summary>Whether the team works at <paramref name="instant"/>.</summary>
    public bool IsOpen(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        if (_closed.Contains(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }

        var minute = (local.Hour * 60) + local.Minute;
        return _byDay[(int)local.DayOfWeek].Exists(w => minute >= w.Open && minute < w.Close);
    }

    /// <summary>The next instant at or after <paramref name="from"/> when the team works, looking 14 days ahead.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset from)
    {
        if (IsOpen(from))
        {
            return from;
        }

        var local = TimeZoneInfo.ConvertTime(from, Zone);
        for (var d = 0; d <= 14; d++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(d);
            if (_closed.Contains(date))
            {
                continue;
            }

            foreach (var (open, _) in _byDay[(int)date.DayOfWeek].OrderBy(w => w.Open))
            {
                var wall = date.ToDateTime(TimeOnly.MinValue).AddMinutes(open);
                var instant = new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
                if (instant >= from && IsOpen(instant))
                {
                    return instant;
                }
            }
        }

        return null;
    }

    /// <summary>Opening hours in words for the model, e.g. "monday-friday 09:00-17:30 (America/New_York)".</summary>
    public string Describe() =>
        string.Join("; ", Enumerable.Range(1, 7).Select(i => i % 7)
            .Where(d => _byDay[d].Count > 0)
            .Select(d => $"{DayNames[d]} {string.Join(", ", _byDay[d].OrderBy(w => w.Open).Select(w => $"{Clock(w.Open)}-{Clock(w.Close)}"))}"))
        + $" ({Zone.Id})";

    /// <summary>An IANA id (also accepted on Windows through ICU).</summary>
    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    private static int? ParseClock(string? text, bool allowMidnightEnd)
    {
        if (allowMidnightEnd && text == "24:00")
        {
            return 24 * 60;
        }

        return text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? (time.Hour * 60) + time.Minute
            : null;
    }

    private static string Clock(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";
}
