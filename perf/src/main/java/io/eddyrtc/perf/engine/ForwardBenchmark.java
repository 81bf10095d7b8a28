package io.eddyrtc.perf.engine;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One video packet through a whole SFU chain of four {@code Rtc}s in one thread: a publisher writes a
 * one-packet sample (packetize, number, cache, SRTP protect), the SFU's inbound peer unprotects it and hands
 * it out as an {@link Event.RtpPacket} (RTP mode), the SFU rewrites SSRC and payload type and writes it to its
 * outbound peer (cache, SRTP protect), and the subscriber (RTP mode too) unprotects and receives it. RTCP
 * (reports, NACK) and consent checks flow as the timers fire. Must be 0 B/op: this is the per-packet path
 * of a media server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardBenchmark implements DirectWire.Packets {
    static final InetSocketAddress P = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress SFU_IN = new InetSocketAddress("10.0.9.9", 4000);
    static final InetSocketAddress SFU_OUT = new InetSocketAddress("10.0.9.9", 4001);
    static final InetSocketAddress C = new InetSocketAddress("10.0.2.1", 7000);

    @Param({"1000"})
    public int payloadBytes;

    DirectWire wire;
    private final MemorySegment scratch = Arena.ofAuto().allocate(2048);
    private FrameSource source;
    private long outSsrc;
    private int outPt;
    private long delivered;

    @Setup(Level.Trial)
    public void setUp() {
        PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(4096).debug(false).build();
        wire = new DirectWire(new InetSocketAddress[] {P, SFU_IN, SFU_OUT, C},
                i -> Rtc.builder().randomSeed(i + 1).pool(pool).rtpMode(i > 0), this);
        String published = DirectWire.negotiateVideo(wire.peer(0), wire.peer(1));
        String forwarded = DirectWire.negotiateVideo(wire.peer(2), wire.peer(3));
        wire.connect();
        source = new FrameSource(wire.peer(0).media(published), payloadBytes);
        Media out = wire.peer(2).media(forwarded);
        outSsrc = out.sendStreams().getFirst().ssrc();
        outPt = out.pt();
    }

    @Override
    public void onRtpPacket(int peer, Event.RtpPacket p) {
        if (peer == 1) { // the SFU's inbound peer: forward
            MemorySegment.copy(p.segment(), 0, scratch, 0, p.length());
            BigEndian.putU32(scratch, 8, outSsrc);
            BigEndian.putU8(scratch, 1, (BigEndian.u8(scratch, 1) & 0x80) | outPt);
            wire.peer(2).writeRtp(scratch, 0, p.length());
        } else if (peer == 3) {
            delivered++;
        }
    }

    @Benchmark
    public long publishForwardReceive() {
        source.publish(wire); // a packet per millisecond of virtual time
        return delivered;
    }
}
