namespace PhoneAgent.Hosting;

internal sealed partial class StartupReport
{
    // EventIds 1-9 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "PhoneAgent configuration: ProfilesPath={ProfilesPath}, DefaultProfile={DefaultProfile}, PublicBaseUrl={PublicBaseUrl}",
            EventName = "PhoneAgentConfiguration")]
        public static partial void PhoneAgentConfiguration(ILogger logger, string profilesPath, string defaultProfile, string publicBaseUrl);

        [LoggerMessage(2, LogLevel.Information, "Twilio configuration: AuthToken set={AuthTokenSet}", EventName = "TwilioConfiguration")]
        public static partial void TwilioConfiguration(ILogger logger, bool authTokenSet);

        [LoggerMessage(3, LogLevel.Information, "Gemini configuration: ApiKey set={ApiKeySet}", EventName = "GeminiConfiguration")]
        public static partial void GeminiConfiguration(ILogger logger, bool apiKeySet);

        [LoggerMessage(4, LogLevel.Information, "Listen address {Address} (from {Source})", EventName = "ListenAddressApplied")]
        public static partial void ListenAddressApplied(ILogger logger, string address, ListenAddressSource source);

        [LoggerMessage(5, LogLevel.Information, "Listen address left to the host settings (from {Source})", EventName = "ListenAddressConfigured")]
        public static partial void ListenAddressConfigured(ILogger logger, ListenAddressSource source);
    }
}
