using System.Text;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// Close codes and the reason texts the real service sends with them (copied from recorded close frames in
/// <c>shared/protocols/gemini-golden/close-*.json</c>; texts not seen there are Google's standard error texts for the
/// same status). The service maps INVALID_ARGUMENT and FAILED_PRECONDITION to 1007, NOT_FOUND, PERMISSION_DENIED and
/// UNIMPLEMENTED to 1008, INTERNAL, UNAVAILABLE and DEADLINE_EXCEEDED to 1011.
/// </summary>
internal static class CloseReasons
{
    public const int NormalClosure = 1000;
    public const int InvalidPayload = 1007;
    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int InternalError = 1011;

    /// <summary>A close reason is cut to 123 bytes (RFC 6455: 125-byte control payload minus the 2-byte code).</summary>
    public const int MaxReasonBytes = 123;

    public const string InvalidArgument = "Request contains an invalid argument.";
    public const string PreconditionFailed = "Precondition check failed.";
    public const string MediaChunksDeprecated = "realtime_input.media_chunks is deprecated. Use audio, video, or text instead.";
    public const string NonAudioVoices = "Cannot extract voices from a non-audio request.";
    public const string ApiKeyInvalid = "API key not valid. Please pass a valid API key.";
    public const string EntityNotFound = "Requested entity was not found.";
    public const string NotImplemented = "Operation is not implemented, or supported, or enabled.";
    public const string Internal = "Internal error occurred.";
    public const string Unavailable = "The service is currently unavailable.";
    public const string DeadlineExpired = "Deadline expired before operation could complete.";
    public const string InvalidJson = "Invalid JSON payload received. Unexpected token.";

    public const string UnregisteredCaller =
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";

    public const string Unauthenticated =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    /// <summary>The Developer API's 1008 for an unknown model, wrong version or non-Live model (cut to 123 bytes).</summary>
    public static string ModelNotFound(string model, string apiVersion) => Truncate(
        $"{model} is not found for API version {apiVersion}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.");

    /// <summary>Vertex AI's 1008 for a model it does not serve (cut to 123 bytes).</summary>
    public static string PublisherModelNotFound(string model) => Truncate(
        $"Publisher Model `{model}` was not found or your project does not have access to it. Please ensure you are using a valid model version. For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions");

    /// <summary>The proto-JSON parser's answer to a field the message does not have.</summary>
    public static string UnknownField(string name, string protoPath) => Truncate(protoPath.Length == 0
        ? $"Invalid JSON payload received. Unknown name \"{name}\": Cannot find field."
        : $"Invalid JSON payload received. Unknown name \"{name}\" at '{protoPath}': Cannot find field.");

    /// <summary>Cuts <paramref name="reason"/> to at most 123 UTF-8 bytes without splitting a character.</summary>
    public static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes)
        {
            return reason;
        }

        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxReasonBytes)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return reason[..length];
    }
}
