package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.media.Mid;

import java.util.List;

/**
 * What an accepted offer or answer changed, for the engine to apply, polled with
 * {@link SdpSession#pollChange()} in order. A session emits these only after a description was fully
 * accepted; a refused one emits nothing.
 */
public sealed interface SdpChange {

    /**
     * ICE parameters, on the first negotiation and after every ICE restart (either side's). The engine
     * restarts its agent when {@code restart} is set, then sets both credentials, the peer's lite flag and
     * the role.
     */
    record Ice(IceCredentials local, IceCredentials remote, boolean remoteLite, boolean controlling, boolean restart)
            implements SdpChange {}

    /**
     * Candidates the peer put in its description, each as {@code candidate:...} (the attribute without
     * {@code a=}, the form {@code io.eddyrtc.ice.Candidate.parse} takes and {@code toSdpString} writes), and
     * whether it said {@code a=end-of-candidates}. Only candidates not reported before.
     */
    record RemoteCandidates(List<String> candidates, boolean endOfCandidates) implements SdpChange {
        public RemoteCandidates {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * DTLS: the certificate fingerprint the peer must present and our role from {@code a=setup}
     * ({@code active}: we are the DTLS client). Sent once, and again only if the peer's fingerprint changes.
     */
    record Dtls(Fingerprint remoteFingerprint, boolean active) implements SdpChange {}

    /** A new audio or video m-line was negotiated. */
    record MediaAdded(NegotiatedMedia media) implements SdpChange {}

    /** An m-line's direction, codecs, extensions or streams changed in a renegotiation. */
    record MediaChanged(NegotiatedMedia media) implements SdpChange {}

    /**
     * An m-line was stopped (port 0): stop sending and receiving it; for the data channel m-line, close
     * SCTP. Its slot may be recycled later.
     */
    record MediaStopped(Mid mid) implements SdpChange {}

    /**
     * The data channel m-line was negotiated: SCTP runs between our {@code localPort} and the peer's
     * {@code remotePort}; the peer takes messages up to {@code remoteMaxMessageSize} bytes (0: no limit;
     * 65536 when it did not say, RFC 8841 §6).
     */
    record ChannelTransport(Mid mid, int localPort, int remotePort, long remoteMaxMessageSize) implements SdpChange {}

    /** {@link SdpApi#addChannel} asked for this channel: open it once SCTP is up. */
    record OpenChannel(ChannelConfig channel) implements SdpChange {}
}
