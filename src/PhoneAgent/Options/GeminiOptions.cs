namespace PhoneAgent.Options;

/// <summary>Gemini Live settings, section <c>Gemini</c>. Validated at start by <see cref="GeminiOptionsValidator"/>.</summary>
internal sealed class GeminiOptions
{
    public const string SectionName = "Gemini";

    /// <summary>Gemini Developer API key (or a Vertex express-mode key). ⚠️ A secret: logged only as set or not set.</summary>
    /// <value>Required for <c>Backend=DeveloperApi</c> unless <see cref="Endpoint"/> is set. The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary><c>Vertex</c>, <c>DeveloperApi</c> or <c>Emulator</c> (case-insensitive).</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>DeveloperApi</c> when <see cref="ApiKey"/> is set, else <c>Vertex</c>
    /// when <c>Gemini:Vertex:Project</c> is set, else <c>Emulator</c> in the Development environment; anywhere else
    /// missing credentials stop the start.
    /// </value>
    public string? Backend { get; set; }

    /// <summary>Overrides the WebSocket URL for any back end (<c>ws</c>, <c>wss</c>, <c>http</c> or <c>https</c>).</summary>
    /// <value>
    /// A URL with only a host (path <c>/</c>) gets the back end's standard path appended, so
    /// <c>ws://127.0.0.1:8080</c> reaches a standalone emulator. The default value is <see langword="null"/>.
    /// </value>
    public string? Endpoint { get; set; }

    /// <summary>Model id without prefix, e.g. <c>gemini-2.5-flash-native-audio-preview-12-2025</c>.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <see cref="DefaultDeveloperApiModel"/> for the Developer API and the
    /// emulator, <see cref="DefaultVertexModel"/> for Vertex AI.
    /// </value>
    public string? Model { get; set; }

    /// <summary>Ask for affective dialog where the model has it (see <c>Gemini:Models</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AffectiveDialog { get; set; }

    /// <summary>Ask for proactive audio (the model may stay silent on irrelevant speech) where the model has it.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ProactiveAudio { get; set; }

    /// <summary><c>off</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>dynamic</c>; mapped to thinkingBudget or thinkingLevel per model.</summary>
    /// <value>The default value is <c>off</c> (lowest latency on a phone line).</value>
    public string Thinking { get; set; } = "off";

    /// <summary>Sliding-window context compression starts at this many tokens; 0 turns compression off.</summary>
    /// <value>The default value is 32000.</value>
    public long CompressionTriggerTokens { get; set; } = 32_000;

    /// <summary>Tokens kept after compression; less than <see cref="CompressionTriggerTokens"/>.</summary>
    /// <value>The default value is 16000.</value>
    public long CompressionTargetTokens { get; set; } = 16_000;

    /// <summary>Time allowed for one connection attempt: TCP/TLS, WebSocket upgrade and <c>setupComplete</c>.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Caller audio held while no socket is ready to send (before <c>setupComplete</c>, during a reconnect); oldest dropped beyond it. At most 2 s.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan MaxPendingInputAudio { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Model audio held for a consumer that reads slower than the model generates; oldest dropped beyond it.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MaxBufferedOutputAudio { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After <c>goAway</c>, switch sockets no later than <c>timeLeft</c> minus this margin.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan GoAwayMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A pre-warmed session nobody claims is closed after this long.</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan PrewarmTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time given to a close handshake before the socket is aborted.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public GeminiReconnectOptions Reconnect { get; set; } = new();

    public GeminiVertexOptions Vertex { get; set; } = new();

    public GeminiEmulatorOptions Emulator { get; set; } = new();

    /// <summary>Per-model capability overrides, <c>Gemini:Models:{model}:{capability}</c>; merged over the built-in table.</summary>
    public Dictionary<string, GeminiModelOptions> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public const string DefaultDeveloperApiModel = "gemini-2.5-flash-native-audio-preview-12-2025";
    public const string DefaultVertexModel = "gemini-live-2.5-flash-native-audio";

    public static string Key(string property) => $"{SectionName}:{property}";
}

/// <summary><c>Gemini:Reconnect</c>: the reconnect pipeline (exponential backoff with jitter, bounded).</summary>
internal sealed class GeminiReconnectOptions
{
    /// <summary>Retries after the first attempt, 0..20.</summary>
    /// <value>The default value is 5.</value>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Median delay before the first retry; doubles per retry, with jitter.</summary>
    /// <value>The default value is 200 ms.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one backoff delay.</summary>
    /// <value>The default value is 4 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Upper bound of one whole (re)connect, all attempts and delays included.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary><c>Gemini:Vertex</c>: Vertex AI (Gemini Enterprise Agent Platform).</summary>
internal sealed class GeminiVertexOptions
{
    /// <summary>Google Cloud project id. Without it, and with <c>Gemini:ApiKey</c>, Vertex runs in express mode.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Project { get; set; }

    /// <summary>Region (e.g. <c>us-central1</c>), <c>global</c>, or the multi-regions <c>us</c>/<c>eu</c>.</summary>
    /// <value>The default value is <c>us-central1</c>.</value>
    public string Location { get; set; } = "us-central1";

    /// <summary>
    /// Further regions, in order, for a connection that is refused or times out. The order is a data-residency decision.
    /// Either an array (<c>FallbackLocations:0</c>, …) or one comma-separated value.
    /// </summary>
    /// <value>The default value is empty.</value>
    public List<string> FallbackLocations { get; set; } = [];

    /// <summary>Service-account key file; without it application-default credentials are used. A path, not a secret itself.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CredentialsFile { get; set; }

    /// <summary>Access tokens are refreshed this long before they expire; at least 5 minutes of validity is guaranteed at each connect.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary><c>Gemini:Emulator</c>: the built-in emulator used by <c>Backend=Emulator</c>.</summary>
internal sealed class GeminiEmulatorOptions
{
    /// <summary>Scenario JSON file for the in-process emulator.</summary>
    /// <value>The default value is <see langword="null"/> (the emulator's default scenario).</value>
    public string? Scenario { get; set; }
}

/// <summary>
/// <c>Gemini:Models:{model}</c>: what a model accepts. Unset values come from the built-in table
/// (<see cref="Model.Gemini.GeminiModelCatalog"/>).
/// </summary>
internal sealed class GeminiModelOptions
{
    public bool? AffectiveDialog { get; set; }

    public bool? ProactiveAudio { get; set; }

    /// <summary><c>Budget</c> (thinkingBudget), <c>Level</c> (thinkingLevel) or <c>None</c>.</summary>
    public string? Thinking { get; set; }

    public bool? NonBlockingTools { get; set; }

    /// <summary>Tools are non-blocking unless declared <c>BLOCKING</c> (3.8), so blocking tools are sent as such.</summary>
    public bool? ToolsNonBlockingByDefault { get; set; }

    public bool? MidSessionClientContent { get; set; }

    public bool? LanguageCode { get; set; }

    /// <summary>The built-in <c>googleSearch</c> tool (grounding) is accepted.</summary>
    public bool? GoogleSearch { get; set; }
}
