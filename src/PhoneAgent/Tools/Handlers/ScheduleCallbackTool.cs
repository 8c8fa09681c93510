using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>schedule_callback</c>: books a call back from the team, stored through <see cref="IHandoffStore"/>.
/// </summary>
/// <remarks>
/// The time must carry its UTC offset, lie in the future (at most <see cref="MaxAhead"/>) and fall inside the
/// profile's business hours. The caller's time zone is the one they named (<c>time_zone</c>), else the verified
/// account's, else the profile's; with none of them the tool asks for it. The offset must be the zone's offset at that
/// moment (so a model that forgot daylight saving time is caught, and told the right offset).
/// </remarks>
internal sealed partial class ScheduleCallbackTool(
    IAgentProfileCatalog profiles,
    IHandoffStore handoffs,
    CallVerificationGate gate,
    ToolAudit audit,
    TimeProvider timeProvider) : IToolHandler
{
    public const string Name = ToolNames.ScheduleCallback;

    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(30);

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Books a call back from our team at a time the caller chooses, within business hours. Confirm the day and time with the caller first and pass it as ISO 8601 with the caller's UTC offset.",
        """
        {
          "type": "object",
          "properties": {
            "phone": { "type": "string", "description": "Number to call back in international format, e.g. +15551234567. Omit to use the number the caller is calling from." },
            "time": { "type": "string", "description": "When, as ISO 8601 with the caller's UTC offset, e.g. 2026-03-10T14:30:00-04:00." },
            "topic": { "type": "string", "description": "What the callback is about, in a few words." },
            "time_zone": { "type": "string", "description": "The caller's IANA time zone (e.g. America/Chicago), only if the caller said where they are." }
          },
          "required": ["time", "topic"]
        }
        """);

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var call = invocation.Call;
        var profile = profiles.Get(call.Profile) ?? profiles.Default;
        var (_, customer) = await gate.CheckAsync(call.CallSid, cancellationToken);
        var now = timeProvider.GetUtcNow();

        async ValueTask<ToolResult> RefuseAsync(string why, string message)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Refused, why, customer?.Id);
            return ToolResult.Failure(message);
        }

        if (ToolArguments.String(invocation.Arguments, "topic", 300) is not { } topic)
        {
            return await RefuseAsync(AuditReason.MissingTopic, "Ask the caller what the callback is about, then call schedule_callback again.");
        }

        var phone = NormalizePhone(ToolArguments.String(invocation.Arguments, "phone", 40)) ?? call.CallerNumber;
        if (phone is null || !ProfileFormats.E164().IsMatch(phone))
        {
            return await RefuseAsync(AuditReason.InvalidPhone, "Ask the caller for the number to call back, including the country code, e.g. +1 555 123 4567.");
        }

        var text = ToolArguments.String(invocation.Arguments, "time", 64);
        if (text is null || !ExplicitOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            return await RefuseAsync(AuditReason.InvalidTime, "The time must be ISO 8601 with the caller's UTC offset, e.g. 2026-03-10T14:30:00-04:00. Confirm the day and time with the caller.");
        }

        var stated = ToolArguments.String(invocation.Arguments, "time_zone", 64);
        var zoneId = stated is not null && BusinessSchedule.TryFindZone(stated, out _) ? stated
            : customer?.TimeZone is { } own && BusinessSchedule.TryFindZone(own, out _) ? own
            : profile.BusinessHours?.TimeZone;
        if (zoneId is null || !BusinessSchedule.TryFindZone(zoneId, out var zone))
        {
            return await RefuseAsync(AuditReason.TimeZoneUnknown, "The caller's time zone is not known. Ask which city or region they are in, then call schedule_callback again with time_zone.");
        }

        var wall = time.DateTime;
        if (zone.IsInvalidTime(wall))
        {
            return await RefuseAsync(AuditReason.OffsetMismatch, $"{wall:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks change then). Ask the caller for another time.");
        }

        var expected = zone.GetUtcOffset(time);
        if (expected != time.Offset)
        {
            var corrected = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            return await RefuseAsync(AuditReason.OffsetMismatch, $"In {zone.Id} the UTC offset at that time is {Offset(expected)}, not {Offset(time.Offset)}. If the caller meant {wall:dddd d MMMM HH:mm} their time, call again with {Iso(corrected)}.");
        }

        if (time <= now)
        {
            return await RefuseAsync(AuditReason.InPast, $"That time has passed; it is now {Iso(TimeZoneInfo.ConvertTime(now, zone))} for the caller. Ask for a later time.");
        }

        if (time > now + MaxAhead)
        {
            return await RefuseAsync(AuditReason.TooFarAhead, $"Callbacks can be booked at most {MaxAhead.TotalDays:0} days ahead. Ask for an earlier day.");
        }

        if (profiles.ScheduleOf(profile) is { } hours && !hours.IsOpen(time))
        {
            var next = hours.NextOpening(time) is { } opening ? $" The next opening after that is {Iso(TimeZoneInfo.ConvertTime(opening, zone))} in the caller's time." : "";
            return await RefuseAsync(AuditReason.OutsideBusinessHours, $"That is outside our business hours: {hours.Describe()}.{next} Ask for a time within them.");
        }

        var saved = await handoffs.SaveCallbackAsync(new CallbackRequest("", call.CallSid, customer?.Id, phone, time, zone.Id, topic, now), cancellationToken);
        await audit.WriteAsync(invocation, AuditOutcome.Scheduled, AuditReason.None, customer?.Id,
            detail: $"callback {saved.Id} at {Iso(time)} ({zone.Id}) to {SupportText.MaskPhone(phone)}");
        return ToolOutput.Success(new JsonObject
        {
            ["scheduled"] = true,
            ["callback_id"] = saved.Id,
            ["time"] = Iso(time),
            ["time_zone"] = zone.Id,
            ["message"] = $"Booked: we will call {SupportText.MaskPhone(phone)} on {time:dddd d MMMM} at {time:HH:mm} ({zone.Id}). Confirm this with the caller.",
        });
    }

    /// <summary>Digits with a leading <c>+</c> (<c>00</c> becomes <c>+</c>); spaces, dots, dashes and brackets dropped.</summary>
    public static string? NormalizePhone(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var kept = new string([.. text.Where(c => char.IsAsciiDigit(c) || c == '+')]);
        return kept.StartsWith("00", StringComparison.Ordinal) ? "+" + kept[2..] : kept;
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExplicitOffset();
}
