using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class LiveSession
{
    private SessionSetup? _setup;
    private WireFlavor _flavor = WireFlavor.DeveloperApi2;
    private SessionLineage? _lineage;
    private ConversationState _conversation = new();
    private int _connectionNumber;
    private string _modelId = "";
    private bool _audioOutput = true;
    private bool _thinking;
    private long _clientMessageIndex;

    private SessionSetup Setup => _setup!;

    private bool ResumptionEnabled => Setup.SessionResumption || _flavor.ResumptionUpdatesWithoutRequest;

    private void OnClientFrame(ClientFrameReceived frame)
    {
        if (_phase == Phase.AwaitingSetup)
        {
            CheckCredentials();
        }

        ClientMessage message;
        try
        {
            message = ClientMessageParser.Parse(frame.Payload.AsMemory(0, frame.Length), _endpoint);
        }
        catch (ProtocolViolationException)
        {
            _recorder.Received("invalid", Preview(frame.Payload.AsSpan(0, frame.Length)));
            throw;
        }

        RecordReceived(message);
        switch (_phase)
        {
            case Phase.AwaitingSetup when message is SetupMessage setup:
                OnSetup(setup.Setup);
                return;
            case Phase.AwaitingSetup:
                throw ProtocolViolationException.InvalidArgument($"the first message must be setup (got {message.Kind})");
            case Phase.SettingUp:
                throw ProtocolViolationException.InvalidArgument($"{message.Kind} arrived before setupComplete");
        }

        _clientMessageIndex++;
        switch (message)
        {
            case SetupMessage:
                throw ProtocolViolationException.InvalidArgument("a second setup on the same connection");
            case RealtimeInputMessage input:
                OnRealtimeInput(input);
                break;
            case ClientContentMessage content:
                OnClientContent(content);
                break;
            case ToolResponseMessage response:
                OnToolResponse(response);
                break;
        }
    }

    private void OnSetup(SessionSetup setup)
    {
        _modelId = ModelIdOf(setup.Model);
        CheckSetup(setup);
        _setup = setup;
        _flavor = WireFlavor.For(_endpoint, _modelId);
        if (setup.ResumeHandle is { } handle)
        {
            Resume(handle);
        }
        else
        {
            _lineage = new SessionLineage(Guid.NewGuid().ToString());
            _conversation = new ConversationState();
        }

        _connectionNumber = _lineage!.AddConnection();
        var log = _recorder.Log;
        log.SessionId = _lineage.SessionId;
        log.ConnectionNumber = _connectionNumber;
        log.Model = setup.Model;
        log.ResumedWithHandle = setup.ResumeHandle;
        log.TurnCount = _conversation.UserTurns;

        var realtime = setup.RealtimeInput;
        _audio = new CallerAudioAnalyzer(realtime.AutomaticActivityDetection ? new VoiceActivityDetector(VadSettings.From(realtime)) : null);
        _thinking = _flavor.Thinks && _audioOutput && setup.ThinkingBudget != 0 && _modelId.Contains("native-audio", StringComparison.Ordinal);
        _recorder.Note("setup", Describe(setup));
        if (FireFaults(ScenarioFaultPoint.Setup, turn: null))
        {
            return;
        }

        _phase = Phase.SettingUp;
        Schedule(Options.SetupLatency, new TimerFired(TimerKind.SetupComplete, 0));
    }

    private void OnSetupComplete()
    {
        if (_phase != Phase.SettingUp)
        {
            return;
        }

        _phase = Phase.Active;
        _recorder.Log.SetupCompleted = true;
        ArmTimers();
        Send(ServerMessages.SetupComplete(_flavor.SetupCompleteHasSessionId ? _lineage!.SessionId : null));
        SendResumptionUpdate();
    }

    /// <summary>Time-based goAway and faults count from setupComplete (armed before it is sent, so a test clock sees them).</summary>
    private void ArmTimers()
    {
        if (Scenario.GoAway is { AfterSeconds: { } after } goAway && (goAway.EveryConnection || _connectionNumber == 1))
        {
            Schedule(TimeSpan.FromSeconds(after), new TimerFired(TimerKind.GoAway, 0));
        }

        for (var i = 0; i < Scenario.Faults.Count; i++)
        {
            var fault = Scenario.Faults[i];
            if (fault is { AfterSeconds: { } seconds } && fault.Kind != ScenarioFaultKind.RefuseResume && ConnectionMatches(fault))
            {
                Schedule(TimeSpan.FromSeconds(seconds), new TimerFired(TimerKind.Fault, i));
            }
        }
    }

    private static string DefaultReason(int code) => code switch
    {
        CloseReasons.InvalidPayload => CloseReasons.InvalidArgument,
        CloseReasons.PolicyViolation => CloseReasons.NotImplemented,
        CloseReasons.InternalError => CloseReasons.Internal,
        _ => "",
    };

}
