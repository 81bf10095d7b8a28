package io.eddyrtc.crypto.srtp;

/**
 * How an SRTP context guards its receiving side.
 *
 * @param replayWindow      packets per SSRC the replay list remembers: a power of two from 64 (RFC 3711's
 *                          minimum) to 32768; 1024 by default, as libwebrtc uses, so late retransmissions
 *                          of video (RTX, FEC) are not mistaken for old packets
 * @param maxStreams        SSRCs one context tracks at most; a packet with a new SSRC beyond this is dropped
 *                          ({@link SrtpDropReason#TOO_MANY_STREAMS}) so a peer cannot grow our memory
 * @param acceptUnknownSsrc whether the first authenticated packet of an SSRC starts its stream (the usual
 *                          WebRTC case, where SSRCs need not be signalled); false drops them as
 *                          {@link SrtpDropReason#UNKNOWN_SSRC} until {@link SrtpContext#addStream(long)}
 */
public record SrtpConfig(int replayWindow, int maxStreams, boolean acceptUnknownSsrc) {

    public SrtpConfig {
        if (replayWindow < 64 || replayWindow > 32768 || Integer.bitCount(replayWindow) != 1) {
            throw new IllegalArgumentException("replayWindow must be a power of two from 64 to 32768, was " + replayWindow);
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1, was " + maxStreams);
        }
    }

    public static SrtpConfig defaults() {
        return new SrtpConfig(1024, 1024, true);
    }

    public SrtpConfig withReplayWindow(int packets) {
        return new SrtpConfig(packets, maxStreams, acceptUnknownSsrc);
    }

    public SrtpConfig withMaxStreams(int streams) {
        return new SrtpConfig(replayWindow, streams, acceptUnknownSsrc);
    }

    public SrtpConfig withAcceptUnknownSsrc(boolean accept) {
        return new SrtpConfig(replayWindow, maxStreams, accept);
    }
}
