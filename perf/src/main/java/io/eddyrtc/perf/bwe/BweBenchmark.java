package io.eddyrtc.perf.bwe;

import io.eddyrtc.engine.bwe.BandwidthEstimator;
import io.eddyrtc.engine.bwe.BweConfig;
import io.eddyrtc.engine.bwe.Pacer;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send side of congestion control per packet: the pacer's decision and its budget, the packet into the
 * send history; and, amortized over the packets it describes, a transport-wide feedback of 50 packets
 * matched against the history and run through the estimators (packet groups, trendline, AIMD, acknowledged
 * throughput, loss, probes). {@code feedbackReportOnly} builds the same reports without the estimator, to
 * subtract. Expect tens of ns per packet and 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class BweBenchmark {
    private static final long MS = 1_000_000L;
    private static final int PER_FEEDBACK = 50;

    private BandwidthEstimator bwe;
    private Pacer pacer;
    private final TwccReport report = new TwccReport();
    private final long[] sentAt = new long[PER_FEEDBACK];
    private long now;
    private int sequence;
    private int feedbacks;

    @Setup(Level.Trial)
    public void setUp() {
        bwe = new BandwidthEstimator(BweConfig.startingAt(2_000_000).withProbing(false));
        bwe.setDesiredBitrate(2_500_000);
        pacer = new Pacer(2_000_000);
        now = 1_000_000 * MS;
    }

    /** One packet leaves: the pacer says when and counts it, the history records it. */
    @Benchmark
    public int sendPacket() {
        now += MS / 2;
        long at = Math.max(now, pacer.nextSendAt(now, 1200));
        pacer.canSend(at, 1200);
        int cluster = pacer.onSent(at, 1200, true);
        int s = sequence++ & 0xFFFF;
        bwe.onPacketSent(at, s, 1200, false, cluster);
        return s;
    }

    /** One packet leaves, and every 50th a feedback about the last 50 (one in 25 lost) is processed. */
    @Benchmark
    public long sendPacketWithFeedback() {
        int s = sendPacket();
        sentAt[s % PER_FEEDBACK] = now;
        if (s % PER_FEEDBACK == PER_FEEDBACK - 1) {
            buildReport(s - PER_FEEDBACK + 1);
            bwe.onTransportFeedback(now + 40 * MS, report);
            pacer.setEstimate(bwe.estimate());
        }
        return bwe.estimate();
    }

    /** The same packets and reports, without the estimator: the receive side's share of the figure above. */
    @Benchmark
    public int feedbackReportOnly() {
        int s = sequence++ & 0xFFFF;
        now += MS / 2;
        sentAt[s % PER_FEEDBACK] = now;
        if (s % PER_FEEDBACK == PER_FEEDBACK - 1) {
            buildReport(s - PER_FEEDBACK + 1);
        }
        return report.packetCount();
    }

    private void buildReport(int first) {
        report.begin(first & 0xFFFF, feedbacks++);
        for (int i = 0; i < PER_FEEDBACK; i++) {
            if ((first + i) % 25 == 7) {
                report.addLost();
            } else {
                report.addReceived(sentAt[(first + i) % PER_FEEDBACK] + 20 * MS + (i % 3) * 100_000L);
            }
        }
    }
}
