package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Depacketizer;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.stream.ReceiveStream;

/**
 * One SSRC the peer sends us (with its RTX repair SSRC if any), as the media path receives it: the
 * {@link ReceiveStream} bookkeeping (sequence, loss, jitter, NACK, reports), the m-line it belongs to, its
 * simulcast layer, and a frame assembler per payload type it carries.
 *
 * <p>Senders switch payload types on one SSRC (Opus and telephone-event or CN, a codec change), so up to
 * {@value #ASSEMBLERS} assemblers are kept, each made once; a further type replaces the oldest. That bounds
 * what a peer alternating types can make us allocate. Every sequence number reaches every assembler — the
 * packet itself to its own type's, an empty fill to the others (as padding is) — so no assembler takes
 * another type's packets, or padding, for loss.
 */
final class SsrcReceiver {
    private static final int ASSEMBLERS = 4;
    /** Frames held behind a hole that no NACK can repair: enough for ordinary reordering, no more. */
    static final int UNREPAIRABLE_HOLD_BACK = 3;
    /** At most one assembler replaced per second when all slots are in use. */
    private static final long REPLACE_INTERVAL_NANOS = 1_000_000_000L;
    private long lastReplacedAt = Long.MIN_VALUE / 2;

    final MediaSection section;
    final ReceiveStream receive;
    /** The simulcast layer (from the rid header extension), or null. */
    final String rid;
    private final MediaConfig config;
    private final PacketPool pool;
    private final MemoryBudget memory;
    private final int[] pts = {-1, -1, -1, -1};
    private final FrameAssembler[] assemblers = new FrameAssembler[ASSEMBLERS];
    private final PayloadParams[] params = new PayloadParams[ASSEMBLERS];
    private int oldest;
    boolean paused;
    /** Declared in the SDP (or DirectApi) rather than learnt from packets: never retired for room. */
    boolean declared;
    /** The stream's NACK and repair counts as the last summary saw them. */
    private long nacksReported;
    private long repairedReported;

    /** Frame assemblers keep payloads in slots of {@code pool}, charged to {@code memory}. */
    SsrcReceiver(MediaSection section, ReceiveStream receive, String rid, MediaConfig config, PacketPool pool,
                 MemoryBudget memory) {
        this.section = section;
        this.receive = receive;
        this.rid = rid;
        this.config = config;
        this.pool = pool;
        this.memory = memory;
    }

    /**
     * The assembler for {@code payload}'s type, made on its first packet; null when all slots are taken and
     * one was already replaced within the last second (a peer cycling payload types must not make us build
     * a new assembler for every packet), or when a free slot needs one more assembler and the {@code Rtc} has
     * no {@code roomForMore} ({@link #full()} tells the two apart).
     */
    FrameAssembler assemblerFor(PayloadParams payload, long now, boolean roomForMore) {
        int pt = payload.pt();
        for (int i = 0; i < ASSEMBLERS; i++) {
            if (pts[i] == pt) {
                return assemblers[i];
            }
        }
        if (assemblers[oldest] == null && !roomForMore) {
            return null;
        }
        if (assemblers[oldest] != null) {
            if (now - lastReplacedAt < REPLACE_INTERVAL_NANOS) {
                return null;
            }
            lastReplacedAt = now;
        }
        Depacketizer depacketizer = Depacketizer.of(payload.codec());
        int holdBack = payload.codec().kind() == MediaKind.AUDIO ? config.audioReorderFrames() : config.videoReorderFrames();
        if (!payload.hasFeedback("nack")) {
            // nothing can repair a hole, only reordering fills it: waiting long only adds latency after each loss
            holdBack = Math.min(holdBack, UNREPAIRABLE_HOLD_BACK);
        }
        FrameAssembler made = payload.codec().kind() == MediaKind.AUDIO
                ? new FrameAssembler(depacketizer, pool, memory, 64, 1500, holdBack)
                : new FrameAssembler(depacketizer, pool, memory, 512, 4 << 20, holdBack);
        if (assemblers[oldest] != null) {
            assemblers[oldest].close(); // its slots go back before the new one takes its place
        }
        pts[oldest] = pt;
        assemblers[oldest] = made;
        params[oldest] = payload;
        oldest = (oldest + 1) % ASSEMBLERS;
        return made;
    }

    /** Slot {@code i}'s assembler, or null if unused; {@link #params} says its payload type. */
    FrameAssembler assembler(int i) {
        return assemblers[i];
    }

    PayloadParams params(int i) {
        return params[i];
    }

    int slots() {
        return ASSEMBLERS;
    }

    /** The stream goes away: what it holds goes back (slots to the pool, bytes to the budget). */
    void close() {
        receive.close();
        for (FrameAssembler a : assemblers) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** The stream went quiet: its assemblers shrink to their smallest (what waits for a frame stays). */
    void trim() {
        for (FrameAssembler a : assemblers) {
            if (a != null) {
                a.trim();
            }
        }
    }

    /** Every slot holds an assembler: a new payload type replaces the oldest one instead of adding one. */
    boolean full() {
        return assemblers[oldest] != null;
    }

    /** Assemblers made so far (each counts against the {@code Rtc}'s budget until the stream is retired). */
    int assemblerCount() {
        int n = 0;
        for (FrameAssembler a : assemblers) {
            if (a != null) {
                n++;
            }
        }
        return n;
    }

    /** The NACKs this stream sent since the last summary, and the repairs that came, go on {@code timeline} if there were any. */
    void summarize(RtcTimeline timeline) {
        if (receive.nacksSent() == nacksReported && receive.repairedPackets() == repairedReported) {
            return;
        }
        timeline.nacksSent(section.mid(), rid, receive.ssrc(), receive.nacksSent() - nacksReported,
                receive.repairedPackets() - repairedReported);
        nacksReported = receive.nacksSent();
        repairedReported = receive.repairedPackets();
    }

    /** The sender restarted its sequence numbers: every assembler starts over. */
    void restart() {
        for (FrameAssembler a : assemblers) {
            if (a != null) {
                a.reset();
            }
        }
    }
}
