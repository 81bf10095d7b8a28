package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.bwe.BandwidthEstimator;
import io.eddyrtc.engine.bwe.BweConfig;
import io.eddyrtc.engine.bwe.Pacer;
import io.eddyrtc.engine.bwe.ProbeCluster;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.util.ArrayDeque;

/**
 * Send-side congestion control on an {@code Rtc}'s {@link OutgoingQueue}: every packet that leaves goes into the
 * {@link BandwidthEstimator}'s send history with its transport-wide number, the peer's transport-wide feedback
 * and REMB come back into it, and a {@link Pacer} at the estimate decides when repairs and video leave (the
 * immediate lane is never held), with padding while a probe has no media to send (and a little after a packet
 * that was to open a packet pair and left alone). The estimate is reported as
 * {@link Event.EgressBitrateEstimate} when it moved by more than 5 %, or at all within a second, and put on the
 * {@link RtcTimeline} then (JFR), with what the estimator saw. Allocates nothing per packet (an event per report, a probe cluster a few times a minute).
 */
public final class SendCongestion {
    /** An estimate this much away from the one reported last is reported at once. */
    private static final double REPORT_CHANGE = 0.05;
    /** Any change is reported after this. */
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final BandwidthEstimator estimator;
    private final Pacer pacer;
    private final OutgoingQueue outgoing;
    private final MediaSender sender;
    private final ArrayDeque<Event> events;
    private final RtcTimeline timeline;
    private long reported = -1;
    private long reportedAt = Long.MIN_VALUE;

    SendCongestion(BweConfig config, OutgoingQueue outgoing, MediaSender sender, ArrayDeque<Event> events, RtcTimeline timeline) {
        this.estimator = new BandwidthEstimator(config);
        this.pacer = new Pacer(config.initialBps());
        this.outgoing = outgoing;
        this.sender = sender;
        this.events = events;
        this.timeline = timeline;
    }

    /** The estimator, which the application steers ({@code Rtc.bwe()}) and statistics read. */
    public BandwidthEstimator estimator() {
        return estimator;
    }

    /** The rate paced packets leave at, in bits per second. */
    public long pacingBps() {
        return pacer.pacingBps();
    }

    /** Bytes of repairs and video the pacer holds. */
    public long queuedBytes() {
        return outgoing.pacedBytes();
    }

    /** Media may flow: the first probes are due. */
    void start(long now) {
        estimator.start(now);
    }

    /** An immediate packet left at {@code now}: it counts against the pacer's budget and goes into the history. */
    void onImmediateSent(long now, int number, int bytes) {
        sent(now, number, bytes, false, false);
    }

    /**
     * The next repair or video packet if the pacer lets one leave at {@code now}, else padding a probe wants,
     * else {@link PacketBuffer#NONE} (see {@link #nextSendAt} for when to ask again).
     */
    PacketBuffer pollPaced(long now) {
        long queued = outgoing.pacedBytes();
        if (!pacer.probing() && estimator.hasProbe() && (queued > 0 || sender.canPad())) {
            ProbeCluster cluster = estimator.nextProbe();
            pacer.startProbe(now, cluster);
        }
        if (queued > 0) {
            if (!pacer.canSend(now, queued)) {
                return PacketBuffer.NONE;
            }
            PacketBuffer next = outgoing.pollPaced();
            sent(now, outgoing.polledSequence(), next.length(), true, false);
            return next;
        }
        int wanted = pacer.paddingWanted(now);
        if (wanted <= 0) {
            return PacketBuffer.NONE;
        }
        // a probe's padding copies a recent packet where it can (padding-only packets of 255 bytes are swallowed by a
        // bottleneck's burst); a pair's second packet is the pacer's few bytes, whose spacing is all it measures
        PacketBuffer padding = sender.padding(now, wanted, pacer.probing());
        if (padding.isNone()) {
            pacer.cancelProbe(); // no stream to pad on or no slot: waiting would only spin
            return padding;
        }
        sent(now, sender.paddingNumber(), padding.length(), true, true);
        return padding;
    }

    private void sent(long now, int number, int bytes, boolean paced, boolean padding) {
        int cluster = pacer.onSent(now, bytes, paced);
        if (number >= 0) {
            estimator.onPacketSent(now, number, bytes, padding, cluster);
        }
    }

    /** When a paced packet, padding or the estimator's timers are next due. */
    long nextDeadline(long now) {
        long next = estimator.nextDeadline();
        long queued = outgoing.pacedBytes();
        if (pacer.probing() || queued > 0) {
            next = Math.min(next, pacer.nextSendAt(now, queued));
        }
        if (!pacer.probing() && estimator.hasProbe() && (queued > 0 || sender.canPad())) {
            next = now;
        }
        return next;
    }

    void handleTimeout(long now) {
        if (now >= estimator.nextDeadline()) {
            estimator.handleTimeout(now);
            estimateChanged(now);
        }
    }

    void onTransportFeedback(long now, TwccReport report) {
        estimator.onTransportFeedback(now, report);
        estimateChanged(now);
    }

    /** The peer's REMB: an upper bound from here on (0, which a peer may send, holds us at the minimum). */
    void onRemb(long now, long bps) {
        estimator.onRemb(now, Math.max(1, bps));
        estimateChanged(now);
    }

    private void estimateChanged(long now) {
        long estimate = estimator.estimate();
        pacer.setEstimate(estimate);
        pacer.setFastPath(estimator.fastPath());
        if (estimate == reported) {
            return;
        }
        boolean moved = reported < 0 || Math.abs(estimate - reported) > REPORT_CHANGE * reported;
        if (moved || now - reportedAt >= REPORT_INTERVAL_NANOS) {
            timeline.bitrateEstimate(estimate, Math.max(reported, 0), estimator.acknowledgedBitrate(), estimator.lossFraction(),
                    estimator.rttNanos(), estimator.usage());
            reported = estimate;
            reportedAt = now;
            events.add(new Event.EgressBitrateEstimate(estimate));
        }
    }
}
