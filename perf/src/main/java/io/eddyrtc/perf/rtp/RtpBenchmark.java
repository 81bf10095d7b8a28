package io.eddyrtc.perf.rtp;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.stream.ReceiveStream;
import io.eddyrtc.engine.stream.ReceiveStreamConfig;
import io.eddyrtc.engine.stream.SendStream;
import io.eddyrtc.engine.stream.SendStreamConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet RTP work of an SFU, each expected at 0 B/op:
 * <ul>
 *   <li>{@code parseRewrite}: wrap a 1200-byte video packet with mid, transport-cc and abs-send-time
 *       extensions, read the extensions through the map, rewrite SSRC, payload type, sequence number and
 *       the transport-cc sequence in place;</li>
 *   <li>{@code writeHeader}: build a header with the same three extensions;</li>
 *   <li>{@code receive}: one packet through a receive stream (sequence, duplicates, loss, jitter);</li>
 *   <li>{@code receiveLossyAndPoll}: the same with every 20th packet missing, plus a NACK poll over the
 *       100-packet window (which a real {@code Rtc} does only every few packets);</li>
 *   <li>{@code rtxPutAnswer}: a send stream writes a packet (and caches a copy), then answers a NACK for the
 *       packet ten back with an RTX packet.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpBenchmark {
    private final RtpHeader header = new RtpHeader();
    private final RtpExtensionValues values = new RtpExtensionValues();
    private final ExtensionMap map = new ExtensionMap()
            .set(1, RtpExtension.MID).set(3, RtpExtension.TRANSPORT_WIDE_CC).set(4, RtpExtension.ABS_SEND_TIME);
    private MemorySegment packet;
    private int length;
    private MemorySegment out;
    private MemorySegment payload;
    private ReceiveStream receiver;
    private SendStream sender;
    private int seq;
    private long now = 1_000_000_000L;

    @Setup
    public void setUp() {
        Arena arena = Arena.ofAuto();
        packet = arena.allocate(1500);
        out = arena.allocate(1500);
        payload = arena.allocate(1200);
        values.setMid("0".getBytes(StandardCharsets.US_ASCII)).setTransportSequence(1).setAbsSendTime(12345);
        int h = RtpHeader.write(packet, 0, 1500, 96, true, 1, 90_000, 0x1111_2222L, map, values);
        length = h + 1150;
        receiver = new ReceiveStream(0x1111_2222L, ReceiveStreamConfig.defaults(90_000));
        // a budget above 100 % so every NACK is answered: this measures the answer, not the refusal
        sender = new SendStream(SendStreamConfig.video(0x3333_4444L, 96).withRtx(0x5555_6666L, 97)
                .withRtxBudget(1.5, 8_000, 1_000_000), PacketPool.builder().debug(false).build(), MemoryBudget.unlimited());
    }

    @Benchmark
    public int parseRewrite() {
        header.wrap(packet, 0, length);
        map.parse(header, values);
        header.setSsrc(0xABCD_EF01L);
        header.setPayloadType(100);
        header.setSequenceNumber(seq++);
        map.rewriteTransportSequence(header, seq);
        return values.transportSequence() + header.payloadLength();
    }

    @Benchmark
    public int writeHeader() {
        values.setTransportSequence(seq++);
        return RtpHeader.write(out, 0, 1500, 96, false, seq, 90L * seq, 0x1111_2222L, map, values);
    }

    @Benchmark
    public Object receive() {
        now += 5_000_000L;
        seq++;
        header.wrap(packet, 0, length);
        header.setSequenceNumber(seq);
        header.setTimestamp(450L * seq);
        return receiver.onRtp(now, header);
    }

    private final int[] nacks = new int[64];
    private ReceiveStream lossy;

    @Setup
    public void setUpLossy() {
        lossy = new ReceiveStream(0x1111_2222L, ReceiveStreamConfig.defaults(90_000));
    }

    @Benchmark
    public int receiveLossyAndPoll() {
        now += 5_000_000L;
        seq++;
        if (seq % 20 == 0) {
            seq++;
        }
        header.wrap(packet, 0, length);
        header.setSequenceNumber(seq);
        header.setTimestamp(450L * seq);
        lossy.onRtp(now, header);
        return lossy.pollNacks(now, nacks);
    }

    @Benchmark
    public int rtxPutAnswer() {
        now += 5_000_000L;
        int len = sender.write(now, out, 0, 1500, false, now / 11_111, payload, 0, 1150, null, null);
        int nacked = (sender.nextSequenceNumber() - 10) & 0xFFFF;
        return len + sender.answerNack(now, nacked, out, 0, 1500);
    }
}
