namespace PhoneAgent.Calls;

/// <summary>Outcome of <see cref="ICallStore.ClaimStreamAsync"/>: only <see cref="Claimed"/> lets the stream run.</summary>
internal enum StreamClaim
{
    /// <summary>First use of this stream's token: the stream may run.</summary>
    Claimed = 1,

    /// <summary>No record of this CallSid.</summary>
    UnknownCall,

    /// <summary>No stream with this ordinal was issued for the call.</summary>
    NotIssued,

    /// <summary>A newer stream was issued since; this ordinal is dead.</summary>
    Superseded,

    /// <summary>The token's time ran out before the stream started.</summary>
    Expired,

    /// <summary>The token was used already (a replay, or Twilio connecting twice).</summary>
    AlreadyClaimed,
}
