using System.Collections.Frozen;
using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Knowledge;

/// <summary>
/// One <see cref="KnowledgeIndex"/> per profile, built from its <c>knowledge.articles</c> when the service starts (the
/// tool registry builds its handlers at start), never per call.
/// </summary>
internal sealed class KnowledgeBases
{
    private readonly FrozenDictionary<string, KnowledgeIndex> _byProfile;

    public KnowledgeBases(IAgentProfileCatalog profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var cache = new Dictionary<string, IReadOnlyList<KnowledgePassage>>(StringComparer.Ordinal);
        var byProfile = new Dictionary<string, KnowledgeIndex>(StringComparer.OrdinalIgnoreCase);
        foreach (var profile in profiles.All)
        {
            var passages = new List<KnowledgePassage>();
            foreach (var file in profiles.KnowledgeFiles(profile.Name))
            {
                if (!cache.TryGetValue(file, out var filePassages))
                {
                    filePassages = MarkdownPassages.Split(File.ReadAllText(file), Path.GetFileName(file));
                    cache[file] = filePassages;
                }

                passages.AddRange(filePassages);
            }

            byProfile[profile.Name] = new KnowledgeIndex(passages);
        }

        _byProfile = byProfile.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The profile's index (empty when it has no articles).</summary>
    public KnowledgeIndex For(string profile) => _byProfile.GetValueOrDefault(profile) ?? new KnowledgeIndex([]);
}
