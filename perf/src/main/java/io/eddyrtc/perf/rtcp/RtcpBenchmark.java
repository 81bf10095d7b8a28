package io.eddyrtc.perf.rtcp;

import io.eddyrtc.engine.rtcp.RtcpCompound;
import io.eddyrtc.engine.rtcp.RtcpWriter;
import io.eddyrtc.engine.rtcp.SenderReport;
import io.eddyrtc.engine.rtcp.SourceDescription;
import io.eddyrtc.engine.rtcp.TwccReport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
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
 * RTCP on the packet path, off-heap as the engine sees it: parsing an SR+SDES compound and a
 * transport-wide CC feedback of 100 packets (decoded in full); writing an SR+SDES compound, a NACK,
 * and that TWCC feedback (from its decoded form, and from arrival times). Expect tens to a few
 * hundred ns, and 0 B/op everywhere.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RtcpBenchmark {
    private static final int TWCC_PACKETS = 100;
    private static final long MS = 1_000_000;

    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpWriter writer = new RtcpWriter();
    private final TwccReport report = new TwccReport();
    private final byte[] cname = "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}".getBytes(StandardCharsets.US_ASCII);
    private final int[] lost = {1000, 1001, 1003, 1010, 1017, 1040, 1041, 1042, 1060, 1100};
    private final long[] arrivals = new long[TWCC_PACKETS];
    private MemorySegment srSdes;
    private int srSdesLength;
    private MemorySegment twcc;
    private int twccLength;
    private MemorySegment out;

    @Setup(Level.Trial)
    public void setUp() {
        Arena arena = Arena.ofAuto();
        out = arena.allocate(1500);
        srSdes = arena.allocate(1500);
        twcc = arena.allocate(1500);

        writer.begin(srSdes, 0, 1500);
        writer.senderReport(0x902f9e2eL, 0xda8bd1fcdddda05aL, 0xaaf4edd5L, 1000, 1_200_000);
        writer.reportBlock(0xbc5e9a40L, 3, 12, 0x46e1, 273, 0x9f36432L, 150137);
        writer.sdesCname(0x902f9e2eL, cname);
        srSdesLength = writer.finish();

        // a video-like feedback interval: packets 0.5-2 ms apart, every 13th lost, some reordered
        long t = 123_456 * MS;
        for (int i = 0; i < TWCC_PACKETS; i++) {
            t += (i % 7 == 0 ? 2 * MS : MS / 2);
            arrivals[i] = i % 13 == 5 ? -1 : (i % 29 == 3 ? t - 3 * MS : t);
        }
        buildReport();
        writer.begin(twcc, 0, 1500);
        writer.transportFeedback(1, 2, report);
        twccLength = writer.finish();
        if (!compound.wrap(twcc, 0, twccLength) || !compound.next()) {
            throw new IllegalStateException("the benchmark's own TWCC did not parse");
        }
    }

    private void buildReport() {
        report.begin(5000, 17);
        for (long arrival : arrivals) {
            if (arrival < 0) {
                report.addLost();
            } else {
                report.addReceived(arrival);
            }
        }
    }

    /** SR with one report block + SDES CNAME: wrap, walk, read what the RTCP stats would. */
    @Benchmark
    public long parseSrSdes() {
        long sum = 0;
        compound.wrap(srSdes, 0, srSdesLength);
        while (compound.next()) {
            switch (compound.kind()) {
                case SENDER_REPORT -> {
                    SenderReport sr = compound.senderReport();
                    sum += sr.ssrc() + sr.ntpTime() + sr.rtpTimestamp() + sr.packetCount() + sr.octetCount();
                    for (int i = 0; i < sr.blockCount(); i++) {
                        sum += sr.blockSsrc(i) + sr.cumulativeLost(i) + sr.extendedHighestSequence(i) + sr.jitter(i)
                                + sr.lastSr(i) + sr.delaySinceLastSr(i);
                    }
                }
                case SOURCE_DESCRIPTION -> {
                    SourceDescription sdes = compound.sourceDescription();
                    while (sdes.nextChunk()) {
                        sum += sdes.chunkSsrc() + (sdes.cnameEquals(cname) ? 1 : 0);
                    }
                }
                default -> sum--;
            }
        }
        return sum;
    }

    /** A 100-packet TWCC feedback: wrap decodes every chunk and delta; then sum the deltas. */
    @Benchmark
    public long parseTwcc() {
        compound.wrap(twcc, 0, twccLength);
        long sum = 0;
        while (compound.next()) {
            TwccReport r = compound.transportFeedback().report();
            for (int i = 0, n = r.packetCount(); i < n; i++) {
                sum += r.deltaTicks(i);
            }
        }
        return sum;
    }

    /** The scheduler's regular compound: SR with one report block, SDES CNAME. */
    @Benchmark
    public int writeSrSdes() {
        writer.begin(out, 0, 1500);
        writer.senderReport(0x902f9e2eL, 0xda8bd1fcdddda05aL, 0xaaf4edd5L, 1000, 1_200_000);
        writer.reportBlock(0xbc5e9a40L, 3, 12, 0x46e1, 273, 0x9f36432L, 150137);
        writer.sdesCname(0x902f9e2eL, cname);
        return writer.finish();
    }

    /** A NACK for 10 lost sequence numbers (4 PID+BLP entries). */
    @Benchmark
    public int writeNack() {
        writer.begin(out, 0, 1500);
        writer.nack(1, 2, lost, 0, lost.length);
        return writer.finish();
    }

    /** The 100-packet TWCC feedback from its decoded form: chunk choice, deltas, padding. */
    @Benchmark
    public int writeTwcc() {
        writer.begin(out, 0, 1500);
        writer.transportFeedback(1, 2, report);
        return writer.finish();
    }

    /** The same feedback from recorded arrival times, as the receive side builds it each interval. */
    @Benchmark
    public int buildAndWriteTwcc() {
        buildReport();
        writer.begin(out, 0, 1500);
        writer.transportFeedback(1, 2, report);
        return writer.finish();
    }
}
