namespace PhoneAgent.Calls;

/// <summary>How a media stream ended (like YARP's <c>ForwarderError</c>: one value per way out).</summary>
internal enum StreamEndReason
{
    /// <summary>Twilio sent <c>stop</c> (the caller hung up, or Twilio ended the stream).</summary>
    Stopped = 1,

    /// <summary>This service closed the socket on purpose (after recording a <see cref="NextAction"/>).</summary>
    ClosedByServer,

    /// <summary>Twilio closed the socket without <c>stop</c>.</summary>
    ClosedByTwilio,

    /// <summary>The socket failed (reset, abort, network loss).</summary>
    SocketLost,

    /// <summary>Our handshake refused the stream (bad, reused or expired token; CallSid or AccountSid mismatch): closed with 1008.</summary>
    HandshakeRefused,

    /// <summary><c>start</c> did not arrive in time: closed with 1008.</summary>
    StartTimeout,

    /// <summary>A message exceeded <c>Twilio:MaxMessageBytes</c>: closed with 1009.</summary>
    MessageTooBig,

    /// <summary>The service is shutting down.</summary>
    ServerShutdown,
}
