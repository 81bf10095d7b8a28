package io.eddyrtc.perf.engine;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code Rtc}s in one thread on virtual time, with no sockets between them: every datagram one sends goes straight
 * to the peer at its destination, every timer fires when due, and each {@link Event.RtpPacket} goes to the
 * benchmark's {@link Packets}. What the forwarding benchmarks share; allocates nothing per datagram.
 */
final class DirectWire {
    /** What the benchmark does with an RTP packet a peer lends (forward it, count it). */
    interface Packets {
        void onRtpPacket(int peer, Event.RtpPacket packet);
    }

    private static final long CONNECT_STEP_NANOS = 5_000_000L;
    private static final int CONNECT_STEPS = 4000;

    private final Rtc[] peers;
    private final long[] deadlines;
    private final Map<InetSocketAddress, Integer> byAddress = new HashMap<>();
    private final MemorySegment wire = Arena.ofAuto().allocate(2048);
    private final Packets packets;
    private long now = 1_000_000_000L;

    /** Builds peer {@code i} from {@code config.apply(i)} with a host candidate at {@code addresses[i]}. */
    DirectWire(InetSocketAddress[] addresses, IntFunction<RtcConfig.Builder> config, Packets packets) {
        this.peers = new Rtc[addresses.length];
        this.deadlines = new long[addresses.length];
        this.packets = packets;
        for (int i = 0; i < addresses.length; i++) {
            peers[i] = config.apply(i).build();
            peers[i].addLocalCandidate(Candidate.host(addresses[i]));
            byAddress.put(addresses[i], i);
        }
    }

    Rtc peer(int i) {
        return peers[i];
    }

    /** The virtual clock. */
    long now() {
        return now;
    }

    /** Negotiates one send-only video m-line from {@code offerer} to {@code answerer}; its mid. */
    static String negotiateVideo(Rtc offerer, Rtc answerer) {
        SdpApi api = offerer.sdpApi();
        String mid = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY).value();
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = answerer.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
        offerer.acceptAnswer(offer.pending(), answer);
        return mid;
    }

    /** Steps time until every peer is connected (ICE and DTLS); throws if they do not within 20 s of it. */
    void connect() {
        for (int round = 0; round < CONNECT_STEPS && !allConnected(); round++) {
            step(CONNECT_STEP_NANOS);
        }
        if (!allConnected()) {
            throw new IllegalStateException("the " + peers.length + " peers did not connect");
        }
    }

    private boolean allConnected() {
        for (Rtc peer : peers) {
            if (!peer.isConnected()) {
                return false;
            }
        }
        return true;
    }

    /** Advances time by {@code nanos}, fires due timers and delivers everything until every peer is quiet. */
    void step(long nanos) {
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

    /** Polls peer {@code i} until its timeout; whether it had anything. */
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
                Integer to = byAddress.get(x.destination());
                if (to != null) {
                    peers[to].handleReceive(now, x.source(), x.destination(), wire, 0, length);
                }
            } else if (out instanceof Event.RtpPacket p) {
                packets.onRtpPacket(i, p);
            }
        }
    }
}
