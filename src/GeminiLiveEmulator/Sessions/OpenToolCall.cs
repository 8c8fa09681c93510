using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>A function call sent and not yet answered or cancelled.</summary>
internal sealed record OpenToolCall(string Id, string Name, JsonElement Args, int ReplyId, int UserTurn, bool NonBlocking, long Sequence);
