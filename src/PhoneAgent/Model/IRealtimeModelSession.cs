using System.Threading.Channels;

namespace PhoneAgent.Model;

/// <summary>
/// One conversation with a realtime model, possibly carried over several connections (resumption, goAway hand-over,
/// reconnects). The consumer sees audio, events and tool calls, never wire JSON.
/// </summary>
/// <remarks>
/// <para><b>Two lanes.</b> <see cref="Audio"/> carries model speech, buffered by time (bounded by
/// <c>Gemini:MaxBufferedOutputAudio</c>; when the consumer falls that far behind the oldest chunk is dropped and
/// counted in <see cref="Counters"/>). <see cref="Events"/> carries everything else and is never stuck behind audio:
/// an <see cref="Interrupted"/> is readable the moment it arrives even with seconds of speech queued. The receive loop
/// never waits for the consumer on either lane.</para>
/// <para><b>Ordering across lanes.</b> Every chunk carries its model <see cref="ModelAudioChunk.Turn"/> and a running
/// <see cref="ModelAudioChunk.Sequence"/>. On <see cref="Interrupted"/> the session drops the queued audio of that
/// turn itself; a chunk already taken by the consumer is recognised as stale by its turn. <see cref="TurnComplete"/>
/// names the sequence of the turn's last chunk, so a consumer knows when the turn's audio has been played.</para>
/// <para><b>Sends never wait for the network.</b> Audio goes into a bounded buffer (at most 2 s, oldest dropped and
/// counted) drained by the session's single writer; text, content and tool results go ahead of queued audio.</para>
/// </remarks>
public interface IRealtimeModelSession : IAsyncDisposable
{
    /// <summary>Local id for logs and correlation (not the provider's session id).</summary>
    string Id { get; }

    /// <summary>Sample rate of the PCM16 LE mono audio <see cref="SendAudio"/> expects.</summary>
    int InputSampleRate { get; }

    /// <summary>Sample rate of the PCM16 LE mono audio on <see cref="Audio"/>.</summary>
    int OutputSampleRate { get; }

    /// <summary>What this model accepts mid-session.</summary>
    ModelSessionFeatures Features { get; }

    /// <summary>Completes when the model first accepted the setup; faults with <see cref="ModelSessionException"/> when it never does.</summary>
    Task Ready { get; }

    /// <summary>Control events, transcripts, tool calls. Completed when the session ends.</summary>
    ChannelReader<ModelEvent> Events { get; }

    /// <summary>Model speech. Completed when the session ends. Dispose each chunk once played or discarded.</summary>
    ChannelReader<ModelAudioChunk> Audio { get; }

    /// <summary>Completes (never faults) when the session is over for good, saying why.</summary>
    Task<ModelSessionEnd> Completion { get; }

    ModelSessionCounters Counters { get; }

    /// <summary>Queues caller audio (PCM16 LE mono at <see cref="InputSampleRate"/>); the bytes are copied. Never blocks.</summary>
    void SendAudio(ReadOnlySpan<byte> pcm);

    /// <summary>Tells the model the caller's audio stream paused (e.g. no frames for a second); ordered after queued audio.</summary>
    void SendAudioStreamEnd();

    /// <summary>Realtime text input: heard as the caller's words, and answered (e.g. "the caller pressed 3", a greeting trigger).</summary>
    void SendText(string text);

    /// <summary>
    /// Ordered conversation content (turns with roles). With <see cref="ModelContent.TurnComplete"/> false it only adds
    /// to the context (e.g. a model-role note of what the caller heard); true starts a generation.
    /// </summary>
    /// <exception cref="NotSupportedException">The model refuses mid-session content (<see cref="ModelSessionFeatures.AcceptsConversationContent"/>).</exception>
    void SendContent(ModelContent content);

    /// <summary>Answers one tool call. Results for calls the model cancelled, or that died with a lost connection, are dropped and logged.</summary>
    void SendToolResult(ModelToolResult result);

    /// <summary>Closes the session cleanly (close handshake, then abort after <c>Gemini:CloseTimeout</c>).</summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
