package io.eddyrtc.engine.internal.jfr;

import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code Rtc}'s entries on a JDK Flight Recorder timeline: ICE states and the selected pair, the DTLS
 * handshake, streams added, paused and removed, keyframe requests, internal errors, the bitrate estimate, and
 * summaries of what is counted per packet (drops by reason, NACKs, RTX). Each call asks whether its event type is
 * enabled before it makes anything, so while no recording wants it a call costs the read of a flag. Nothing here
 * is called per packet: the counts are kept by their layers anyway and reported as differences, at most once a
 * {@linkplain #SUMMARY_INTERVAL_NANOS second} of the {@code Rtc}'s clock, in a timer round.
 *
 * <p>JFR stamps each event with its own wall clock; each also carries the {@code Rtc}'s number and the {@code now}
 * it was last given ({@link #at}), which this class reads no clock to know.
 */
public final class RtcTimeline {
    /** Between two summaries of the counts, by the {@code Rtc}'s clock. */
    public static final long SUMMARY_INTERVAL_NANOS = 1_000_000_000L;
    private static final AtomicLong NUMBERS = new AtomicLong();
    /** Frames of an internal error's stack an event keeps: where it was thrown and what called that. */
    private static final int FRAMES_KEPT = 6;

    // One of each type, never committed: isEnabled() reads the type's shared state, so asking one makes nothing.
    private static final IceStateEvent ICE_STATE = new IceStateEvent();
    private static final SelectedPairEvent SELECTED_PAIR = new SelectedPairEvent();
    private static final DtlsHandshakeEvent DTLS_HANDSHAKE = new DtlsHandshakeEvent();
    private static final PacketsDroppedEvent PACKETS_DROPPED = new PacketsDroppedEvent();
    private static final NacksSentEvent NACKS_SENT = new NacksSentEvent();
    private static final NacksReceivedEvent NACKS_RECEIVED = new NacksReceivedEvent();
    private static final KeyframeRequestEvent KEYFRAME_REQUEST = new KeyframeRequestEvent();
    private static final StreamAddedEvent STREAM_ADDED = new StreamAddedEvent();
    private static final StreamPausedEvent STREAM_PAUSED = new StreamPausedEvent();
    private static final StreamRemovedEvent STREAM_REMOVED = new StreamRemovedEvent();
    private static final InternalErrorEvent INTERNAL_ERROR = new InternalErrorEvent();
    private static final BitrateEstimateEvent BITRATE_ESTIMATE = new BitrateEstimateEvent();

    private final long rtc = NUMBERS.incrementAndGet();
    private long now;
    private long nextSummaryAt = Long.MIN_VALUE;
    private IceConnectionState iceState = IceConnectionState.NEW;
    private boolean handshakeStarted;
    private long handshakeStartedAt;
    /** The handshake's event from its start to its end, or null (not started, over, or not recorded). */
    private DtlsHandshakeEvent handshake;

    /** The {@code Rtc}'s number in this process: 1 for the first one made, and so on. */
    public long rtc() {
        return rtc;
    }

    /** The {@code Rtc} was given {@code now}: what the events from here on carry as its clock. */
    public void at(long now) {
        this.now = now;
    }

    private <E extends RtcEvent> E stamp(E event) {
        event.rtc = rtc;
        event.rtcNanos = now;
        return event;
    }

    private <E extends StreamEvent> E stamp(E event, String mid, String rid, long ssrc) {
        stamp(event);
        event.mid = mid;
        event.rid = rid;
        event.ssrc = ssrc;
        return event;
    }

    // ---------------------------------------------------------------- ICE

    public void iceState(IceConnectionState state) {
        IceConnectionState previous = iceState;
        iceState = state;
        if (ICE_STATE.isEnabled()) {
            IceStateEvent e = stamp(new IceStateEvent());
            e.state = state.name();
            e.previous = previous.name();
            e.commit();
        }
    }

    public void selectedPair(Candidate local, Candidate remote) {
        if (SELECTED_PAIR.isEnabled()) {
            SelectedPairEvent e = stamp(new SelectedPairEvent());
            e.local = describe(local);
            e.remote = describe(remote);
            e.commit();
        }
    }

    private static String describe(Candidate c) {
        return c.type() + " " + c.transport() + " " + c.address();
    }

    // ---------------------------------------------------------------- DTLS

    /** The handshake began (our first flight as the client, the peer's first datagram as the server); later calls do nothing. */
    public void dtlsHandshakeStarted(boolean client) {
        if (handshakeStarted) {
            return;
        }
        handshakeStarted = true;
        handshakeStartedAt = now;
        if (DTLS_HANDSHAKE.isEnabled()) {
            handshake = stamp(new DtlsHandshakeEvent());
            handshake.role = client ? "client" : "server";
            handshake.begin();
        }
    }

    /** The handshake completed with what it negotiated (each named as its constant, {@code srtpProfile} null without SRTP). */
    public void dtlsConnected(Enum<?> version, Enum<?> cipherSuite, Enum<?> group, Enum<?> srtpProfile) {
        DtlsHandshakeEvent e = endHandshake("connected");
        if (e != null) {
            e.version = name(version);
            e.cipherSuite = name(cipherSuite);
            e.group = name(group);
            e.srtpProfile = name(srtpProfile);
            e.commit();
        }
    }

    /** The handshake failed for good ({@code reason} as DTLS says it). */
    public void dtlsFailed(String reason) {
        DtlsHandshakeEvent e = endHandshake("failed");
        if (e != null) {
            e.failure = reason;
            e.commit();
        }
    }

    /** The {@code Rtc} closed (or the peer did) before a handshake in progress completed. */
    public void dtlsAbandoned() {
        DtlsHandshakeEvent e = endHandshake("abandoned");
        if (e != null) {
            e.commit();
        }
    }

    private DtlsHandshakeEvent endHandshake(String outcome) {
        DtlsHandshakeEvent e = handshake;
        handshake = null;
        if (e == null) {
            return null;
        }
        e.end();
        e.outcome = outcome;
        e.rtcNanos = now;
        e.rtcDuration = now - handshakeStartedAt;
        return e.shouldCommit() ? e : null;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    // ---------------------------------------------------------------- streams and keyframes

    public void streamAdded(boolean receive, String mid, String rid, long ssrc, boolean declared) {
        if (STREAM_ADDED.isEnabled()) {
            StreamAddedEvent e = stamp(new StreamAddedEvent(), mid, rid, ssrc);
            e.direction = receive ? "receive" : "send";
            e.declared = declared;
            e.commit();
        }
    }

    /** A received stream fell silent ({@code paused}) or came back. */
    public void streamPaused(String mid, String rid, long ssrc, boolean paused) {
        if (STREAM_PAUSED.isEnabled()) {
            StreamPausedEvent e = stamp(new StreamPausedEvent(), mid, rid, ssrc);
            e.paused = paused;
            e.commit();
        }
    }

    public void streamRemoved(boolean receive, String mid, String rid, long ssrc) {
        if (STREAM_REMOVED.isEnabled()) {
            StreamRemovedEvent e = stamp(new StreamRemovedEvent(), mid, rid, ssrc);
            e.direction = receive ? "receive" : "send";
            e.commit();
        }
    }

    /** A PLI or FIR ({@code fir}) about the stream {@code ssrc}, which we {@code sent} or received; mid and rid may be null. */
    public void keyframeRequest(boolean sent, boolean fir, String mid, String rid, long ssrc) {
        if (KEYFRAME_REQUEST.isEnabled()) {
            KeyframeRequestEvent e = new KeyframeRequestEvent();
            if (e.shouldCommit()) { // throttled: a peer decides how many come
                stamp(e, mid, rid, ssrc);
                e.direction = sent ? "sent" : "received";
                e.kind = fir ? "FIR" : "PLI";
                e.commit();
            }
        }
    }

    // ---------------------------------------------------------------- errors and estimates

    /** A bug was caught; {@code count} is how many this {@code Rtc} met so far. */
    public void internalError(RuntimeException bug, long count) {
        if (INTERNAL_ERROR.isEnabled()) {
            InternalErrorEvent e = new InternalErrorEvent();
            if (e.shouldCommit()) { // throttled: a peer that found a bug may meet it with every packet
                stamp(e);
                e.exception = bug.getClass().getName();
                e.message = bug.getMessage();
                e.where = innermostFrames(bug);
                e.count = count;
                e.commit();
            }
        }
    }

    private static String innermostFrames(Throwable bug) {
        StackTraceElement[] stack = bug.getStackTrace();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(FRAMES_KEPT, stack.length); i++) {
            out.append(i == 0 ? "" : " < ").append(stack[i]);
        }
        return out.toString();
    }

    /**
     * The send-side bandwidth estimate moved from {@code previous} to {@code estimate} bits per second, with the
     * acknowledged rate, the loss fraction (0..1), the round trip and the delay detector's reading; for the
     * estimator's caller to report when the estimate changes.
     */
    public void bitrateEstimate(long estimate, long previous, long acknowledged, double loss, long rttNanos, Enum<?> usage) {
        if (BITRATE_ESTIMATE.isEnabled()) {
            BitrateEstimateEvent e = stamp(new BitrateEstimateEvent());
            e.estimate = estimate;
            e.previous = previous;
            e.acknowledged = acknowledged;
            e.loss = loss;
            e.rtt = rttNanos;
            e.usage = name(usage);
            e.commit();
        }
    }

    // ---------------------------------------------------------------- summaries of what is counted per packet

    /**
     * Whether the counts are due for a summary at {@code now} (a second after the last); if so the next is due a
     * second later, and the caller reports them ({@link DropTally#report}, {@link #nacksSent}, {@link #nacksReceived}).
     * Due whether or not a recording is on, so that each summary covers one interval.
     */
    public boolean summaryDue(long now) {
        if (now < nextSummaryAt) {
            return false;
        }
        nextSummaryAt = now + SUMMARY_INTERVAL_NANOS;
        return true;
    }

    /** {@code count} drops for {@code reason} in {@code layer} since the last summary, {@code total} in all. */
    void dropped(String layer, Enum<?> reason, long count, long total) {
        if (PACKETS_DROPPED.isEnabled()) {
            PacketsDroppedEvent e = stamp(new PacketsDroppedEvent());
            e.layer = layer;
            e.reason = reason.name();
            e.count = count;
            e.total = total;
            e.commit();
        }
    }

    /** A received stream asked for {@code sequences} numbers and got {@code repaired} repairs since the last summary. */
    public void nacksSent(String mid, String rid, long ssrc, long sequences, long repaired) {
        if (NACKS_SENT.isEnabled()) {
            NacksSentEvent e = stamp(new NacksSentEvent(), mid, rid, ssrc);
            e.sequences = sequences;
            e.repaired = repaired;
            e.commit();
        }
    }

    /** The peer asked a stream we send for {@code sequences} numbers since the last summary, and what came of it. */
    public void nacksReceived(String mid, String rid, long ssrc, long sequences, long rtxSent, long rtxOverBudget,
                              long unanswered) {
        if (NACKS_RECEIVED.isEnabled()) {
            NacksReceivedEvent e = stamp(new NacksReceivedEvent(), mid, rid, ssrc);
            e.sequences = sequences;
            e.rtxSent = rtxSent;
            e.rtxOverBudget = rtxOverBudget;
            e.unanswered = unanswered;
            e.commit();
        }
    }
}
