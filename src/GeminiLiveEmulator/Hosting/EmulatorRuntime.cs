using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Sessions;

namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>What every session of one server shares: options, scenario, speech, handles and the session logs.</summary>
internal sealed class EmulatorRuntime
{
    public EmulatorRuntime(EmulatorOptions options)
    {
        Options = options;
        Scenario = options.Scenario;
        Time = options.TimeProvider;
        LoggerFactory = options.LoggerFactory;
        Speech = new SpeechRenderer(ClipLibrary.Embedded, EspeakSynthesizer.Locate(options.EspeakPath));
        Resumption = new ResumptionRegistry(Time, options.ResumptionHandleLifetime);
        Sessions = new SessionRegistry(options.MaxRetainedSessions, options.MaxLogEntriesPerSession, Time);
    }

    public EmulatorOptions Options { get; }

    public EmulatorScenario Scenario { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public SpeechRenderer Speech { get; }

    public ResumptionRegistry Resumption { get; }

    public SessionRegistry Sessions { get; }

    /// <summary>Cancelled when the server stops; open sessions close with 1011 "The service is currently unavailable."</summary>
    public CancellationToken Stopping { get; set; }
}
