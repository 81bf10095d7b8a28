package io.eddyrtc.perf.engine;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
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
public class ForwardBenchmark {
    static final InetSocketAddress P = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress SFU_IN = new InetSocketAddress("10.0.9.9", 4000);
    static final InetSocketAddress SFU_OUT = new InetSocketAddress("10.0.9.9", 4001);
    static final InetSocketAddress C = new InetSocketAddress("10.0.2.1", 7000);

    @Param({"1000"})
    public int payloadBytes;

    final Rtc[] peers = new Rtc[4];
    private final InetSocketAddress[] addresses = {P, SFU_IN, SFU_OUT, C};
    private final long[] deadlines = new long[4];
    private final MemorySegment wire = Arena.ofAuto().allocate(2048);
    private final MemorySegment scratch = Arena.ofAuto().allocate(2048);
    private MediaWriter writer;
    private MemorySegment frame;
    private long outSsrc;
    private int outPt;
    long now = 1_000_000_000L;
    private long ticks;
    private long delivered;

    @Setup(Level.Trial)
    public void setUp() {
        PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(4096).debug(false).build();
        for (int i = 0; i < 4; i++) {
            peers[i] = Rtc.builder().randomSeed(i + 1).pool(pool).rtpMode(i > 0).build();
            peers[i].addLocalCandidate(Candidate.host(addresses[i]));
        }
        String published = negotiate(peers[0], peers[1]);
        String forwarded = negotiate(peers[2], peers[3]);
        for (int round = 0; round < 2000 && !(peers[0].isConnected() && peers[1].isConnected() && peers[2].isConnected()
                && peers[3].isConnected()); round++) {
            step(5_000_000L);
        }
        if (!peers[3].isConnected() || !peers[1].isConnected()) {
            throw new IllegalStateException("the four peers did not connect");
        }
        Media media = peers[0].media(published);
        writer = media.writer(media.pt());
        Media out = peers[2].media(forwarded);
        outSsrc = out.sendStreams().getFirst().ssrc();
        outPt = out.pt();
        frame = Arena.ofAuto().allocate(payloadBytes);
        frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0x10);
    }

    private static String negotiate(Rtc offerer, Rtc answerer) {
        SdpApi api = offerer.sdpApi();
        String mid = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value();
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = answerer.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
        offerer.acceptAnswer(offer.pending(), answer);
        return mid;
    }

    /** Advances time by {@code nanos}, fires due timers and delivers everything until all four are quiet. */
    private void step(long nanos) {
        now += nanos;
        for (int i = 0; i < 4; i++) {
            if (now >= deadlines[i]) {
                peers[i].handleTimeout(now);
            }
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int i = 0; i < 4; i++) {
                moved |= drain(i);
            }
        }
    }

    /** Polls peer {@code i} until its timeout; datagrams go straight to their destination peer. */
    private boolean drain(int i) {
        boolean moved = false;
        while (true) {
            Output out = peers[i].pollOutput();
            if (out instanceof Output.Timeout t) {
                deadlines[i] = t.atNanos();
                return moved;
            }
            moved = true;
            if (out instanceof Output.Transmit x) {
                int length = x.length();
                MemorySegment.copy(x.segment(), x.offset(), wire, 0, length);
                for (int d = 0; d < 4; d++) {
                    if (addresses[d].equals(x.destination())) {
                        peers[d].handleReceive(now, x.source(), x.destination(), wire, 0, length);
                        break;
                    }
                }
            } else if (out instanceof Event.RtpPacket p) {
                if (i == 1) { // the SFU's inbound peer: forward
                    MemorySegment.copy(p.segment(), 0, scratch, 0, p.length());
                    BigEndian.putU32(scratch, 8, outSsrc);
                    BigEndian.putU8(scratch, 1, (BigEndian.u8(scratch, 1) & 0x80) | outPt);
                    peers[2].writeRtp(scratch, 0, p.length());
                } else if (i == 3) {
                    delivered++;
                }
            }
        }
    }

    @Benchmark
    public long publishForwardReceive() {
        ticks += 3000;
        writer.write(now, MediaTime.of(ticks, 90_000), frame, 0, payloadBytes);
        step(1_000_000L); // one packet per millisecond of virtual time
        return delivered;
    }
}
