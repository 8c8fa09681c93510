using System.Text;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The conversation so far as text (input and output transcription, text and content the client sent), kept to seed a
/// fresh session when a handle cannot be used. Bounded: the oldest turns go first. Not logged (it is call content).
/// </summary>
internal sealed class GeminiConversationLog(int maxCharacters = GeminiSetupBuilder.MaxSeedCharacters)
{
    private readonly LinkedList<(ModelRole Role, StringBuilder Text)> _turns = new();
    private readonly Lock _gate = new();
    private int _characters;

    public void Append(ModelRole role, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        lock (_gate)
        {
            if (_turns.Last is not { } last || last.Value.Role != role)
            {
                last = _turns.AddLast((role, new StringBuilder()));
            }

            last.Value.Text.Append(text);
            _characters += text.Length;
            while (_characters > maxCharacters * 2 && _turns.Count > 1)
            {
                _characters -= _turns.First!.Value.Text.Length;
                _turns.RemoveFirst();
            }
        }
    }

    /// <summary>Starts a new turn for <paramref name="role"/> even if the last one has the same role.</summary>
    public void Break(ModelRole role)
    {
        lock (_gate)
        {
            if (_turns.Last is { } last && last.Value.Role == role && last.Value.Text.Length > 0)
            {
                _turns.AddLast((role, new StringBuilder()));
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _characters == 0;
            }
        }
    }

    /// <summary>"Caller: …" / "Agent: …" lines, oldest first.</summary>
    public string Render()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            foreach (var (role, turn) in _turns)
            {
                var line = turn.ToString().Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                text.Append(role == ModelRole.User ? "Caller: " : "Agent: ").Append(line).Append('\n');
            }

            return text.ToString().TrimEnd();
        }
    }
}
