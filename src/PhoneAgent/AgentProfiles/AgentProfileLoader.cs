using System.Text.Json;
using PhoneAgent.Options;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Reads every <c>*.json</c> file of the profiles folder, validates each profile and then the set, and reports all
/// problems together in one <see cref="AgentProfileLoadException"/>.
/// </summary>
internal static class AgentProfileLoader
{
    public static AgentProfileCatalog Load(ProfilesDirectory directory, string defaultProfile, BusinessHoursMode businessHours = BusinessHoursMode.Enforce)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var errors = new List<string>();
        var files = Directory.EnumerateFiles(directory.FullPath, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            errors.Add($"{directory.DisplayPath}: no agent profiles found (expected one <name>.json file per profile)");
        }

        var parsed = new List<(AgentProfile Profile, string File)>();
        foreach (var path in files)
        {
            var file = directory.Display(Path.GetFileName(path));
            if (Read(path, file, errors) is { } profile)
            {
                AgentProfileValidator.Validate(profile, Path.GetFileNameWithoutExtension(path), file, errors);
                parsed.Add((profile, file));
            }
        }

        CheckUniqueNames(parsed, errors);
        CheckUniquePhoneNumbers(parsed, errors);
        CheckAfterHoursProfiles(parsed, errors);
        var knowledge = ResolveKnowledge(directory, parsed, errors);
        if (files.Count > 0 && !files.Any(f => string.Equals(Path.GetFileNameWithoutExtension(f), defaultProfile, StringComparison.OrdinalIgnoreCase)))
        {
            var names = string.Join(", ", files.Select(Path.GetFileNameWithoutExtension));
            errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.DefaultProfile))}: no profile named '{defaultProfile}' in {directory.DisplayPath} (found: {names})");
        }

        return errors.Count == 0
            ? new AgentProfileCatalog(parsed.Select(p => p.Profile), defaultProfile, knowledge, businessHours)
            : throw new AgentProfileLoadException(errors);
    }

    private static AgentProfile? Read(string path, string file, List<string> errors)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var profile = JsonSerializer.Deserialize(stream, AgentProfileJsonContext.Default.AgentProfile);
            if (profile is null)
            {
                errors.Add($"{file}: $ must be a JSON object");
            }

            return profile;
        }
        catch (JsonException ex)
        {
            errors.Add(JsonErrorMessage.For(file, ex));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{file}: cannot be read: {ex.Message}");
        }

        return null;
    }

    private static void CheckUniqueNames(List<(AgentProfile Profile, string File)> parsed, List<string> errors)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (profile, file) in parsed.Where(p => !string.IsNullOrWhiteSpace(p.Profile.Name)))
        {
            if (!owners.TryAdd(profile.Name, file))
            {
                errors.Add($"{file}: $.name '{profile.Name}' is already the name of {owners[profile.Name]} (names are case-insensitive)");
            }
        }
    }

    private static void CheckUniquePhoneNumbers(List<(AgentProfile Profile, string File)> parsed, List<string> errors)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (profile, file) in parsed)
        {
            for (var i = 0; i < profile.PhoneNumbers.Count; i++)
            {
                var number = profile.PhoneNumbers[i];
                if (number is not null && owners.TryGetValue(number, out var owner) && owner != file)
                {
                    errors.Add($"{file}: $.phoneNumbers[{i}] '{number}' is already claimed by {owner}");
                }
                else if (number is not null)
                {
                    owners.TryAdd(number, file);
                }
            }
        }
    }

    private static void CheckAfterHoursProfiles(List<(AgentProfile Profile, string File)> parsed, List<string> errors)
    {
        var names = parsed.Select(p => p.Profile.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (profile, file) in parsed)
        {
            if (profile.BusinessHours?.AfterHoursProfile is { Length: > 0 } afterHours
                && !string.Equals(afterHours, profile.Name, StringComparison.OrdinalIgnoreCase)
                && !names.Contains(afterHours))
            {
                errors.Add($"{file}: $.businessHours.afterHoursProfile names '{afterHours}', which is not a profile in this folder");
            }
        }
    }

    /// <summary>Each <c>knowledge.articles</c> entry must match at least one markdown file inside the profiles folder.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ResolveKnowledge(ProfilesDirectory directory, List<(AgentProfile Profile, string File)> parsed, List<string> errors)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (profile, file) in parsed)
        {
            var files = new SortedSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < profile.Knowledge.Articles.Count; i++)
            {
                var article = profile.Knowledge.Articles[i];
                if (string.IsNullOrWhiteSpace(article) || Path.IsPathRooted(article) || article.Contains("..", StringComparison.Ordinal))
                {
                    continue; // reported by the validator
                }

                var folder = Path.GetFullPath(Path.Combine(directory.FullPath, Path.GetDirectoryName(article) ?? ""));
                var pattern = Path.GetFileName(article);
                var matches = Directory.Exists(folder)
                    ? Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly)
                        .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                        .ToList()
                    : [];
                if (matches.Count == 0)
                {
                    errors.Add($"{file}: $.knowledge.articles[{i}] '{article}' matches no markdown file in {directory.DisplayPath}");
                }

                files.UnionWith(matches);
            }

            if (!string.IsNullOrWhiteSpace(profile.Name))
            {
                result[profile.Name] = [.. files];
            }
        }

        return result;
    }
}
