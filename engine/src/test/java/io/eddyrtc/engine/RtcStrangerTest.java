package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.SdpSignalling;
import io.eddyrtc.ice.Candidate;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a stranger — anyone who can send UDP to the server's port from an address that is not the peer's —
 * can do to a call: nothing. DTLS, RTP and RTCP count only from the peer's addresses as ICE knows them (see
 * {@code IceAgent.isVerifiedAddress}: the selected pair's remote, or one the peer proved with an authenticated
 * check and, once a pair is selected, nominated); the rest is dropped as
 * {@link RtcDropReason#NOT_FROM_PEER}. The attack this started from: one 15-byte plaintext close_notify from
 * another local port ended a connected call.
 */
@ExtendWith(SeedExtension.class)
class RtcStrangerTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);
    /** The same hosts as the peers, other ports: what a local process or a NAT neighbour can send from. */
    static final InetSocketAddress NEAR_A = new InetSocketAddress("10.0.0.1", 5001);
    static final InetSocketAddress NEAR_B = new InetSocketAddress("10.0.1.1", 6001);

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;
    /** A's side of the wire: lets a test hold back one of A's datagrams. */
    Tap tapA;
    Mid audio;

    /** {@code A} offers audio and a channel, {@code B} answers (B is the DTLS client); nothing runs yet. */
    void negotiate(long seed) {
        Random random = new Random(seed);
        net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        a = new RtcNode("A", Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_A).build());
        b = new RtcNode("B", Rtc.builder().randomSeed(random.nextLong()).certificate(RtcDtlsTest.CERT_B).build());
        tapA = new Tap(a);
        net.attach(tapA, A);
        net.attach(b, B);
        a.rtc().addLocalCandidate(Candidate.host(A));
        b.rtc().addLocalCandidate(Candidate.host(B));
        List<Mid> mids = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(a.rtc(), b.rtc(), api -> {
            mids.add(api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV));
            api.addChannel("chat");
        }));
        audio = mids.getFirst();
    }

    boolean bothConnected() {
        return a.rtc().isConnected() && b.rtc().isConnected();
    }

    void connect(long seed) {
        negotiate(seed);
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "the call connects");
        assertTrue(net.runUntil(() -> channelOpen(b), 5 * S), "the channel opens");
    }

    static boolean channelOpen(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().anyMatch(e -> e instanceof Event.ChannelOpen);
    }

    /** A plaintext (epoch 0) DTLS 1.2 alert: 13 bytes of record header and two of alert, 15 in all. */
    static byte[] plaintextAlert(int level, int description) {
        return new byte[] {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 5, 0, 2, (byte) level, (byte) description};
    }

    /** A DTLS handshake record (epoch 0) that says ClientHello and holds nothing a ClientHello needs. */
    static byte[] malformedClientHello() {
        byte[] d = new byte[13 + 12 + 8];
        d[0] = 22;
        d[1] = (byte) 0xFE;
        d[2] = (byte) 0xFF;
        d[12] = 20; // record length: handshake header 12 + body 8
        d[13] = 1; // client_hello
        d[16] = 8; // message length 8
        d[24] = 8; // fragment length 8
        for (int i = 25; i < d.length; i++) {
            d[i] = (byte) 0xEE;
        }
        return d;
    }

    /** A well-formed ClientHello of someone else's DTLS client, with its own certificate. */
    static byte[] strangersClientHello(long now) {
        DtlsEndpoint stranger = new DtlsEndpoint(DtlsConfig.defaults().withCookies(false), DtlsCertificate.generate(new SecureRandom()),
                true, new SecureRandom(), new SplittableRandom(1));
        stranger.start(now);
        byte[] hello = stranger.pollTransmit();
        assertNotNull(hello, "a started DTLS client sends its ClientHello");
        return hello;
    }

    long dropped(RtcDropReason reason) {
        return a.rtc().dropped(reason) + b.rtc().dropped(reason);
    }

    @Test
    void aForgedCloseNotifyFromAnotherPortDoesNotEndTheCall(@Seed long seed) {
        connect(seed);
        for (int level : new int[] {1, 2}) { // close_notify as a warning, then as a fatal alert
            net.send(NEAR_A, B, plaintextAlert(level, 0));
            net.send(NEAR_B, A, plaintextAlert(level, 0));
        }
        net.runFor(100 * MS);
        assertEquals(4, dropped(RtcDropReason.NOT_FROM_PEER), "each forged alert is dropped before DTLS sees it");
        assertTrue(a.rtc().isAlive() && b.rtc().isAlive(), "the call goes on");
        int open = b.eventsOf(b.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).map(e -> ((Event.ChannelOpen) e).id())
                .findFirst().orElseThrow();
        b.rtc().channel(open).writeText("still here");
        assertTrue(net.runUntil(() -> a.eventsOf(a.rtc()).stream()
                .anyMatch(e -> e instanceof Event.ChannelData d && d.text().equals("still here")), 2 * S), "and data still flows");
    }

    @Test
    void aStrangersAlertsDuringTheHandshakeAreIgnored(@Seed long seed) {
        negotiate(seed);
        // while either side handshakes, a stranger on each host sends close_notify and a fatal alert every step
        boolean connected = net.runUntil(() -> {
            if (RtcNode.iceConnected(a.rtc()) && !a.rtc().isConnected()) {
                net.send(NEAR_B, A, plaintextAlert(2, 40));
                net.send(NEAR_B, A, plaintextAlert(1, 0));
            }
            if (RtcNode.iceConnected(b.rtc()) && !b.rtc().isConnected()) {
                net.send(NEAR_A, B, plaintextAlert(2, 40));
                net.send(NEAR_A, B, plaintextAlert(1, 0));
            }
            return bothConnected() || !a.rtc().isAlive() || !b.rtc().isAlive();
        }, 10 * S);
        assertTrue(connected && bothConnected(), "the handshake completes: " + a.eventsOf(a.rtc()) + " / " + b.eventsOf(b.rtc()));
        assertTrue(dropped(RtcDropReason.NOT_FROM_PEER) > 0, "the stranger's alerts were seen and dropped");
    }

    @Test
    void aStrangersClientHelloCannotTakeTheHandshakeOver(@Seed long seed) {
        negotiate(seed);
        // A is the DTLS server: a stranger's hello reaches it as soon as A's ICE is up, before B's can
        assertTrue(net.runUntil(() -> RtcNode.iceConnected(a.rtc()), 5 * S));
        net.conditions(NEAR_B, A, LinkConditions.perfect()); // the stranger is nearer than B: its datagrams come first
        net.send(NEAR_B, A, strangersClientHello(net.now()));
        net.send(NEAR_B, A, malformedClientHello());
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "the call connects with its real peer: " + a.eventsOf(a.rtc()));
        assertEquals(2, a.rtc().dropped(RtcDropReason.NOT_FROM_PEER));
    }

    @Test
    void aMalformedClientHelloFromAStrangerDoesNotFailTheServer(@Seed long seed) {
        negotiate(seed);
        assertTrue(net.runUntil(() -> RtcNode.iceConnected(a.rtc()), 5 * S));
        for (int i = 0; i < 10; i++) {
            net.send(NEAR_B, A, malformedClientHello());
        }
        assertTrue(net.runUntil(this::bothConnected, 10 * S), "the call connects: " + a.eventsOf(a.rtc()));
        assertEquals(10, a.rtc().dropped(RtcDropReason.NOT_FROM_PEER));
    }

    @Test
    void theSamePacketFromAStrangerIsDroppedAndFromThePeerDelivered(@Seed long seed) {
        connect(seed);
        Media media = a.rtc().media(audio.value());
        MediaWriter opus = media.writer(RtcSdpMediaTest.pt(media, Codec.OPUS));
        tapA.holdNext(DatagramKind.RTP);
        assertTrue(opus.write(net.now(), MediaTime.of(0, 48_000), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        net.runFor(50 * MS);
        byte[] captured = tapA.held();
        assertNotNull(captured, "A's SRTP packet was held back");

        // an on-path stranger races the peer with a copy of its packet from another address
        net.send(NEAR_A, B, captured.clone());
        net.runFor(50 * MS);
        assertEquals(1, b.rtc().dropped(RtcDropReason.NOT_FROM_PEER));
        assertEquals(0, mediaData(b).size(), "nothing from the stranger's copy");

        net.send(A, B, captured);
        net.runFor(50 * MS);
        assertEquals(1, mediaData(b).size(), "the peer's own packet is not taken for a replay");
        assertEquals(0, b.rtc().dropped(RtcDropReason.SRTP_REJECTED));
    }

    static List<Event.MediaData> mediaData(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.MediaData).map(e -> (Event.MediaData) e).toList();
    }

    /** Stands between a node and the wire, passing everything on except a datagram it was asked to hold back. */
    static final class Tap implements SansIoNode {
        private final SansIoNode node;
        private DatagramKind holding;
        private byte[] held;

        Tap(SansIoNode node) {
            this.node = node;
        }

        /** Keeps the next datagram of {@code kind} the node sends off the wire. */
        void holdNext(DatagramKind kind) {
            holding = kind;
        }

        byte[] held() {
            return held;
        }

        @Override
        public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
            node.receive(now, source, destination, datagram);
        }

        @Override
        public void timeout(long now) {
            node.timeout(now);
        }

        @Override
        public long nextDeadline() {
            return node.nextDeadline();
        }

        @Override
        public void drainTransmits(long now, Transmitter out) {
            node.drainTransmits(now, (source, destination, datagram) -> {
                if (holding != null && DatagramKind.classify(MemorySegment.ofArray(datagram), 0, datagram.length) == holding) {
                    holding = null;
                    held = datagram;
                } else {
                    out.send(source, destination, datagram);
                }
            });
        }
    }
}
