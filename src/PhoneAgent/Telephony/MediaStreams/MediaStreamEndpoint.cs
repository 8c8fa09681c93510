using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Options;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// <c>GET /twilio/media</c>: the Media Streams WebSocket and its handshake.
/// </summary>
/// <remarks>
/// (1) <c>X-Twilio-Signature</c> over the wss stream URL (rebuilt from PublicBaseUrl; variants counted): with
/// <c>Twilio:StreamSignature=Enforce</c> a bad or missing one gets 403 before the socket is accepted; with
/// <c>ReportOnly</c> it is only counted and logged.
/// (2) Accept at once (Twilio's handshake deadline is undocumented) and start reading.
/// (3) <c>start</c> within <c>Twilio:StreamStartTimeout</c>, with a stream token that checks out for its CallSid, an
/// AccountSid matching the call (and <c>Twilio:AccountSid</c> when set), and a first claim of that token in the call
/// store; otherwise close with 1008 and record the fallback on the call, so connect-action does not loop.
/// (4) Hand the stream to <see cref="IMediaStreamHandler"/>; when it returns, close normally and record how the stream ended.
/// </remarks>
internal static partial class MediaStreamEndpoint
{
    public static async Task HandleAsync(HttpContext context, [AsParameters] MediaStreamServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var options = services.Options.Value;

        // :: Step 1: the upgrade's signature, before anything else.
        var mode = options.StreamSignature == StreamSignatureMode.Enforce ? "enforce" : "report-only";
        var variant = services.Credentials.ValidateRequests
            ? services.Validator.MatchUpgrade(services.Urls.WebSocketForRequest(context.Request), context.Request.Headers[TwilioDefaults.SignatureHeader].ToString())
            : UpgradeSignatureVariant.Skipped;
        services.Metrics.UpgradeSignature(variant, mode);
        if (variant is UpgradeSignatureVariant.None or UpgradeSignatureVariant.Missing)
        {
            Log.UpgradeSignatureFailed(services.Logger, TwilioMetrics.VariantTag(variant), mode);
            if (options.StreamSignature == StreamSignatureMode.Enforce)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // :: Step 2: accept and read at once.
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        await using var stream = new TwilioMediaStream(socket, options.MaxMessageBytes, services.Metrics, services.StreamLogger, services.TimeProvider);
        stream.Run(context.RequestAborted);
        services.Metrics.StreamOpened();
        try
        {
            // :: Step 3: start, token, identities, single use.
            var start = await stream.WaitForStartAsync(options.StreamStartTimeout, context.RequestAborted);
            if (start is null)
            {
                await RefuseAsync(stream, services, "start-timeout", call: null, ordinal: 0, StreamEndReason.StartTimeout);
                return;
            }

            using var scope = services.Logger.BeginScope(new KeyValuePair<string, object>[] { new("CallSid", start.CallSid), new("StreamSid", start.StreamSid) });
            var (refusal, call, ordinal) = await CheckStartAsync(start, services, context.RequestAborted);
            if (refusal is not null)
            {
                await RefuseAsync(stream, services, refusal, call, ordinal, StreamEndReason.HandshakeRefused);
                return;
            }

            services.Metrics.Handshake("accepted");
            var profile = services.Profiles.Get(call!.Profile) ?? services.Profiles.Default;
            Log.StreamAccepted(services.Logger, ordinal, profile.Name);

            // :: Step 4: the handler runs the call.
            var session = new MediaStreamSession(stream, call, profile, ordinal, services.Calls);
            try
            {
                await services.Handler.HandleAsync(session, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.HandlerFailed(services.Logger, e);
                await session.SetNextActionAsync(new NextAction.Reconnect("handler failed"), CancellationToken.None);
            }

            var reason = await stream.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", StreamEndReason.ClosedByServer);
            await services.Calls.EndStreamAsync(call.CallSid, ordinal, reason, services.TimeProvider.GetUtcNow(), CancellationToken.None);
            Log.StreamEnded(services.Logger, ordinal, reason);
        }
        finally
        {
            services.Metrics.StreamClosed();
        }
    }

    private static async Task<(string? Refusal, CallRecord? Call, int Ordinal)> CheckStartAsync(StreamStartInfo start, MediaStreamServices services, CancellationToken cancellationToken)
    {
        var now = services.TimeProvider.GetUtcNow();
        var call = await services.Calls.FindAsync(start.CallSid, cancellationToken);
        var ordinal = call?.CurrentStream?.Ordinal ?? 0;
        if (call is null)
        {
            return ("unknown-call", null, 0);
        }

        var token = services.Tokens.Check(start.Parameter(TwilioDefaults.StreamTokenParameter), start.CallSid, now);
        if (token.Status != StreamTokenStatus.Valid)
        {
            return (token.Status switch
            {
                StreamTokenStatus.Expired => "token-expired",
                StreamTokenStatus.BadSignature => "token-invalid",
                _ => "token-missing-or-malformed",
            }, call, ordinal);
        }

        ordinal = token.Ordinal;
        if (!string.Equals(start.AccountSid, call.AccountSid, StringComparison.Ordinal)
            || (services.Credentials.ConfiguredAccountSid is { } pinned && !string.Equals(start.AccountSid, pinned, StringComparison.Ordinal)))
        {
            return ("account-mismatch", call, ordinal);
        }

        var claim = await services.Calls.ClaimStreamAsync(start.CallSid, ordinal, start.StreamSid, now, cancellationToken);
        return claim switch
        {
            StreamClaim.Claimed => (null, await services.Calls.FindAsync(start.CallSid, cancellationToken) ?? call, ordinal),
            StreamClaim.AlreadyClaimed => ("token-reused", call, ordinal),
            StreamClaim.Expired => ("token-expired", call, ordinal),
            StreamClaim.Superseded => ("stream-superseded", call, ordinal),
            _ => ("stream-not-issued", call, ordinal),
        };
    }

    private static async Task RefuseAsync(TwilioMediaStream stream, MediaStreamServices services, string refusal, CallRecord? call, int ordinal, StreamEndReason reason)
    {
        services.Metrics.Handshake(refusal);
        Log.StreamRefused(services.Logger, refusal);

        // Only an authentic token (ours, for this call) may mark the call's stream as refused: a forged, malformed or
        // reused one must not let a stranger push a real call to its fallback.
        if (call is not null && ordinal > 0 && refusal is "token-expired" or "account-mismatch" or "stream-superseded" or "stream-not-issued")
        {
            await services.Calls.TrySetNextActionAsync(call.CallSid, ordinal, new NextAction.Fallback("stream refused: " + refusal), CancellationToken.None);
            await services.Calls.EndStreamAsync(call.CallSid, ordinal, reason, services.TimeProvider.GetUtcNow(), CancellationToken.None);
        }

        await stream.CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal, reason);
    }

    // EventIds 130-139 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(130, LogLevel.Warning, "Media stream upgrade signature {Result} (mode {Mode})", EventName = "UpgradeSignatureFailed")]
        public static partial void UpgradeSignatureFailed(ILogger logger, string result, string mode);

        [LoggerMessage(131, LogLevel.Warning, "Media stream refused with 1008: {Refusal}", EventName = "StreamRefused")]
        public static partial void StreamRefused(ILogger logger, string refusal);

        [LoggerMessage(132, LogLevel.Information, "Media stream {Ordinal} accepted with profile {Profile}", EventName = "StreamAccepted")]
        public static partial void StreamAccepted(ILogger logger, int ordinal, string profile);

        [LoggerMessage(133, LogLevel.Information, "Media stream {Ordinal} ended: {Reason}", EventName = "StreamEnded")]
        public static partial void StreamEnded(ILogger logger, int ordinal, StreamEndReason reason);

        [LoggerMessage(134, LogLevel.Error, "Media stream handler failed", EventName = "StreamHandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}

/// <summary>Services of <see cref="MediaStreamEndpoint"/>, bound with <c>[AsParameters]</c>.</summary>
internal sealed record MediaStreamServices(
    IOptions<TwilioOptions> Options,
    TwilioCredentials Credentials,
    TwilioSignatureValidator Validator,
    TwilioPublicUrls Urls,
    StreamTokens Tokens,
    ICallStore Calls,
    IAgentProfileCatalog Profiles,
    IMediaStreamHandler Handler,
    TwilioMetrics Metrics,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory)
{
    public ILogger Logger => LoggerFactory.CreateLogger(typeof(MediaStreamEndpoint).FullName!);

    public ILogger StreamLogger => LoggerFactory.CreateLogger<TwilioMediaStream>();
}
