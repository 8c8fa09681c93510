namespace PhoneAgent.AgentProfiles;

/// <summary><c>PhoneAgent:BusinessHours</c>: whether calls switch to a profile's <c>afterHoursProfile</c> by the clock.</summary>
internal enum BusinessHoursMode
{
    /// <summary>By the clock: outside <c>businessHours</c> the after-hours profile answers (the default).</summary>
    Enforce = 0,

    /// <summary>Never switch (load tests, demos at any hour, a team working late).</summary>
    AlwaysOpen,

    /// <summary>Always the after-hours profile where one is set (an unplanned closure).</summary>
    AlwaysClosed,
}
