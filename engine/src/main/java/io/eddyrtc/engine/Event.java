package io.eddyrtc.engine;

import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;

/**
 * What happened inside an {@link Rtc}, polled as an {@link Output}. State changes are records (rare);
 * the media and data events that arrive per packet will be reused views, like {@link Output.Transmit}.
 *
 * <p>Only events the {@code Rtc} produces today are here; each protocol layer adds its own as it is
 * wired in (see the status table in the README).
 */
public sealed interface Event extends Output {

    /**
     * ICE and DTLS are both up: SRTP keys exist (when the peers negotiated use_srtp) and application
     * data can flow. Comes once per connection.
     */
    record Connected() implements Event {}

    /** The DTLS handshake or connection failed for good (e.g. the certificate did not match the fingerprint). */
    record DtlsFailed(String reason) implements Event {}

    /** A data channel opened (we created it and the peer acknowledged, or the peer created it). */
    record ChannelOpen(int id, String label) implements Event {}

    /** A whole message on data channel {@code id}; {@code binary} false means UTF-8 text. */
    record ChannelData(int id, boolean binary, byte[] data) implements Event {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Data channel {@code id} closed (by either side); its id may be used again. */
    record ChannelClose(int id) implements Event {}

    /** Data channel {@code id}'s unsent bytes fell to its low-water mark ({@link Channel#setBufferedAmountLowThreshold}). */
    record ChannelBufferedAmountLow(int id) implements Event {}

    /** The SCTP association under the data channels ended (ABORT, SHUTDOWN or an unreachable peer). */
    record ChannelsClosed(String reason) implements Event {}

    /**
     * A whole media sample from the peer: a video frame (depacketized) or an audio packet's payload.
     * {@code rtpTime} is the RTP timestamp extended to 64 bits (no wrap), in the codec's clock rate.
     */
    record MediaData(String mid, int payloadType, io.eddyrtc.engine.media.Codec codec, long ssrc, long rtpTime,
                     byte[] data, boolean keyframe) implements Event {}

    /**
     * The peer asks for a keyframe of the stream it receives with SSRC {@code ssrc}: an RTCP PLI, or a FIR
     * when {@code fir}. An SFU forwards it to the stream's sender; a sender encodes a keyframe.
     */
    record KeyframeRequest(long ssrc, boolean fir) implements Event {}

    /** The ICE agent's state changed (checking, connected, disconnected on consent loss, failed, closed). */
    record IceConnectionStateChange(IceConnectionState state) implements Event {}

    /**
     * ICE selected the pair media and data now travel on: from {@code local}'s base to {@code remote}'s
     * address. A browser pairs all its interfaces, so this says which one won.
     */
    record SelectedPairChange(Candidate local, Candidate remote) implements Event {}

    /**
     * Transport statistics of one peer connection, every {@link RtcConfig#statsIntervalNanos()}: datagrams
     * and bytes through the socket each way (everything: STUN, DTLS, SRTP), authenticated media packets in,
     * media packets out, and every datagram dropped so far. Counters are totals since the Rtc was built.
     */
    record PeerStats(long atNanos, long datagramsIn, long bytesIn, long datagramsOut, long bytesOut,
                     long mediaPacketsIn, long mediaPacketsOut, long dropped) implements Event {}
}
