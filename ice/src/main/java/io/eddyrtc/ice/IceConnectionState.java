package io.eddyrtc.ice;

/** The agent's overall state, named like the W3C {@code RTCIceConnectionState}. */
public enum IceConnectionState {
    /** Nothing to check yet (no remote credentials or candidates). */
    NEW,
    /** Checks are running and no pair has been selected. */
    CHECKING,
    /** A pair is selected and has consent; checks may still be running. */
    CONNECTED,
    /** A pair is selected and no checks remain (remote end-of-candidates seen). */
    COMPLETED,
    /**
     * Consent of the selected pair expired (RFC 7675); recovers to CONNECTED if it returns within
     * {@link IceConfig#failAfterDisconnectedNanos()}, else FAILED.
     */
    DISCONNECTED,
    /**
     * The agent gave up: every pair failed (after end-of-candidates or the trickle grace), checking found no
     * pair within {@link IceConfig#checkingTimeoutNanos()}, or DISCONNECTED lasted too long. Final: nothing
     * is sent or answered until {@link IceAgent#restart()}.
     */
    FAILED,
    /** {@link IceAgent#close()} was called. */
    CLOSED
}
