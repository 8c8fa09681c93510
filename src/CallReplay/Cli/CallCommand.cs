using System.CommandLine;
using System.Globalization;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Twilio;

namespace PhoneAgent.CallReplay.Cli;

/// <summary><c>CallReplay call URL --audio FILE</c>: one call, printed as it happens.</summary>
internal static class CallCommand
{
    private static readonly string[] DialOutcomes = ["completed", "no-answer", "busy", "failed", "caller-hangs-up"];
    private static readonly string[] UpgradeVariants = ["exact", "trailing-slash", "default-port", "none"];

    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "The PhoneAgent to call: its base URL (http://127.0.0.1:5050, the voice webhook /twilio/voice is appended) or the full voice webhook URL.",
        };
        var audio = new Option<FileInfo>("--audio", "-a")
        {
            Description = "The caller's recording: WAV at any common rate (PCM16, mu-law or float; resampled to 8 kHz), raw 8 kHz mu-law (.ulaw/.mulaw/.raw), or a Twilio dual-channel call recording (see --caller-channel). Its transcript is NAME.json beside it, if present.",
            Required = true,
        }.AcceptExistingOnly();
        var transcript = new Option<FileInfo>("--transcript") { Description = "A transcript to use instead of the recording's NAME.json sidecar." }.AcceptExistingOnly();
        var callerChannel = new Option<int>("--caller-channel") { Description = "Which channel of a multi-channel WAV is the caller (a Twilio dual-channel recording has the caller first).", DefaultValueFactory = _ => 0 };
        var publicUrl = new Option<string?>("--public-url") { Description = "The voice URL as Twilio would request it (PhoneAgent:PublicBaseUrl, e.g. https://agent.example.com[/twilio/voice]). Signatures cover it; TwiML URLs under it are mapped back to URL. Default: URL itself." };
        var authToken = new Option<string>("--auth-token") { Description = "Auth token for X-Twilio-Signature (and the fake REST API's basic auth).", DefaultValueFactory = _ => CallReplayDefaults.DevelopmentAuthToken };
        var accountSid = new Option<string>("--account-sid") { Description = "The account the call belongs to.", DefaultValueFactory = _ => CallReplayDefaults.DevelopmentAccountSid };
        var callSid = new Option<string?>("--call-sid") { Description = "The call's id (default: a new random CA...)." };
        var from = new Option<string>("--from") { Description = "The caller's number.", DefaultValueFactory = _ => CallReplayDefaults.From };
        var to = new Option<string>("--to") { Description = "The number called.", DefaultValueFactory = _ => CallReplayDefaults.To };
        var callStatusUrl = new Option<string?>("--call-status-url") { Description = "The number's call status callback (public form), or 'none'. Default: {public base}/twilio/call-status." };
        var callStatusEvents = new Option<string>("--call-status-events") { Description = "Comma-separated call progress events sent there: initiated, ringing, answered, completed (a number's callback gets only completed).", DefaultValueFactory = _ => "completed" };
        var dialOutcome = new Option<string>("--dial-outcome") { Description = "What a <Dial>led party (or the human behind <Enqueue>) does: completed (answers, talks, hangs up), no-answer (an <Enqueue> holds on its waitUrl until <Leave/>), busy, failed, caller-hangs-up (the caller gives up). Posted to the action as DialCallStatus or QueueResult.", DefaultValueFactory = _ => "completed" }.AcceptOnlyFromAmong(DialOutcomes);
        var dialTalkTime = new Option<TimeSpan>("--dial-talk-time") { Description = "How long an answered <Dial> talks before the other party hangs up.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = DurationParser.Parse };
        var hangupAfter = new Option<TimeSpan?>("--hangup-after") { Description = "The caller hangs up this long after the recording has ended and the agent has gone quiet; 'never' waits for the server to end the call.", DefaultValueFactory = _ => TimeSpan.FromSeconds(3), CustomParser = DurationParser.ParseOrNever };
        var maxDuration = new Option<TimeSpan>("--max-duration") { Description = "The call ends here whatever happens.", DefaultValueFactory = _ => TimeSpan.FromMinutes(5), CustomParser = DurationParser.Parse };
        var twimlTimeScale = new Option<double>("--twiml-time-scale") { Description = "Scales the time <Say>, <Play>, <Pause>, ringing and an answered <Dial> take (0 = instant).", DefaultValueFactory = _ => 1.0 };
        var dtmf = new Option<string[]>("--dtmf") { Description = "A key the caller presses, as DIGIT@SECONDS into the recording (repeatable): --dtmf 3@12.5.", AllowMultipleArgumentsPerToken = false };
        var turnGap = new Option<TimeSpan>("--turn-gap") { Description = "Untagged agent audio after this much silence counts as a new agent turn (shorter gaps are underruns).", DefaultValueFactory = _ => TimeSpan.FromMilliseconds(500), CustomParser = DurationParser.Parse };
        var noToneTags = new Option<bool>("--no-tone-tags") { Description = "Do not look for the emulator's tone turn tags (400 Hz + 100 Hz x turn) in the agent's audio." };

        // Protocol notes §10: Twilio's uncertain behaviour, each with the project's default.
        var stopOnServerClose = new Option<bool>("--stop-on-server-close") { Description = "[§10.3] Send 'stop' before answering a close the server started. Default: no stop (the server must not rely on it)." };
        var dropSilence = new Option<bool>("--drop-silence") { Description = "[§10.5] Send no media frames while the caller is silent (between utterances), as some Twilio calls do. Default: continuous frames." };
        var frameMs = new Option<int>("--frame-ms") { Description = "[§10.5] Length of one caller media frame in ms (20 = 160 bytes, Twilio's usual).", DefaultValueFactory = _ => 20 };
        var bufferCap = new Option<TimeSpan?>("--outbound-buffer-cap") { Description = "[§10.4] Most unplayed agent audio Twilio holds; more is dropped. Default: no cap (Twilio documents none); the largest lead is measured.", CustomParser = DurationParser.ParseOrNever };
        var upgradeSignature = new Option<string>("--upgrade-signature") { Description = "[§10.2] Which URL the WebSocket upgrade's X-Twilio-Signature signs: exact (wss://host/path, default), trailing-slash, default-port (:443), none (no header).", DefaultValueFactory = _ => "exact" }.AcceptOnlyFromAmong(UpgradeVariants);
        var keepQuery = new Option<bool>("--keep-stream-query") { Description = "[§1.2] Keep a query string on the <Stream url> (default: dropped, as reported for Twilio)." };
        var numericFields = new Option<bool>("--numeric-fields") { Description = "[§2] Send sequenceNumber, chunk and timestamp as JSON numbers (default: strings, as in Twilio's examples)." };
        var requireWss = new Option<bool>("--require-wss") { Description = "Refuse a ws:// stream URL as Twilio does (31922). Default: allowed with a warning, for a local server without TLS." };

        var apiPort = new Option<int>("--api-port") { Description = "Port of the fake Twilio REST API (point PhoneAgent's Twilio:ApiBaseUrl at http://127.0.0.1:PORT). 0 picks a free port, printed at start.", DefaultValueFactory = _ => 0 };
        var noApi = new Option<bool>("--no-api") { Description = "Do not host the fake Twilio REST API." };
        var outWav = new Option<FileInfo>("--out", "-o") { Description = "Write what the caller heard (8 kHz 16-bit WAV, from the start of the call)." };
        var timeline = new Option<FileInfo>("--timeline") { Description = "Write the call's timeline as JSON lines." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print every mark received and echoed." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the summary." };

        var command = new Command("call", "Place one call as Twilio would: signed voice webhook, TwiML, a Media Stream fed from a recording on a 20 ms clock, agent audio on a simulated playback clock with mark echoes, <Connect action> and the TwiML after it, status callbacks.")
        {
            url, audio, transcript, callerChannel, publicUrl, authToken, accountSid, callSid, from, to, callStatusUrl, callStatusEvents,
            dialOutcome, dialTalkTime, hangupAfter, maxDuration, twimlTimeScale, dtmf, turnGap, noToneTags,
            stopOnServerClose, dropSilence, frameMs, bufferCap, upgradeSignature, keepQuery, numericFields, requireWss,
            apiPort, noApi, outWav, timeline, verbose, quiet,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!TryUrl(parse.GetValue(url)!, out var target) || (parse.GetValue(publicUrl) is { } p && !TryUrl(p, out _)))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("URL and --public-url must be absolute http(s) URLs.");
                return 2;
            }

            var frame = parse.GetValue(frameMs);
            if (frame is < 10 or > 200 || frame % 10 != 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--frame-ms must be a multiple of 10 between 10 and 200.");
                return 2;
            }

            RecordedCall recording;
            List<DtmfPress> presses;
            try
            {
                recording = RecordedCall.Load(parse.GetValue(audio)!.FullName, new RecordingLoadOptions
                {
                    CallerChannel = parse.GetValue(callerChannel),
                    TranscriptPath = parse.GetValue(transcript)?.FullName,
                });
                presses = [.. (parse.GetValue(dtmf) ?? []).Select(DtmfPress.Parse)];
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or FormatException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var webhook = target.AbsolutePath is "" or "/" ? FakeTwilioCallerOptions.Combine(target, CallReplayDefaults.VoicePath) : target;
            Uri? publicWebhook = null;
            if (parse.GetValue(publicUrl) is { } publicText)
            {
                var given = new Uri(publicText);
                publicWebhook = given.AbsolutePath is "" or "/" ? FakeTwilioCallerOptions.Combine(given, webhook.AbsolutePath) : given;
            }

            var statusUrl = parse.GetValue(callStatusUrl) switch
            {
                "none" => null,
                { } s => new Uri(s),
                null => FakeTwilioCallerOptions.Combine(BaseOf(publicWebhook ?? webhook), CallReplayDefaults.CallStatusPath),
            };
            var printer = new ConsolePrinter(output, parse.GetValue(verbose));
            var options = new FakeTwilioCallerOptions
            {
                WebhookUrl = webhook,
                PublicUrl = publicWebhook,
                AuthToken = parse.GetValue(authToken)!,
                AccountSid = parse.GetValue(accountSid)!,
                CallSid = parse.GetValue(callSid),
                From = parse.GetValue(from)!,
                To = parse.GetValue(to)!,
                CallStatusUrl = statusUrl,
                CallStatusEvents = [.. parse.GetValue(callStatusEvents)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                DialOutcome = parse.GetValue(dialOutcome) switch
                {
                    "no-answer" => DialOutcome.NoAnswer,
                    "busy" => DialOutcome.Busy,
                    "failed" => DialOutcome.Failed,
                    "caller-hangs-up" => DialOutcome.CallerHangsUp,
                    _ => DialOutcome.Completed,
                },
                DialTalkTime = parse.GetValue(dialTalkTime),
                HangupAfter = parse.GetValue(hangupAfter),
                MaxDuration = parse.GetValue(maxDuration),
                TwimlTimeScale = parse.GetValue(twimlTimeScale),
                Dtmf = presses,
                TurnGap = parse.GetValue(turnGap),
                DetectToneTags = !parse.GetValue(noToneTags),
                Behavior = new TwilioBehavior
                {
                    StopBeforeServerClose = parse.GetValue(stopOnServerClose),
                    DropSilence = parse.GetValue(dropSilence),
                    FrameDuration = TimeSpan.FromMilliseconds(frame),
                    OutboundBufferCap = parse.GetValue(bufferCap),
                    UpgradeSignature = parse.GetValue(upgradeSignature) switch
                    {
                        "trailing-slash" => UpgradeSignatureVariant.TrailingSlash,
                        "default-port" => UpgradeSignatureVariant.DefaultPort,
                        "none" => UpgradeSignatureVariant.None,
                        _ => UpgradeSignatureVariant.Exact,
                    },
                    KeepStreamUrlQuery = parse.GetValue(keepQuery),
                    NumbersAsStrings = !parse.GetValue(numericFields),
                    RequireWss = parse.GetValue(requireWss),
                },
                OnEvent = parse.GetValue(quiet) ? null : printer.OnEvent,
            };

            await using var api = parse.GetValue(noApi) ? null : await FakeTwilioApi.StartAsync(new FakeTwilioApiOptions
            {
                AccountSid = options.AccountSid,
                AuthToken = options.AuthToken,
                Port = parse.GetValue(apiPort),
            }, cancellationToken);
            if (api is not null)
            {
                await output.WriteLineAsync($"fake Twilio REST API at {api.BaseUrl} (PhoneAgent: Twilio:ApiBaseUrl={api.BaseUrl.ToString().TrimEnd('/')})");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"recording {recording.Name}: {recording.Source}, {recording.Duration.TotalSeconds:0.0} s, {recording.Utterances.Count} utterances ({(recording.HasTranscript ? "transcript" : "found from energy")})"));
            var result = await new FakeTwilioCaller(options, api: api).CallAsync(recording, cancellationToken);
            var heardPath = parse.GetValue(outWav)?.FullName;
            var timelinePath = parse.GetValue(timeline)?.FullName;
            if (heardPath is not null)
            {
                result.WriteHeardWav(heardPath);
            }

            if (timelinePath is not null)
            {
                result.WriteTimeline(timelinePath);
            }

            printer.PrintSummary(result, heardPath, timelinePath);
            var failed = result.EndReason == CallEndReason.ApplicationError
                || result.Streams.Any(s => s.EndedBy is StreamEndedBy.HandshakeRejected or StreamEndedBy.ConnectFailed);
            return failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>The service's base: the webhook URL without the voice path, or its origin.</summary>
    private static Uri BaseOf(Uri webhook)
    {
        var path = webhook.AbsolutePath;
        return path.EndsWith(CallReplayDefaults.VoicePath, StringComparison.Ordinal)
            ? new Uri(webhook.GetLeftPart(UriPartial.Authority) + path[..^CallReplayDefaults.VoicePath.Length])
            : new Uri(webhook.GetLeftPart(UriPartial.Authority));
    }

    private static bool TryUrl(string text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https";
}
