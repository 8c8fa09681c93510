using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>verify_caller</c>: proves who is calling, by the profile's <c>verification.method</c>. Checked here, in code:
/// the PIN against the PBKDF2 hash of the account on the caller's number (from the call context), or the billing
/// postcode together with the account's most recent order number. Failures count per call in
/// <see cref="ICallVerificationStore"/>; at <c>verification.maxAttempts</c> the call is locked out for good. The answer
/// never says which factor was wrong. Caller ID alone never verifies: with STIR/SHAKEN A-attestation and a profile
/// that allows it, the postcode alone is enough for the account on the caller's number.
/// </summary>
internal sealed class VerifyCallerTool(
    IAgentProfileCatalog profiles,
    ICustomerDirectory customers,
    ICallVerificationStore verifications,
    ToolAudit audit,
    TimeProvider timeProvider) : IToolHandler
{
    public const string Name = ToolNames.VerifyCaller;

    /// <summary>Twilio's <c>StirVerstat</c> for a number the originating carrier fully vouches for.</summary>
    public const string FullAttestation = "TN-Validation-Passed-A";

    // Checked when the caller's number has no account, so a miss costs about as long as a wrong PIN.
    private static readonly string DummyPinHash = CustomerPin.Hash("0000", CustomerPin.DefaultIterations);

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Verifies the caller's identity. Call it before looking up their account or orders or issuing a refund. Pass exactly what the caller said: their account PIN, or their billing postcode and the number of their most recent order, as this line asks. Never guess values and never read them back in full.",
        """
        {
          "type": "object",
          "properties": {
            "pin": { "type": "string", "description": "The account PIN the caller said (digits)." },
            "postcode": { "type": "string", "description": "The billing postcode or ZIP code the caller said." },
            "last_order_id": { "type": "string", "description": "The number of the caller's most recent order, e.g. A1001." }
          }
        }
        """);

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var call = invocation.Call;
        var settings = (profiles.Get(call.Profile) ?? profiles.Default).Verification;

        var state = await verifications.GetAsync(call.CallSid, cancellationToken);
        if (state.IsLocked)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Refused, AuditReason.Locked);
            return Locked();
        }

        if (state.IsVerified)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Verified, AuditReason.AlreadyVerified, state.CustomerId);
            return Verified("The caller is already verified on this call.");
        }

        var (match, missing, method) = settings.Method == VerificationMethod.Pin
            ? await CheckPinAsync(invocation, cancellationToken)
            : await CheckPostcodeAsync(invocation, settings, cancellationToken);
        if (missing is not null)
        {
            var reason = call.CallerNumber is null && settings.Method == VerificationMethod.Pin ? AuditReason.NoCallerNumber : AuditReason.MissingFactor;
            await audit.WriteAsync(invocation, AuditOutcome.Refused, reason, detail: $"method {CamelCaseEnumConverter<VerificationMethod>.NameOf(settings.Method)}");
            return ToolResult.Failure(missing);
        }

        var now = timeProvider.GetUtcNow();
        if (match is not null)
        {
            state = await verifications.RecordSuccessAsync(call.CallSid, match.Id, now, cancellationToken);
            if (state.IsVerified)
            {
                await audit.WriteAsync(invocation, AuditOutcome.Verified, AuditReason.None, match.Id, detail: $"method {method}");
                return Verified("The caller is verified. You may now look up their account and orders.");
            }

            await audit.WriteAsync(invocation, AuditOutcome.Refused, AuditReason.Locked, match.Id);
            return Locked();
        }

        state = await verifications.RecordFailureAsync(call.CallSid, settings.MaxAttempts, now, cancellationToken);
        if (state.IsLocked)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Locked, AuditReason.TooManyAttempts, detail: $"method {method}, attempt {state.FailedAttempts} of {settings.MaxAttempts}");
            return Locked();
        }

        await audit.WriteAsync(invocation, AuditOutcome.Failed, AuditReason.NoMatch, detail: $"method {method}, attempt {state.FailedAttempts} of {settings.MaxAttempts}");
        var left = Math.Max(1, settings.MaxAttempts - state.FailedAttempts);
        return ToolResult.Failure(
            $"Those details do not match our records. Do not say which detail was wrong. The caller has {left} more attempt{(left == 1 ? "" : "s")}; ask them to check and say the details again.");
    }

    private async ValueTask<(Customer? Match, string? Missing, string Method)> CheckPinAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        const string Method = "pin";
        var pin = ToolArguments.String(invocation.Arguments, "pin", 32) is { } said
            ? new string([.. said.Where(char.IsAsciiDigit)])
            : "";
        if (pin.Length == 0)
        {
            return (null, "Ask the caller for their account PIN, then call verify_caller with it.", Method);
        }

        if (invocation.Call.CallerNumber is not { } caller)
        {
            return (null, "This call has no caller number (it is withheld), so the PIN cannot be checked. Offer to connect the caller with a colleague.", Method);
        }

        // Every account on the number is checked, so the time taken does not tell which one (if any) matched.
        var accounts = await customers.FindByPhoneAsync(caller, cancellationToken);
        Customer? match = null;
        foreach (var account in accounts.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            if (CustomerPin.Verify(pin, account.PinHash) && match is null && account.PhoneE164 == caller)
            {
                match = account;
            }
        }

        if (accounts.Count == 0)
        {
            _ = CustomerPin.Verify(pin, DummyPinHash);
        }

        return (match, null, Method);
    }

    private async ValueTask<(Customer? Match, string? Missing, string Method)> CheckPostcodeAsync(ToolInvocation invocation, VerificationSettings settings, CancellationToken cancellationToken)
    {
        var call = invocation.Call;
        var postcode = ToolArguments.String(invocation.Arguments, "postcode", 16) is { } p ? SupportText.NormalizePostcode(p) : null;
        var lastOrder = ToolArguments.OrderId(invocation.Arguments, "last_order_id");
        var attested = settings.AttestedCallerNeedsOneFactorFewer
            && call.CallerNumber is not null
            && string.Equals(call.CallerAttestation, FullAttestation, StringComparison.OrdinalIgnoreCase);

        if (string.IsNullOrEmpty(postcode) || (lastOrder is null && !attested))
        {
            return (null, attested
                ? "Ask the caller for their billing postcode, then call verify_caller with it."
                : "Ask the caller for their billing postcode and the number of their most recent order, then call verify_caller with both.", "postcodeAndLastOrder");
        }

        if (lastOrder is null)
        {
            // One factor fewer, never zero: the carrier vouches for the number, the caller still knows the postcode.
            var onNumber = await customers.FindByPhoneAsync(call.CallerNumber!, cancellationToken);
            var match = onNumber
                .Where(a => a.PhoneE164 == call.CallerNumber && a.PostalCode is not null && SupportText.NormalizePostcode(a.PostalCode) == postcode)
                .MinBy(a => a.Id, StringComparer.Ordinal);
            return (match, null, "postcode+attested-caller-id");
        }

        foreach (var account in (await customers.FindByPostalCodeAsync(postcode, cancellationToken)).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var newest = await customers.ListOrdersAsync(account.Id, 1, cancellationToken);
            if (newest.Count > 0 && string.Equals(newest[0].Id, lastOrder, StringComparison.OrdinalIgnoreCase))
            {
                return (account, null, "postcode+last-order");
            }
        }

        return (null, null, "postcode+last-order");
    }

    private static ToolResult Verified(string message) =>
        ToolOutput.Success(new JsonObject { ["verified"] = true, ["message"] = message });

    private static ToolResult Locked() => ToolResult.Failure(
        "Verification is locked on this call after too many failed attempts. Do not ask for the details again and do not look anything up; offer to connect the caller with a colleague or to take a callback request.");
}
