package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.engine.rtcp.RtcpWriter;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receiving end of the evaluation: a {@link TwccRecorder} per flow, whose feedback goes back every 50 ms
 * as a real RTCP transport-wide feedback packet, and the figures: bytes delivered per flow in 100 ms buckets,
 * and each packet's queueing delay (its one-way delay less the link's fixed latency) with the time it arrived.
 */
final class BweReceiverNode implements SansIoNode {
    static final long BUCKET_NANOS = 100_000_000L;

    private final InetSocketAddress sender;
    private final InetSocketAddress address;
    private final long startNanos;
    private final long latencyNanos;
    private final TwccRecorder[] recorders;
    private final long[][] delivered;
    private final RtcpWriter writer = new RtcpWriter();
    private final byte[] feedback = new byte[1500];
    private final MemorySegment feedbackSegment = MemorySegment.ofArray(feedback);
    private final List<byte[]> outbox = new ArrayList<>();
    /** Arrival time and queueing delay of every media packet, in arrival order. */
    long[] delayTimes = new long[1 << 16];
    long[] delays = new long[1 << 16];
    int delayCount;

    BweReceiverNode(InetSocketAddress address, InetSocketAddress sender, int flows, long startNanos, long durationNanos,
                    long latencyNanos) {
        this.address = address;
        this.sender = sender;
        this.startNanos = startNanos;
        this.latencyNanos = latencyNanos;
        this.recorders = new TwccRecorder[flows];
        this.delivered = new long[flows][(int) (durationNanos / BUCKET_NANOS) + 2];
        for (int i = 0; i < flows; i++) {
            recorders[i] = new TwccRecorder(1200);
        }
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        int flow = datagram[1];
        recorders[flow].onPacket(now, BigEndian.u16(datagram, 2), flow);
        int bucket = (int) ((now - startNanos) / BUCKET_NANOS);
        if (bucket >= 0 && bucket < delivered[flow].length) {
            delivered[flow][bucket] += datagram.length;
        }
        if (datagram[0] != SyntheticSender.PADDING) {
            if (delayCount == delays.length) {
                delays = Arrays.copyOf(delays, delayCount * 2);
                delayTimes = Arrays.copyOf(delayTimes, delayCount * 2);
            }
            delayTimes[delayCount] = now;
            delays[delayCount++] = now - BigEndian.u64(datagram, 4) - latencyNanos;
        }
    }

    @Override
    public void timeout(long now) {
        for (int flow = 0; flow < recorders.length; flow++) {
            while (recorders[flow].dueAt() <= now) {
                TwccReport report = recorders[flow].nextFeedback(now);
                if (report == null) {
                    break;
                }
                writer.begin(feedbackSegment, 2, feedback.length - 2);
                writer.transportFeedback(1, flow, report);
                int length = writer.finish();
                byte[] datagram = Arrays.copyOf(feedback, length + 2);
                datagram[0] = SyntheticSender.FEEDBACK;
                datagram[1] = (byte) flow;
                outbox.add(datagram);
            }
        }
    }

    @Override
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (TwccRecorder r : recorders) {
            next = Math.min(next, r.dueAt());
        }
        return next;
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        for (byte[] datagram : outbox) {
            out.send(address, sender, datagram);
        }
        outbox.clear();
    }

    /** Bytes of flow {@code flow} delivered in bucket {@code bucket} (100 ms from the run's start). */
    long delivered(int flow, int bucket) {
        return bucket < delivered[flow].length ? delivered[flow][bucket] : 0;
    }
}
