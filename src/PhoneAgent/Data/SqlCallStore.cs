using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using PhoneAgent.Calls;
using PhoneAgent.Privacy;

namespace PhoneAgent.Data;

/// <summary>
/// <see cref="ICallStore"/> on the database, shared by every instance. Each change runs in one write transaction
/// that first locks the call's row (<c>FOR UPDATE</c> on PostgreSQL, the write lock on SQLite), so the
/// compare-and-set rules of <see cref="ICallStore"/> hold across instances; each change also bumps
/// <c>calls.version</c>. Transcript lines are redacted before they are written.
/// </summary>
internal sealed class SqlCallStore(PhoneAgentDatabase database) : ICallStore
{
    internal static readonly JsonSerializerOptions NextActionJson = new(JsonSerializerDefaults.Web)
    {
        // jsonb keeps keys in its own order, so the "kind" discriminator may come back after other properties.
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly HashSet<string> TerminalStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        "completed", "busy", "failed", "no-answer", "canceled",
    };

    private const string StreamColumns = "ordinal, issued_at, expires_at, claimed_at, stream_sid, ended_at, end_reason, next_action";

    public async ValueTask<CallRecord> GetOrCreateAsync(NewCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, null,
            """
            INSERT INTO calls (call_sid, account_sid, from_number, to_number, caller_attestation, profile, created_at, version)
            VALUES (@sid, @account, @from, @to, @attestation, @profile, @at, 1)
            ON CONFLICT (call_sid) DO NOTHING
            """, cancellationToken,
            ("sid", call.CallSid), ("account", call.AccountSid), ("from", call.From), ("to", call.To),
            ("attestation", call.CallerAttestation), ("profile", call.Profile), ("at", call.At)).ConfigureAwait(false);
        return await ReadCallAsync(connection, call.CallSid, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The call row vanished right after it was written (deleted concurrently).");
    }

    public async ValueTask<CallRecord?> FindAsync(string callSid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCallAsync(connection, callSid, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<StreamRecord?> IssueStreamAsync(string callSid, int ordinal, DateTimeOffset issuedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!await LockCallAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var current = await ReadStreamAsync(connection, transaction,
            $"SELECT {StreamColumns} FROM streams WHERE call_sid = @sid ORDER BY ordinal DESC LIMIT 1", callSid, 0, cancellationToken).ConfigureAwait(false);
        StreamRecord issued;
        if ((current is null && ordinal == 1) || (current is not null && current.Ordinal == ordinal - 1))
        {
            issued = new StreamRecord { Ordinal = ordinal, IssuedAt = issuedAt, ExpiresAt = expiresAt };
            await database.ExecuteAsync(connection, transaction,
                "INSERT INTO streams (call_sid, ordinal, issued_at, expires_at) VALUES (@sid, @ordinal, @issued, @expires)", cancellationToken,
                ("sid", callSid), ("ordinal", ordinal), ("issued", issuedAt), ("expires", expiresAt)).ConfigureAwait(false);
        }
        else if (current is not null && current.Ordinal == ordinal && current.ClaimedAt is null && current.EndedAt is null)
        {
            // A retried webhook: the same stream, with fresh times.
            issued = current with { IssuedAt = issuedAt, ExpiresAt = expiresAt };
            await database.ExecuteAsync(connection, transaction,
                "UPDATE streams SET issued_at = @issued, expires_at = @expires WHERE call_sid = @sid AND ordinal = @ordinal", cancellationToken,
                ("sid", callSid), ("ordinal", ordinal), ("issued", issuedAt), ("expires", expiresAt)).ConfigureAwait(false);
        }
        else
        {
            return null;
        }

        await BumpVersionAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return issued;
    }

    public async ValueTask<StreamClaim> ClaimStreamAsync(string callSid, int ordinal, string streamSid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!await LockCallAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false))
        {
            return StreamClaim.UnknownCall;
        }

        var stream = await ReadStreamAsync(connection, transaction,
            $"SELECT {StreamColumns} FROM streams WHERE call_sid = @sid AND ordinal = @ordinal", callSid, ordinal, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return StreamClaim.NotIssued;
        }

        var newest = Convert.ToInt32(await database.ScalarAsync(connection, transaction,
            "SELECT MAX(ordinal) FROM streams WHERE call_sid = @sid", cancellationToken, ("sid", callSid)).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        var result = stream.ClaimedAt is not null ? StreamClaim.AlreadyClaimed
            : ordinal != newest ? StreamClaim.Superseded
            : now > stream.ExpiresAt ? StreamClaim.Expired
            : StreamClaim.Claimed;
        if (result != StreamClaim.Claimed)
        {
            return result;
        }

        await database.ExecuteAsync(connection, transaction,
            "UPDATE streams SET claimed_at = @now, stream_sid = @streamSid WHERE call_sid = @sid AND ordinal = @ordinal", cancellationToken,
            ("sid", callSid), ("ordinal", ordinal), ("now", now), ("streamSid", streamSid)).ConfigureAwait(false);
        await BumpVersionAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StreamClaim.Claimed;
    }

    public async ValueTask<bool> TrySetNextActionAsync(string callSid, int ordinal, NextAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var json = JsonSerializer.Serialize(action, NextActionJson);
        return await UpdateOnceAsync(callSid,
            "UPDATE streams SET next_action = @action WHERE call_sid = @sid AND ordinal = @ordinal AND next_action IS NULL",
            cancellationToken, ("sid", callSid), ("ordinal", ordinal), ("action", database.JsonParameter("action", json))).ConfigureAwait(false);
    }

    public async ValueTask EndStreamAsync(string callSid, int ordinal, StreamEndReason reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        await UpdateOnceAsync(callSid,
            "UPDATE streams SET ended_at = @at, end_reason = @reason WHERE call_sid = @sid AND ordinal = @ordinal AND ended_at IS NULL",
            cancellationToken, ("sid", callSid), ("ordinal", ordinal), ("at", at), ("reason", reason.ToString())).ConfigureAwait(false);

    public async ValueTask<bool> AddStatusAsync(string callSid, CallStatusEvent status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        bool ended;
        await using (var command = database.Command(connection, transaction, $"SELECT ended_at FROM calls WHERE call_sid = @sid{database.ForUpdate}", ("sid", callSid)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            ended = !reader.IsDBNull(0);
        }

        await database.ExecuteAsync(connection, transaction,
            "INSERT INTO call_status_history (call_sid, source, status, at, detail) VALUES (@sid, @source, @status, @at, @detail)", cancellationToken,
            ("sid", callSid), ("source", status.Source), ("status", status.Status), ("at", status.At), ("detail", status.Detail)).ConfigureAwait(false);
        if (status.Source == "call")
        {
            if (TerminalStatuses.Contains(status.Status) && !ended)
            {
                await database.ExecuteAsync(connection, transaction,
                    "UPDATE calls SET call_status = @status, ended_at = @at, end_reason = COALESCE(end_reason, @reason) WHERE call_sid = @sid", cancellationToken,
                    ("sid", callSid), ("status", status.Status), ("at", status.At), ("reason", "call-status:" + status.Status)).ConfigureAwait(false);
            }
            else
            {
                await database.ExecuteAsync(connection, transaction, "UPDATE calls SET call_status = @status WHERE call_sid = @sid", cancellationToken,
                    ("sid", callSid), ("status", status.Status)).ConfigureAwait(false);
            }
        }

        await BumpVersionAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask AppendTranscriptAsync(string callSid, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!await LockCallAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var entry in entries)
        {
            await database.ExecuteAsync(connection, transaction,
                "INSERT INTO transcripts (call_sid, at_ticks, speaker, text, kind) VALUES (@sid, @ticks, @speaker, @text, @kind)", cancellationToken,
                ("sid", callSid), ("ticks", entry.At.Ticks), ("speaker", entry.Speaker), ("text", Redactor.Redact(entry.Text)), ("kind", entry.Kind.ToString())).ConfigureAwait(false);
        }

        await BumpVersionAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SetRecordingAsync(string callSid, string recordingSid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var changed = await database.ExecuteAsync(connection, null,
            "UPDATE calls SET recording_sid = @recording, version = version + 1 WHERE call_sid = @sid AND recording_sid IS NULL", cancellationToken,
            ("sid", callSid), ("recording", recordingSid)).ConfigureAwait(false);
        return changed == 1 || await database.ScalarAsync(connection, null, "SELECT 1 FROM calls WHERE call_sid = @sid", cancellationToken, ("sid", callSid)).ConfigureAwait(false) is not null;
    }

    public async ValueTask<bool> TrySetEndReasonAsync(string callSid, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await database.ExecuteAsync(connection, null,
            "UPDATE calls SET end_reason = @reason, ended_at = COALESCE(ended_at, @at), version = version + 1 WHERE call_sid = @sid AND end_reason IS NULL", cancellationToken,
            ("sid", callSid), ("reason", reason), ("at", at)).ConfigureAwait(false) == 1;
    }

    /// <summary>Runs a first-writer-wins update of one stream row and bumps the call's version when it changed something.</summary>
    private async ValueTask<bool> UpdateOnceAsync(string callSid, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (await database.ExecuteAsync(connection, transaction, sql, cancellationToken, parameters).ConfigureAwait(false) != 1)
        {
            return false;
        }

        await BumpVersionAsync(connection, transaction, callSid, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> LockCallAsync(DbConnection connection, DbTransaction transaction, string callSid, CancellationToken cancellationToken) =>
        await database.ScalarAsync(connection, transaction, $"SELECT 1 FROM calls WHERE call_sid = @sid{database.ForUpdate}", cancellationToken, ("sid", callSid)).ConfigureAwait(false) is not null;

    private async ValueTask BumpVersionAsync(DbConnection connection, DbTransaction transaction, string callSid, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(connection, transaction, "UPDATE calls SET version = version + 1 WHERE call_sid = @sid", cancellationToken, ("sid", callSid)).ConfigureAwait(false);

    private async ValueTask<StreamRecord?> ReadStreamAsync(DbConnection connection, DbTransaction transaction, string sql, string callSid, int ordinal, CancellationToken cancellationToken)
    {
        await using var command = database.Command(connection, transaction, sql, ("sid", callSid), ("ordinal", ordinal));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadStream(reader) : null;
    }

    private StreamRecord ReadStream(DbDataReader reader) => new()
    {
        Ordinal = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
        IssuedAt = database.ReadTime(reader, 1),
        ExpiresAt = database.ReadTime(reader, 2),
        ClaimedAt = database.ReadTimeOrNull(reader, 3),
        StreamSid = reader.IsDBNull(4) ? null : reader.GetString(4),
        EndedAt = database.ReadTimeOrNull(reader, 5),
        EndReason = reader.IsDBNull(6) ? null : Enum.Parse<StreamEndReason>(reader.GetString(6)),
        NextAction = reader.IsDBNull(7) ? null : JsonSerializer.Deserialize<NextAction>(reader.GetString(7), NextActionJson),
    };

    private async ValueTask<CallRecord?> ReadCallAsync(DbConnection connection, string callSid, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        CallRecord call;
        await using (var command = database.Command(connection, transaction,
            """
            SELECT call_sid, account_sid, from_number, to_number, caller_attestation, profile, created_at, ended_at, end_reason, call_status, recording_sid, version
            FROM calls WHERE call_sid = @sid
            """, ("sid", callSid)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            call = new CallRecord
            {
                CallSid = reader.GetString(0),
                AccountSid = reader.GetString(1),
                From = reader.IsDBNull(2) ? null : reader.GetString(2),
                To = reader.IsDBNull(3) ? null : reader.GetString(3),
                CallerAttestation = reader.IsDBNull(4) ? null : reader.GetString(4),
                Profile = reader.GetString(5),
                CreatedAt = database.ReadTime(reader, 6),
                EndedAt = database.ReadTimeOrNull(reader, 7),
                EndReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                CallStatus = reader.IsDBNull(9) ? null : reader.GetString(9),
                RecordingSid = reader.IsDBNull(10) ? null : reader.GetString(10),
                Version = reader.GetInt64(11),
            };
        }

        var history = ImmutableList.CreateBuilder<CallStatusEvent>();
        await using (var command = database.Command(connection, transaction,
            "SELECT source, status, at, detail FROM call_status_history WHERE call_sid = @sid ORDER BY id", ("sid", callSid)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                history.Add(new CallStatusEvent(reader.GetString(0), reader.GetString(1), database.ReadTime(reader, 2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var streams = ImmutableList.CreateBuilder<StreamRecord>();
        await using (var command = database.Command(connection, transaction,
            $"SELECT {StreamColumns} FROM streams WHERE call_sid = @sid ORDER BY ordinal", ("sid", callSid)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                streams.Add(ReadStream(reader));
            }
        }

        var transcript = ImmutableList.CreateBuilder<TranscriptEntry>();
        await using (var command = database.Command(connection, transaction,
            "SELECT at_ticks, speaker, text, kind FROM transcripts WHERE call_sid = @sid ORDER BY id", ("sid", callSid)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                transcript.Add(new TranscriptEntry(TimeSpan.FromTicks(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), Enum.Parse<TranscriptEntryKind>(reader.GetString(3))));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return call with { StatusHistory = history.ToImmutable(), Streams = streams.ToImmutable(), Transcript = transcript.ToImmutable() };
    }
}
