package io.eddyrtc.perf.engine;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
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
 * One video packet fanned out as {@code ./eddy sfu} forwards it: a publisher writes a one-packet sample, the SFU's
 * inbound peer (RTP mode) lends it as an {@link Event.RtpPacket}, and the SFU hands that same view to each of
 * {@link #players} outbound peers with {@code forwardRtp} (renumbered, its extensions renamed, kept for NACKs without
 * a copy of the payload, protected), each under send-side congestion control when {@link #bwe} (transport-wide
 * numbers recorded, the pacer asked, the players' feedback read); every player (RTP mode) unprotects and receives
 * it. What one op costs over the four-peer {@link ForwardBenchmark} is the forwarding server's per-player work.
 * Must be about 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanoutBenchmark implements DirectWire.Packets {
    /** What each player is sent: a {@link #payloadBytes} packet per millisecond of virtual time, about 8 Mbit/s. */
    private static final long SENT_BPS = 8_500_000L;
    /** The estimate each outbound peer starts from: above what is sent, so the pacer lets packets go at once. */
    private static final long INITIAL_ESTIMATE_BPS = 20_000_000L;

    @Param({"10"})
    public int players;

    @Param({"true", "false"})
    public boolean bwe;

    /**
     * With {@code true}, the estimators are not told what is sent and wanted, so they probe for more and pad (the
     * link here is endless): the cost of probing. The SFU tells them, as the default does.
     */
    @Param({"false"})
    public boolean probing;

    @Param({"1000"})
    public int payloadBytes;

    private DirectWire wire;
    private long[] outSsrc;
    private int[] outPt;
    private int[] sequence;
    private FrameSource source;
    private long delivered;

    /** Peer 0 publishes to peer 1 (the SFU's inbound side); peer 2 + 2k (the SFU's) sends to player 3 + 2k. */
    @Setup(Level.Trial)
    public void setUp() {
        InetSocketAddress[] addresses = new InetSocketAddress[2 + 2 * players];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new InetSocketAddress("10.0." + (i / 200) + "." + (i % 200 + 1), 5000 + i);
        }
        outSsrc = new long[players];
        outPt = new int[players];
        sequence = new int[players];
        PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(16_384).debug(false).build();
        wire = new DirectWire(addresses, i -> {
            var builder = Rtc.builder().randomSeed(i + 1).pool(pool).rtpMode(i > 0);
            return bwe && i >= 2 && i % 2 == 0 ? builder.enableBwe(INITIAL_ESTIMATE_BPS) : builder;
        }, this);
        String published = DirectWire.negotiateVideo(wire.peer(0), wire.peer(1));
        String[] forwarded = new String[players];
        for (int k = 0; k < players; k++) {
            forwarded[k] = DirectWire.negotiateVideo(wire.peer(2 + 2 * k), wire.peer(3 + 2 * k));
        }
        wire.connect();
        source = new FrameSource(wire.peer(0).media(published), payloadBytes);
        for (int k = 0; k < players; k++) {
            Rtc sfu = wire.peer(2 + 2 * k);
            Media out = sfu.media(forwarded[k]);
            outSsrc[k] = out.sendStreams().getFirst().ssrc();
            outPt[k] = out.pt();
            if (bwe && !probing) { // as the SFU tells each player's estimator what it forwards and wants: no probing for more
                sfu.bwe().setDesiredBitrate(SENT_BPS);
                sfu.bwe().setCurrentBitrate(SENT_BPS);
            }
        }
    }

    @Override
    public void onRtpPacket(int peer, Event.RtpPacket p) {
        if (peer == 1) { // the SFU's inbound peer: the same view to every player, as Room.forward does
            for (int k = 0; k < players; k++) {
                wire.peer(2 + 2 * k).forwardRtp(p, outSsrc[k], outPt[k], sequence[k]++ & 0xFFFF, p.extendedTimestamp());
            }
        } else {
            delivered++;
        }
    }

    @Benchmark
    public long publishFanOutReceive() {
        source.publish(wire); // a packet per millisecond of virtual time
        return delivered;
    }
}
