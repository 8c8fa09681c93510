namespace PhoneAgent.AgentProfiles;

/// <summary>
/// <c>businessHours</c>: when the team works. Outside these hours the voice webhook answers with
/// <see cref="AfterHoursProfile"/>, and <c>schedule_callback</c> only books times inside them.
/// </summary>
internal sealed record BusinessHoursSettings
{
    /// <summary>Required IANA time zone of the hours, e.g. <c>America/New_York</c>.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Weekly opening windows, e.g. <c>{"days": ["monday", "friday"], "open": "09:00", "close": "17:30"}</c>.</summary>
    public IReadOnlyList<OpeningWindow> Weekly { get; set; } = [];

    /// <summary>Whole days (in <see cref="TimeZone"/>) when the team does not work, e.g. public holidays.</summary>
    public IReadOnlyList<DateOnly> ClosedDates { get; set; } = [];

    /// <summary>Profile that answers calls outside the hours; <see langword="null"/> keeps this profile.</summary>
    public string? AfterHoursProfile { get; set; }
}

/// <summary>One weekly window: open from <see cref="Open"/> to <see cref="Close"/> (local, <c>HH:mm</c>) on each of <see cref="Days"/>.</summary>
internal sealed record OpeningWindow
{
    /// <summary>Lower-case English day names: <c>monday</c> … <c>sunday</c>.</summary>
    public IReadOnlyList<string> Days { get; set; } = [];

    /// <summary><c>HH:mm</c>, inclusive.</summary>
    public string Open { get; set; } = "";

    /// <summary><c>HH:mm</c> (<c>24:00</c> for midnight), exclusive; after <see cref="Open"/>. Split a window across midnight in two.</summary>
    public string Close { get; set; } = "";
}
