namespace PhoneAgent.Bridge;

/// <summary>Where paced agent frames go: the Twilio stream (<see cref="TwilioPlayoutSink"/>), or a fake in tests.</summary>
internal interface IPlayoutSink
{
    /// <summary>Sends one 160-byte μ-law frame of <paramref name="turn"/> (turns increase); with <paramref name="mark"/> a mark follows it.</summary>
    /// <param name="turn">The playout turn.</param>
    /// <param name="frame">160 bytes of μ-law.</param>
    /// <param name="mark">Send a mark after the frame.</param>
    /// <param name="processingTicks">Non-zero for the first frame of a model chunk: the chunk's conversion time in <see cref="TimeProvider"/> timestamp ticks.</param>
    void Send(int turn, ReadOnlySpan<byte> frame, bool mark, long processingTicks);

    /// <summary>Ends <paramref name="turn"/>: its final mark follows its last frame.</summary>
    void EndTurn(int turn);

    /// <summary>Drops everything queued and sends <c>clear</c> ahead of anything else; completes once <c>clear</c> is written.</summary>
    Task ClearAsync();
}
