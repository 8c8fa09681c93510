using System.Buffers;

namespace PhoneAgent.Bridge;

/// <summary>One 20 ms μ-law frame waiting for its pacing deadline, in a pooled 160-byte buffer.</summary>
internal struct PlayoutFrame
{
    public const int Bytes = 160;

    public byte[] Buffer;

    /// <summary>The playout turn (the Twilio transport's turn: marks <c>t{turn}.f{n}</c>).</summary>
    public int Turn;

    /// <summary>A mark follows this frame (the last frame of a model chunk).</summary>
    public bool MarkAfter;

    /// <summary>The turn's last frame: its final mark follows.</summary>
    public bool EndOfTurn;

    /// <summary>A hold-cue frame (dropped as soon as the model speaks again).</summary>
    public bool Cue;

    /// <summary>Non-zero on a model chunk's first frame: the chunk's conversion time, in timestamp ticks.</summary>
    public long ProcessingTicks;

    public static PlayoutFrame Rent(int turn) => new() { Buffer = ArrayPool<byte>.Shared.Rent(Bytes), Turn = turn };

    public readonly void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
