namespace PhoneAgent.AgentProfiles;

internal sealed partial class AgentProfileCatalogFactory
{
    // EventIds 10-19 belong to agent profiles; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Loading agent profiles from {Directory}", EventName = "LoadingProfiles")]
        public static partial void LoadingProfiles(ILogger logger, string directory);

        [LoggerMessage(11, LogLevel.Information,
            "Agent profile {Profile}: language {Language}, voice {Voice}, {PhoneNumberCount} phone number(s), fallback {FallbackAction}",
            EventName = "ProfileLoaded")]
        public static partial void ProfileLoaded(ILogger logger, string profile, string language, string voice, int phoneNumberCount, FallbackAction fallbackAction);

        [LoggerMessage(12, LogLevel.Information, "Loaded {Count} agent profile(s); default profile {DefaultProfile}", EventName = "ProfilesLoaded")]
        public static partial void ProfilesLoaded(ILogger logger, int count, string defaultProfile);
    }
}
