package io.eddyrtc.engine;

import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Sends samples (whole audio frames or video frames) on one m-line with one payload type: the {@code Rtc}
 * packetizes them to its MTU, numbers and timestamps the packets, keeps them for retransmission, protects
 * them with SRTP and queues them as {@link Output.Transmit}s. From {@link Media#writer(int)}.
 *
 * <pre>{@code
 * MediaWriter writer = rtc.media(mid).writer(pt);
 * writer.write(wallclockNanos, MediaTime.of(rtpTicks, 90_000), frame);
 * }</pre>
 */
public final class MediaWriter {
    private final Rtc rtc;
    private final Media media;
    private final PayloadParams params;
    private Rid rid;

    MediaWriter(Rtc rtc, Media media, PayloadParams params) {
        this.rtc = rtc;
        this.media = media;
        this.params = params;
    }

    /** Sends on simulcast layer {@code rid} (one of {@link Media#sendRids()}); without simulcast leave it unset. */
    public MediaWriter rid(Rid layer) {
        if (layer != null && !media.sendRids().contains(layer)) {
            throw new IllegalArgumentException("rid " + layer + " is not a layer the peer accepted on mid " + media.mid()
                    + "; the layers are " + media.sendRids());
        }
        this.rid = layer;
        return this;
    }

    public PayloadParams payloadParams() {
        return params;
    }

    /**
     * Sends one sample: {@code length} bytes of {@code data} at {@code offset}, read during this call only.
     *
     * @param wallclockNanos when the sample was captured, in Unix nanoseconds: carried in the abs-capture-time
     *                       header extension where negotiated. (Sender reports pair RTP time with the wallclock
     *                       of {@code now}, from {@link MediaConfig#wallclockOffsetNanos()}.)
     * @param time           the sample's media time; its clock rate must be the codec's
     * @return false (counted as {@link RtcDropReason#SEND_BUFFER_FULL}) if the packet pool had no room for the
     *     whole sample (nothing of it is sent then): the caller writes faster than it polls
     * @throws IllegalStateException    before {@link Event.Connected}, or after the m-line stopped sending
     * @throws IllegalArgumentException for a sample the codec cannot carry (empty, audio above the MTU) or a
     *                                  media time in another clock rate
     */
    public boolean write(long wallclockNanos, MediaTime time, MemorySegment data, long offset, int length) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        if (time.clockRate() != params.spec().clockRate()) {
            throw new IllegalArgumentException("media time " + time + " is not in " + params.codec() + "'s clock rate "
                    + params.spec().clockRate() + "; rebase it with time.rebase(" + params.spec().clockRate() + ")");
        }
        return rtc.writeSample(media, params, rid, wallclockNanos, time.ticks(), data, offset, length);
    }

    /** {@link #write(long, MediaTime, MemorySegment, long, int)} for a whole array. */
    public boolean write(long wallclockNanos, MediaTime time, byte[] data) {
        return write(wallclockNanos, time, MemorySegment.ofArray(data), 0, data.length);
    }
}
