using System.Text.RegularExpressions;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Who may connect and what they may ask for: credentials, the model, the setup's values.</summary>
internal sealed partial class LiveSession
{
    /// <summary>The 30 prebuilt voices (case-sensitive); any other name fails setup.</summary>
    private static readonly HashSet<string> Voices = new(StringComparer.Ordinal)
    {
        "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe", "Enceladus",
        "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi", "Laomedeia", "Achernar",
        "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi", "Vindemiatrix", "Sadachbia",
        "Sadaltager", "Sulafat",
    };

    /// <summary>Checked on the first message: the service answers bad credentials by closing the socket.</summary>
    private void CheckCredentials()
    {
        var (key, bearer, ephemeral) = (_credentials.ApiKey, _credentials.BearerToken, _credentials.EphemeralToken);
        if (key is not null && Options.ApiKey is not null && key != Options.ApiKey)
        {
            throw new ProtocolViolationException(CloseReasons.InvalidPayload, CloseReasons.ApiKeyInvalid, "wrong API key");
        }

        if (bearer is not null && Options.AccessToken is not null && bearer != Options.AccessToken)
        {
            throw new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.Unauthenticated, "wrong bearer token");
        }

        var required = Options.ApiKey is not null || (_endpoint.IsVertex && Options.AccessToken is not null);
        var presented = key is not null || bearer is not null || (ephemeral is not null && _endpoint.Constrained);
        if (required && !presented)
        {
            throw _endpoint.IsVertex
                ? new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.Unauthenticated, "no credentials")
                : new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.UnregisteredCaller, "no API key");
        }
    }

    /// <summary>The bare model id from the setup's resource name; a name the back end does not serve closes 1008.</summary>
    private string ModelIdOf(string model)
    {
        string? id;
        if (_endpoint.IsVertex)
        {
            var match = VertexModel().Match(model);
            var expressForm = match.Success && !match.Groups["project"].Success;
            // Express mode (an API key) names the model without a project; a bearer token comes with the project form.
            id = match.Success && !(expressForm && _credentials.ApiKey is null && _credentials.BearerToken is not null) ? match.Groups["id"].Value : null;
            if (id is null || !IsLiveModel(id))
            {
                throw new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.PublisherModelNotFound(model), $"Vertex does not serve model {model}");
            }

            return id;
        }

        id = model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model.Contains('/', StringComparison.Ordinal) ? null : model;
        if (string.IsNullOrEmpty(id) || id.Contains('/', StringComparison.Ordinal) || !IsLiveModel(id))
        {
            var shown = id is null ? model : $"models/{id}";
            throw new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.ModelNotFound(shown, _endpoint.Version), $"no Live model {model}");
        }

        return id;
    }


    private bool IsLiveModel(string id) => Options.Models is { } models
        ? models.Contains(id)
        : id.Contains("live", StringComparison.Ordinal) || id.Contains("native-audio", StringComparison.Ordinal);

    private void CheckSetup(SessionSetup setup)
    {
        var modalities = setup.ResponseModalities;
        var nativeAudio = _modelId.Contains("native-audio", StringComparison.Ordinal) || _modelId.StartsWith("gemini-3", StringComparison.Ordinal);
        if (modalities.Count > 1 || modalities.Any(m => m is "IMAGE" or "MODALITY_UNSPECIFIED"))
        {
            throw ProtocolViolationException.InvalidArgument($"responseModalities [{string.Join(", ", modalities)}]: one of AUDIO or TEXT per session");
        }

        if (setup.HasSpeechConfig && modalities.Count > 0 && !modalities.Contains("AUDIO"))
        {
            throw new ProtocolViolationException(CloseReasons.InvalidPayload, CloseReasons.NonAudioVoices, "speechConfig with a non-audio response modality");
        }

        if (nativeAudio && modalities.Contains("TEXT"))
        {
            throw ProtocolViolationException.InvalidArgument($"{_modelId} answers with AUDIO only");
        }

        _audioOutput = modalities.Contains("AUDIO") || (modalities.Count == 0 && (nativeAudio || setup.HasSpeechConfig));
        if (setup.VoiceName is { } voice && !Voices.Contains(voice))
        {
            throw ProtocolViolationException.InvalidArgument($"unknown voice \"{voice}\"");
        }

        if (_modelId.StartsWith("gemini-3", StringComparison.Ordinal) && (setup.EnableAffectiveDialog || setup.ProactiveAudio))
        {
            throw ProtocolViolationException.InvalidArgument($"{_modelId} does not support affective dialog or proactive audio");
        }
    }

    [GeneratedRegex("^(?:(?<project>projects/[^/]+/locations/[^/]+/))?publishers/google/models/(?<id>[^/]+)$")]
    private static partial Regex VertexModel();
}
