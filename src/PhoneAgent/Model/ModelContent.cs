namespace PhoneAgent.Model;

/// <summary>Conversation content for <see cref="IRealtimeModelSession.SendContent"/>.</summary>
/// <param name="Turns">Turns in order.</param>
/// <param name="TurnComplete"><see langword="true"/> starts a generation; <see langword="false"/> only adds context.</param>
public sealed record ModelContent(IReadOnlyList<ModelContentTurn> Turns, bool TurnComplete)
{
    /// <summary>A model-role note that adds context without starting a generation (e.g. what the caller actually heard).</summary>
    public static ModelContent ModelNote(string text) => new([new ModelContentTurn(ModelRole.Model, text)], TurnComplete: false);

    /// <summary>A user turn that the model answers.</summary>
    public static ModelContent UserTurn(string text) => new([new ModelContentTurn(ModelRole.User, text)], TurnComplete: true);
}

public sealed record ModelContentTurn(ModelRole Role, string Text);

public enum ModelRole
{
    User = 1,
    Model = 2,
}
