namespace PhoneAgent.Model;

/// <summary>What the session's model accepts after setup.</summary>
/// <param name="AcceptsConversationContent">Mid-session ordered content (<see cref="IRealtimeModelSession.SendContent"/>); some models refuse it and take only realtime text.</param>
/// <param name="NonBlockingTools">Tools declared non-blocking let the model keep talking while they run.</param>
public sealed record ModelSessionFeatures(bool AcceptsConversationContent, bool NonBlockingTools);
