using System.Collections;
using System.Globalization;
using System.Reflection;
using PhoneAgent.Bridge;
using PhoneAgent.Options;
using Xunit.Abstractions;

namespace PhoneAgent.Tests.Hosting;

/// <summary>
/// Keeps the README's configuration reference true: every bindable setting of the options classes has a row with its
/// key, its environment-variable form and its default as the code has it.
/// </summary>
public sealed class ConfigurationReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void The_README_lists_every_setting_with_its_environment_variable_and_default()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("## Configuration reference", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Configuration reference' section");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var lines = readme[start..(end < 0 ? readme.Length : end)].Split('\n');

        var settings = Settings().ToList();
        foreach (var (key, value) in settings)
        {
            output.WriteLine($"| `{key}` | `{key.Replace(":", "__", StringComparison.Ordinal)}` | {value} | |");
        }

        Assert.True(settings.Count > 50, $"only {settings.Count} settings found");
        Assert.All(settings, setting =>
        {
            var (key, value) = setting;
            var row = lines.FirstOrDefault(l => l.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for {key}");
            Assert.Contains($"| `{key.Replace(":", "__", StringComparison.Ordinal)}` |", row, StringComparison.Ordinal);
            Assert.True(row.Contains($"| {value} |", StringComparison.Ordinal), $"{key}: the README's default differs from the code's {value}: {row}");
        });
    }

    private static IEnumerable<(string Key, string Default)> Settings() =>
        Walk(PhoneAgentOptions.SectionName, new PhoneAgentOptions())
            .Concat(Walk(TwilioOptions.SectionName, new TwilioOptions()))
            .Concat(Walk(GeminiOptions.SectionName, new GeminiOptions()))
            .Concat(Walk(BridgeOptions.SectionName, new BridgeOptions()));

    private static IEnumerable<(string Key, string Default)> Walk(string prefix, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(options);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                // Per-entry settings (Gemini:Models:{model}:{capability}): one row for the pattern.
                var entry = type.GetGenericArguments()[1];
                foreach (var (sub, _) in Walk(key + ":{name}", Activator.CreateInstance(entry)!))
                {
                    yield return (sub, "(none)");
                }
            }
            else if (type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type))
            {
                foreach (var nested in Walk(key, value!))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (key, Format(value));
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        string s => $"`{s}`",
        IEnumerable e when !e.Cast<object>().Any() => "(none)",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PhoneAgent.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("PhoneAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
