using System.Collections.Frozen;

namespace PhoneAgent.Knowledge;

/// <summary>
/// Okapi BM25 over passages, built once. Headings count twice, so a passage titled "Refunds" ranks above one that
/// mentions refunds in passing. Terms are lower-cased words with common English suffixes cut and stop words dropped.
/// </summary>
internal sealed class KnowledgeIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "is",
        "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "there", "they", "this",
        "to", "was", "we", "what", "when", "where", "which", "who", "will", "with", "you", "your",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly KnowledgePassage[] _passages;
    private readonly Dictionary<string, int>[] _termCounts;
    private readonly int[] _lengths;
    private readonly FrozenDictionary<string, int> _documentFrequency;
    private readonly double _averageLength;

    public KnowledgeIndex(IEnumerable<KnowledgePassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        _passages = [.. passages];
        _termCounts = new Dictionary<string, int>[_passages.Length];
        _lengths = new int[_passages.Length];
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _passages.Length; i++)
        {
            var p = _passages[i];
            var terms = Terms(p.Heading).Concat(Terms(p.Heading)).Concat(Terms(p.Text)).ToList();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var term in terms)
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }

            foreach (var term in counts.Keys)
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }

            _termCounts[i] = counts;
            _lengths[i] = terms.Count;
        }

        _documentFrequency = df.ToFrozenDictionary(StringComparer.Ordinal);
        _averageLength = _passages.Length == 0 ? 1 : Math.Max(1, _lengths.Average());
    }

    public int Count => _passages.Length;

    /// <summary>The best <paramref name="top"/> passages with a positive score, best first (ties: article order).</summary>
    public IReadOnlyList<KnowledgeHit> Search(string query, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = Terms(query).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || _passages.Length == 0)
        {
            return [];
        }

        var n = _passages.Length;
        var scores = new double[n];
        foreach (var term in terms)
        {
            if (!_documentFrequency.TryGetValue(term, out var df))
            {
                continue;
            }

            var idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
            for (var i = 0; i < n; i++)
            {
                if (_termCounts[i].TryGetValue(term, out var tf))
                {
                    scores[i] += idf * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
                }
            }
        }

        return [.. Enumerable.Range(0, n)
            .Where(i => scores[i] > 0)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(top)
            .Select(i => new KnowledgeHit(_passages[i], scores[i]))];
    }

    /// <summary>Lower-case word stems without stop words.</summary>
    public static IEnumerable<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                start = -1;
                if (!StopWords.Contains(word))
                {
                    yield return Stem(word);
                }
            }
        }
    }

    /// <summary>
    /// A light suffix cut so spoken questions match written articles: refunds/refunded/refunding → refund,
    /// arrives/arrived → arriv, shipping/ships → ship. Only consistency matters, not real word stems.
    /// </summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var stem = word;
        if (stem.Length > 5 && stem.EndsWith("ing", StringComparison.Ordinal))
        {
            stem = stem[..^3];
        }
        else if (stem.Length > 4 && stem.EndsWith("ed", StringComparison.Ordinal))
        {
            stem = stem[..^2];
        }
        else if (stem.Length > 4 && stem.EndsWith("ies", StringComparison.Ordinal))
        {
            return stem[..^3] + "y";
        }
        else if (stem.Length > 3 && stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal) && !stem.EndsWith("us", StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }

        if (stem.Length > 3 && stem.EndsWith('e'))
        {
            stem = stem[..^1];
        }

        // shipp(ing) → ship, but keep "all", "off", "add".
        if (stem.Length > 3 && stem[^1] == stem[^2] && !"aeiouls".Contains(stem[^1], StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }

        return stem;
    }
}
