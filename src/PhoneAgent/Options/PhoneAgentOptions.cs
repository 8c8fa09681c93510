using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Options;

/// <summary>Settings of the service itself, section <c>PhoneAgent</c>.</summary>
internal sealed class PhoneAgentOptions
{
    public const string SectionName = "PhoneAgent";

    /// <summary>Folder with one JSON file per agent profile.</summary>
    /// <value>
    /// Relative paths resolve against the content root, then against the application's base directory (where the
    /// shipped profiles are copied). The default value is <c>profiles</c>.
    /// </value>
    public string ProfilesPath { get; set; } = "profiles";

    /// <summary>Profile used when the called number is not claimed by any profile.</summary>
    /// <value>The default value is <c>customer-support</c>.</value>
    public string DefaultProfile { get; set; } = "customer-support";

    /// <summary>The public https base URL Twilio reaches this service at (e.g. behind a tunnel or Cloud Run).</summary>
    /// <value>Optional for now; an absolute https URL when set. The default value is <see langword="null"/>.</value>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// On SIGTERM, how long calls in flight may go on while the instance refuses new ones; calls still running then
    /// end with their profile's fallback (apology, then queue, dial or hang-up).
    /// </summary>
    /// <value>Between 0 and 1 hour (a call is shorter than an hour). The default value is 5 minutes.</value>
    public TimeSpan DrainTimeout { get; set; } = DefaultDrainTimeout;

    /// <summary>The default of <see cref="DrainTimeout"/>.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Whether calls switch to a profile's <c>businessHours.afterHoursProfile</c> by the clock.</summary>
    /// <value>The default value is <see cref="BusinessHoursMode.Enforce"/>.</value>
    public BusinessHoursMode BusinessHours { get; set; } = BusinessHoursMode.Enforce;

    public static string Key(string property) => $"{SectionName}:{property}";
}
