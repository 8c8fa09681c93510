using System.Diagnostics;
using System.Globalization;

namespace PhoneAgent.CallReplay.Load;

/// <summary>CPU time and resident memory of a process and its descendants, from Linux's /proc (null elsewhere or once it is gone).</summary>
public sealed class ProcessSampler
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux the runtime supports).</summary>
    private const double ClockTicksPerSecond = 100;

    private readonly int _pid;

    public ProcessSampler(int pid) => _pid = pid;

    public int Pid => _pid;

    /// <summary>Whether /proc can be read here.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>CPU seconds (user + system) and resident bytes of the process and every descendant, or null when it is gone.</summary>
    public ProcessUsage? Sample()
    {
        if (!Supported || ReadStat(_pid) is not { } root)
        {
            return null;
        }

        var cpu = root.CpuSeconds;
        var rss = root.RssBytes;
        foreach (var child in Descendants(_pid))
        {
            if (ReadStat(child) is { } s)
            {
                cpu += s.CpuSeconds;
                rss += s.RssBytes;
            }
        }

        return new ProcessUsage(cpu, rss);
    }

    /// <summary>This process: CPU seconds and working set from the runtime (any OS).</summary>
    public static ProcessUsage Self()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessUsage(self.TotalProcessorTime.TotalSeconds, self.WorkingSet64);
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores) from /proc/stat, or null.</summary>
    public static (double Busy, double Total)? Machine()
    {
        if (!Supported)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return null;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            return ((total - idle) / ClockTicksPerSecond, total / ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static ProcessUsage? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime 15, rss (pages) 24.
            var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            var rssPages = long.Parse(fields[21], CultureInfo.InvariantCulture);
            return new ProcessUsage(ticks / ClockTicksPerSecond, rssPages * Environment.SystemPageSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText($"{dir}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
                    var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    if (!parents.TryGetValue(parent, out var list))
                    {
                        parents[parent] = list = [];
                    }

                    list.Add(child);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
                {
                    // gone meanwhile
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0 && result.Count < 10_000)
        {
            if (parents.TryGetValue(queue.Dequeue(), out var children))
            {
                foreach (var c in children)
                {
                    result.Add(c);
                    queue.Enqueue(c);
                }
            }
        }

        return result;
    }
}

/// <summary>CPU seconds used so far and resident memory now.</summary>
public readonly record struct ProcessUsage(double CpuSeconds, long RssBytes);
