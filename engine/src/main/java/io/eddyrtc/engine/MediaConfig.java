package io.eddyrtc.engine;

import io.eddyrtc.engine.bwe.BweConfig;

/**
 * How an {@link Rtc} handles media, part of {@link RtcConfig}.
 *
 * @param rtpMode             deliver received RTP as {@link Event.RtpPacket} views (what an SFU forwards)
 *                            instead of depacketized {@link Event.MediaData} samples
 * @param audioReorderFrames  complete audio frames held behind a missing packet before giving it up (str0m: 15)
 *                            while a NACK/RTX repair may still fill it; for a payload type without NACK (Opus as
 *                            browsers offer it) at most 3, since only reordering can fill the hole
 * @param videoReorderFrames  the same for video (str0m: 30); a NACK/RTX repair has this long to arrive
 * @param pauseAfterNanos     a received stream silent this long is reported paused ({@link Event.StreamPaused})
 * @param reportIntervalNanos how often sender/receiver reports go out (WebRTC sends about one a second)
 * @param mtu                 the largest media datagram we send, SRTP included
 * @param wallclockOffsetNanos Unix time minus {@code now}: maps the caller's monotonic clock to the wallclock
 *                            of sender reports. {@code System.currentTimeMillis() * 1_000_000 - System.nanoTime()}
 *                            for a real clock; 0 in simulations, where {@code now} itself is the wallclock
 * @param maxReceiveStreams   received streams (SSRCs, declared in SDP or learnt from packets) one Rtc keeps; a
 *                            declared stream past it is not set up and a packet of a new one is dropped, both
 *                            counted as {@link RtcDropReason#STREAM_LIMIT}. Default 64: a browser sends a few
 * @param maxFrameAssemblers  sample mode: frame assemblers one Rtc keeps across its streams (one per payload
 *                            type a stream carries; each holds pool slots only for the packets of frames not yet
 *                            complete, and a ring of up to 512 video or 64 audio entries); a packet that would
 *                            need one more is dropped as {@link RtcDropReason#STREAM_LIMIT}. Default 32
 * @param rtxHistoryNanos     how long a sent packet is kept to answer NACKs with RTX (with RTX negotiated): the
 *                            history holds what the stream sent in that time, in pool slots, so its memory follows
 *                            the rate. Default 1 s, as libwebrtc; a long round trip wants more
 * @param bwe                 send-side bandwidth estimation and pacing, or null (the default, as str0m's): with it,
 *                            what we send is paced at the estimate and {@code Rtc.bwe()} reports and steers it
 */
public record MediaConfig(boolean rtpMode, int audioReorderFrames, int videoReorderFrames, long pauseAfterNanos,
                          long reportIntervalNanos, int mtu, long wallclockOffsetNanos, int maxReceiveStreams,
                          int maxFrameAssemblers, long rtxHistoryNanos, BweConfig bwe) {

    public MediaConfig {
        if (audioReorderFrames < 0 || videoReorderFrames < 0) {
            throw new IllegalArgumentException("reorder depths are 0 or more frames");
        }
        if (pauseAfterNanos <= 0 || reportIntervalNanos <= 0) {
            throw new IllegalArgumentException("the pause time and report interval are positive");
        }
        if (mtu < 300 || mtu > 9000) {
            throw new IllegalArgumentException("a media MTU of " + mtu + " bytes is not usable; 1200 is WebRTC's usual");
        }
        if (maxReceiveStreams < 1 || maxFrameAssemblers < 1) {
            throw new IllegalArgumentException("an Rtc needs room for at least one received stream and one frame assembler");
        }
        if (rtxHistoryNanos <= 0) {
            throw new IllegalArgumentException("the RTX history keeps packets for a positive time (1 s is usual), got "
                    + rtxHistoryNanos + " ns");
        }
    }

    /**
     * Sample mode, str0m's reorder depths, 1.5 s to pause, reports every second, MTU 1200, 64 streams, 32
     * assemblers, 1 s of RTX history.
     */
    public static MediaConfig defaults() {
        return new MediaConfig(false, 15, 30, 1_500_000_000L, 1_000_000_000L, 1200, 0, 64, 32, 1_000_000_000L, null);
    }

    public MediaConfig withRtpMode(boolean on) {
        return new MediaConfig(on, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, mtu,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    public MediaConfig withReorderFrames(int audio, int video) {
        return new MediaConfig(rtpMode, audio, video, pauseAfterNanos, reportIntervalNanos, mtu, wallclockOffsetNanos,
                maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    public MediaConfig withPauseAfter(long nanos) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, nanos, reportIntervalNanos, mtu,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    public MediaConfig withReportInterval(long nanos) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, nanos, mtu,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    public MediaConfig withMtu(int bytes) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, bytes,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    public MediaConfig withWallclockOffset(long nanos) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, mtu,
                nanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, bwe);
    }

    /** How many received streams and (sample mode) frame assemblers one Rtc keeps at most. */
    public MediaConfig withReceiveLimits(int streams, int assemblers) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, mtu,
                wallclockOffsetNanos, streams, assemblers, rtxHistoryNanos, bwe);
    }

    /** Keeps sent packets {@code nanos} for RTX (see {@link #rtxHistoryNanos()}). */
    public MediaConfig withRtxHistory(long nanos) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, mtu,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, nanos, bwe);
    }

    /** Send-side bandwidth estimation and pacing with {@code config}, or off with null. */
    public MediaConfig withBwe(BweConfig config) {
        return new MediaConfig(rtpMode, audioReorderFrames, videoReorderFrames, pauseAfterNanos, reportIntervalNanos, mtu,
                wallclockOffsetNanos, maxReceiveStreams, maxFrameAssemblers, rtxHistoryNanos, config);
    }
}
