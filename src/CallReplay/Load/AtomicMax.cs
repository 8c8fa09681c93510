using System.Numerics;

namespace PhoneAgent.CallReplay.Load;

/// <summary>Raises a shared value to a new maximum from many threads at once, without a lock (.NET has Interlocked.Add, not Max).</summary>
internal static class AtomicMax
{
    public static void Raise<T>(ref T target, T value)
        where T : struct, IBinaryInteger<T>
    {
        var current = Interlocked.CompareExchange(ref target, default, default); // an atomic read (a long can tear on 32-bit)
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
