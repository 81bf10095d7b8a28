package io.eddyrtc.engine;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import io.eddyrtc.engine.sdp.StreamIds;
import io.eddyrtc.ice.IceAgent;

import java.util.List;
import java.util.Objects;

/**
 * Sets up an {@link Rtc} without SDP, for peers that signal some other way (str0m's {@code DirectApi}):
 * the caller decides the ICE role and exchanges credentials and candidates itself.
 *
 * <p>It covers ICE (credentials, role, lite), DTLS (fingerprint, role), media (m-lines with their payload
 * types and the SSRCs each side sends) and data channels (DCEP or pre-negotiated ids, over the SCTP
 * association that starts once DTLS is up).
 */
public final class DirectApi {
    private final Rtc rtc;
    private final IceAgent ice;

    DirectApi(Rtc rtc, IceAgent ice) {
        this.rtc = rtc;
        this.ice = ice;
    }

    /** Our DTLS certificate's fingerprint, to signal ({@code a=fingerprint}). */
    public Fingerprint localDtlsFingerprint() {
        return rtc.localFingerprint();
    }

    /** The peer's fingerprint: its certificate must match or the connection fails with no keys. */
    public DirectApi setRemoteFingerprint(Fingerprint fingerprint) {
        rtc.setRemoteFingerprint(fingerprint);
        return this;
    }

    /**
     * Receives RTP of {@code payloadType} as {@code codec} for the media section {@code mid} (added
     * receive-only if new): samples come out as {@link Event.MediaData}, SSRCs are learnt from the packets.
     */
    public DirectApi receiveMedia(String mid, int payloadType, Codec codec) {
        rtc.receiveMedia(mid, payloadType, codec);
        return this;
    }

    /**
     * Adds an m-line as both sides agreed it out of band (an SFU cascade, a test): our {@code direction},
     * the payload types in preference order (each with its RTX payload type or -1), the header extension
     * ids both use, the SSRC (and RTX SSRC, or -1) we send with, and the SSRCs the peer sends with (each
     * {@code {ssrc, rtxSsrc}}; empty to learn them from the packets). {@link Event.MediaAdded} follows and
     * {@link Rtc#media(String)} gives the writer.
     */
    public Media addMedia(String mid, MediaKind kind, Direction direction, List<PayloadParams> payloadTypes, ExtensionMap extensions,
                          long sendSsrc, long sendRtxSsrc, List<long[]> receiveSsrcs) {
        Objects.requireNonNull(payloadTypes, "payloadTypes");
        Objects.requireNonNull(extensions, "extensions: new ExtensionMap() for none");
        if (payloadTypes.isEmpty()) {
            throw new IllegalArgumentException("an m-line needs at least one payload type");
        }
        List<StreamIds> send = direction.isSending()
                ? List.of(new StreamIds(sendSsrc & 0xFFFF_FFFFL, sendRtxSsrc, null))
                : List.of();
        List<StreamIds> receive = receiveSsrcs.stream()
                .map(r -> new StreamIds(r[0] & 0xFFFF_FFFFL, r.length > 1 ? r[1] : -1, null)).toList();
        return rtc.addMedia(NegotiatedMedia.of(Mid.of(mid), kind, direction, payloadTypes, extensions, "direct-" + mid)
                .withStreams(send, receive));
    }

    /**
     * Starts SCTP for data channels once DTLS is up, when SDP is also in use but negotiated no data channel
     * m-line. Without SDP it starts by itself; calling this is then harmless.
     */
    public DirectApi startSctp() {
        rtc.startSctpWhenConnected();
        return this;
    }

    /**
     * Opens a data channel (reliable, ordered) as soon as SCTP is up; {@link Event.ChannelOpen} gives its
     * id once the peer acknowledged it.
     */
    public DirectApi createDataChannel(String label) {
        rtc.createDataChannel(label, true, -1, -1);
        return this;
    }

    /**
     * Opens a partially reliable data channel: messages are given up after {@code maxRetransmits}
     * retransmissions or {@code maxLifetimeMillis} (one of them, the other -1), and may arrive out of
     * order when {@code ordered} is false — for game state, live cursors, telemetry.
     */
    public DirectApi createDataChannel(String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        rtc.createDataChannel(label, ordered, maxRetransmits, maxLifetimeMillis);
        return this;
    }

    /**
     * Registers a pre-negotiated data channel (negotiated=true, the same {@code id} on both sides, no
     * DCEP), before or after connecting. {@link Event.ChannelOpen} follows as soon as SCTP is up (at once
     * if it already is).
     */
    public DirectApi createNegotiatedDataChannel(int id, String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        rtc.createNegotiatedDataChannel(id, label, ordered, maxRetransmits, maxLifetimeMillis);
        return this;
    }

    /**
     * Starts DTLS: {@code active} makes us the DTLS client ({@code a=setup:active}), which sends its
     * ClientHello as soon as ICE connects; otherwise we are the server and wait for one.
     */
    public DirectApi startDtls(boolean active) {
        rtc.startDtls(active);
        return this;
    }

    /** Our ICE role: the offerer is usually controlling. An ICE-lite Rtc is always controlled. */
    public DirectApi setIceControlling(boolean controlling) {
        if (ice.isLite() && controlling) {
            throw new IllegalStateException("this Rtc is ICE-lite and so always controlled (RFC 8445 §6.1.1); "
                    + "build it without iceLite(true) to control");
        }
        rtc.changed(); // ICE has new work: its deadline is asked again, a loop's listener told
        ice.setControlling(controlling);
        return this;
    }

    public boolean isIceControlling() {
        return ice.isControlling();
    }

    /** Our ufrag and password, to send to the peer. */
    public IceCredentials localIceCredentials() {
        return new IceCredentials(ice.localUfrag(), ice.localPassword());
    }

    /** Replaces our generated credentials, e.g. with ones already signalled. */
    public DirectApi setLocalIceCredentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        rtc.changed(); // ICE has new work: its deadline is asked again, a loop's listener told
        ice.setLocalCredentials(credentials.ufrag(), credentials.pwd());
        return this;
    }

    /** The peer's ufrag and password; checks start once these and a remote candidate are known. */
    public DirectApi setRemoteIceCredentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        rtc.changed(); // ICE has new work: its deadline is asked again, a loop's listener told
        ice.setRemoteCredentials(credentials.ufrag(), credentials.pwd());
        return this;
    }

    /** The peer is ICE-lite (it said {@code a=ice-lite}): we must control. */
    public DirectApi setRemoteIceLite(boolean remoteLite) {
        rtc.changed(); // ICE has new work: its deadline is asked again, a loop's listener told
        ice.setRemoteLite(remoteLite);
        return this;
    }

    /**
     * Starts an ICE restart: new local credentials (returned, to signal), a fresh check list; media
     * stays on the current pair until the new generation selects one.
     */
    public IceCredentials iceRestart() {
        rtc.changed(); // ICE has new work: its deadline is asked again, a loop's listener told
        ice.restart();
        return localIceCredentials();
    }
}
