namespace PhoneAgent.CallReplay.Calls;

/// <summary>What the caller heard: 8 kHz μ-law on the call's timeline, silence (0xFF) where nothing played.</summary>
internal sealed class HeardAudio
{
    private readonly Lock _lock = new();
    private byte[] _samples = new byte[8000 * 8]; // 8 s, under the large-object threshold; doubles as the call goes on
    private int _length;

    public HeardAudio() => _samples.AsSpan().Fill(0xFF);

    public void Write(TimeSpan at, ReadOnlySpan<byte> muLaw)
    {
        if (at < TimeSpan.Zero)
        {
            return;
        }

        var offset = (int)(at.Ticks / (TimeSpan.TicksPerSecond / 8000));
        lock (_lock)
        {
            Ensure(offset + muLaw.Length);
            muLaw.CopyTo(_samples.AsSpan(offset));
            _length = Math.Max(_length, offset + muLaw.Length);
        }
    }

    /// <summary>The audio from the call's start to <paramref name="end"/>.</summary>
    public byte[] ToArray(TimeSpan end)
    {
        var length = (int)(end.Ticks / (TimeSpan.TicksPerSecond / 8000));
        lock (_lock)
        {
            Ensure(length);
            return _samples.AsSpan(0, Math.Max(length, _length)).ToArray();
        }
    }

    private void Ensure(int length)
    {
        if (length <= _samples.Length)
        {
            return;
        }

        var grown = new byte[Math.Max(length, _samples.Length * 2)];
        _samples.CopyTo(grown, 0);
        grown.AsSpan(_samples.Length).Fill(0xFF);
        _samples = grown;
    }
}
