package io.eddyrtc.perf.engine;

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
import java.lang.foreign.ValueLayout;
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
public class FanoutBenchmark {
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

    private Rtc[] peers;
    private InetSocketAddress[] addresses;
    private long[] deadlines;
    private long[] outSsrc;
    private int[] outPt;
    private int[] sequence;
    private final MemorySegment wire = Arena.ofAuto().allocate(2048);
    private MediaWriter writer;
    private MemorySegment frame;
    private long now = 1_000_000_000L;
    private long ticks;
    private long delivered;

    /** Peer 0 publishes to peer 1 (the SFU's inbound side); peer 2 + 2k (the SFU's) sends to player 3 + 2k. */
    @Setup(Level.Trial)
    public void setUp() {
        int count = 2 + 2 * players;
        peers = new Rtc[count];
        addresses = new InetSocketAddress[count];
        deadlines = new long[count];
        outSsrc = new long[players];
        outPt = new int[players];
        sequence = new int[players];
        PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(16_384).debug(false).build();
        for (int i = 0; i < count; i++) {
            addresses[i] = new InetSocketAddress("10.0." + (i / 200) + "." + (i % 200 + 1), 5000 + i);
            var builder = Rtc.builder().randomSeed(i + 1).pool(pool).rtpMode(i > 0);
            if (bwe && i >= 2 && i % 2 == 0) {
                builder.enableBwe(INITIAL_ESTIMATE_BPS);
            }
            peers[i] = builder.build();
            peers[i].addLocalCandidate(Candidate.host(addresses[i]));
        }
        String published = negotiate(peers[0], peers[1]);
        String[] forwarded = new String[players];
        for (int k = 0; k < players; k++) {
            forwarded[k] = negotiate(peers[2 + 2 * k], peers[3 + 2 * k]);
        }
        for (int round = 0; round < 4000 && !allConnected(); round++) {
            step(5_000_000L);
        }
        if (!allConnected()) {
            throw new IllegalStateException("the " + count + " peers did not connect");
        }
        Media media = peers[0].media(published);
        writer = media.writer(media.pt());
        for (int k = 0; k < players; k++) {
            Media out = peers[2 + 2 * k].media(forwarded[k]);
            outSsrc[k] = out.sendStreams().getFirst().ssrc();
            outPt[k] = out.pt();
            if (bwe && !probing) { // as the SFU tells each player's estimator what it forwards and wants: no probing for more
                peers[2 + 2 * k].bwe().setDesiredBitrate(SENT_BPS);
                peers[2 + 2 * k].bwe().setCurrentBitrate(SENT_BPS);
            }
        }
        frame = Arena.ofAuto().allocate(payloadBytes);
        frame.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x10); // a VP8 payload descriptor: start of a partition
    }

    private boolean allConnected() {
        for (Rtc peer : peers) {
            if (!peer.isConnected()) {
                return false;
            }
        }
        return true;
    }

    private static String negotiate(Rtc offerer, Rtc answerer) {
        SdpApi api = offerer.sdpApi();
        String mid = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value();
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = answerer.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
        offerer.acceptAnswer(offer.pending(), answer);
        return mid;
    }

    /** Advances time by {@code nanos}, fires due timers and delivers everything until every peer is quiet. */
    private void step(long nanos) {
        now += nanos;
        for (int i = 0; i < peers.length; i++) {
            if (now >= deadlines[i]) {
                peers[i].handleTimeout(now);
            }
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int i = 0; i < peers.length; i++) {
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
                peers[peerAt(x.destination())].handleReceive(now, x.source(), x.destination(), wire, 0, length);
            } else if (out instanceof Event.RtpPacket p) {
                if (i == 1) { // the SFU's inbound peer: the same view to every player, as Room.forward does
                    for (int k = 0; k < players; k++) {
                        peers[2 + 2 * k].forwardRtp(p, outSsrc[k], outPt[k], sequence[k]++ & 0xFFFF, p.extendedTimestamp());
                    }
                } else {
                    delivered++;
                }
            }
        }
    }

    /** The peer at {@code address}: its port says which. */
    private int peerAt(InetSocketAddress address) {
        return address.getPort() - 5000;
    }

    @Benchmark
    public long publishFanOutReceive() {
        ticks += 3000;
        writer.write(now, MediaTime.of(ticks, 90_000), frame, 0, payloadBytes);
        step(1_000_000L); // one packet per millisecond of virtual time
        return delivered;
    }
}
