package io.eddyrtc.engine.sim;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.ice.Candidate;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many connected peer connections on one {@link VirtualNetwork}, for measuring what a peer costs: each of
 * {@code pairs} pairs is a client {@code Rtc} (a browser's role: it offers) and a server {@code Rtc} (an SFU's
 * role: it answers), negotiated by SDP like a browser with audio and video (send and receive) and a data
 * channel, or only the data channel. Every server shares one certificate and one {@link PacketPool}, as one
 * server loop does; the clients likewise share theirs. Both sides run in the same {@link Mode}, so a
 * census of the heap divided by {@link #rtcs()} is what one peer of that mode costs.
 *
 * <p>The network tracks deadlines ({@link VirtualNetwork#trackDeadlines()}), each {@code Rtc} has a node and an
 * address of its own, and nodes keep no events, so ten thousand pairs run in one JVM.
 */
public final class PeerFleet {
    private static final long MS = 1_000_000L;

    /** What each peer negotiates and how it receives media. */
    public enum Mode {
        /** Audio, video and a data channel; received RTP lent as {@link Event.RtpPacket} views, as an SFU runs. */
        RTP,
        /** Audio, video and a data channel; received RTP depacketized into {@link Event.MediaData} samples. */
        SAMPLE,
        /** A data channel only. */
        DATA
    }

    private final VirtualNetwork net;
    private final Mode mode;
    private final PacketPool serverPool;
    private final PacketPool clientPool;
    private final List<Rtc> servers = new ArrayList<>();
    private final List<Rtc> clients = new ArrayList<>();
    private final List<Peer> peers = new ArrayList<>();
    private final List<RtcNode> nodes = new ArrayList<>();
    private final long[] received = new long[1];
    private long frame;

    /** One side's media handles, found once after negotiation, and its node on the network. */
    private record Peer(Rtc rtc, MediaWriter audio, MediaWriter video, RtcNode node) {
    }

    private PeerFleet(VirtualNetwork net, Mode mode, PacketPool serverPool, PacketPool clientPool) {
        this.net = net;
        this.mode = mode;
        this.serverPool = serverPool;
        this.clientPool = clientPool;
    }

    /**
     * {@code pairs} pairs in {@code mode}, negotiated and connected on a network of 10 ms latency. The pools
     * are production pools (no debug views), so what is measured is what a server runs.
     *
     * @throws IllegalStateException if they do not all connect within 30 s of virtual time
     */
    public static PeerFleet connect(long seed, int pairs, Mode mode) {
        Random random = new Random(seed);
        VirtualNetwork net = new VirtualNetwork(seed).trackDeadlines();
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        // room for every peer's second of RTX history: a pool's slots are what a server sizes for its peers
        PacketPool serverPool = PacketPool.builder().debug(false).maxSlots(1 << 20).build();
        PacketPool clientPool = PacketPool.builder().debug(false).maxSlots(1 << 20).build();
        PeerFleet fleet = new PeerFleet(net, mode, serverPool, clientPool);
        DtlsCertificate serverCertificate = DtlsCertificate.generate(new SecureRandom());
        DtlsCertificate clientCertificate = DtlsCertificate.generate(new SecureRandom());
        for (int i = 0; i < pairs; i++) {
            InetSocketAddress serverAddress = new InetSocketAddress(address(1, i), 4000);
            InetSocketAddress clientAddress = new InetSocketAddress(address(2, i), 5000);
            Rtc server = fleet.configure(Rtc.builder().randomSeed(random.nextLong()).certificate(serverCertificate)
                    .pool(fleet.serverPool)).build();
            Rtc client = fleet.configure(Rtc.builder().randomSeed(random.nextLong()).certificate(clientCertificate)
                    .pool(fleet.clientPool)).build();
            server.addLocalCandidate(Candidate.host(serverAddress));
            client.addLocalCandidate(Candidate.host(clientAddress));
            List<String> mids = new ArrayList<>();
            SdpSignalling.negotiate(client, server, api -> {
                if (mode != Mode.DATA) {
                    mids.add(api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV).value());
                    mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV).value());
                }
                api.addChannel("data");
            });
            RtcNode serverNode = fleet.node(server);
            RtcNode clientNode = fleet.node(client);
            net.attach(serverNode, serverAddress);
            net.attach(clientNode, clientAddress);
            fleet.servers.add(server);
            fleet.clients.add(client);
            fleet.peers.add(fleet.peer(server, mids, serverNode));
            fleet.peers.add(fleet.peer(client, mids, clientNode));
        }
        if (!net.runUntil(fleet::allConnected, net.now() + 30_000 * MS)) {
            throw new IllegalStateException("not every pair connected within 30 s: " + fleet.connectedCount() + " of "
                    + fleet.rtcs() + " Rtcs; " + net);
        }
        return fleet;
    }

    private static String address(int side, int i) {
        return "10." + side + "." + (i >> 8) + "." + (i & 0xFF);
    }

    private RtcConfig.Builder configure(RtcConfig.Builder builder) {
        return builder.rtpMode(mode == Mode.RTP);
    }

    private RtcNode node(Rtc rtc) {
        RtcNode node = new RtcNode("peer", rtc).keepEvents(false).timeCalls(true).onEvent(e -> {
            if (e instanceof Event.MediaData || e instanceof Event.RtpPacket) {
                received[0]++;
            }
        });
        nodes.add(node);
        return node;
    }

    /** CPU time spent inside the Rtcs' calls so far (the network's own work left out), in nanoseconds. */
    public long nanosInRtcs() {
        long sum = 0;
        for (RtcNode node : nodes) {
            sum += node.nanosInRtc();
        }
        return sum;
    }

    /** The part of {@link #nanosInRtcs()} that {@code wake} brought: timeouts, or datagrams of one kind. */
    public long nanosInRtcs(RtcNode.Wake wake) {
        long sum = 0;
        for (RtcNode node : nodes) {
            sum += node.nanosInRtc(wake);
        }
        return sum;
    }

    /** Timed calls into the Rtcs that {@code wake} made so far. */
    public long wakes(RtcNode.Wake wake) {
        long sum = 0;
        for (RtcNode node : nodes) {
            sum += node.wakes(wake);
        }
        return sum;
    }

    private Peer peer(Rtc rtc, List<String> mids, RtcNode node) {
        if (mids.isEmpty()) {
            return new Peer(rtc, null, null, node);
        }
        return new Peer(rtc, writer(rtc.media(mids.get(0)), Codec.OPUS), writer(rtc.media(mids.get(1)), Codec.VP8), node);
    }

    private static MediaWriter writer(Media media, Codec codec) {
        for (PayloadParams p : media.payloadParams()) {
            if (p.codec() == codec) {
                return media.writer(p.pt());
            }
        }
        throw new IllegalStateException(codec + " was not negotiated on " + media);
    }

    private boolean allConnected() {
        return connectedCount() == rtcs();
    }

    private int connectedCount() {
        int n = 0;
        for (Peer p : peers) {
            n += p.rtc().isConnected() ? 1 : 0;
        }
        return n;
    }

    /**
     * Lets virtual time pass with no media: ICE consent, RTCP reports and SCTP heartbeats only. Every second
     * the pools give back slabs that are all free, as a server loop's do.
     */
    public void idle(long nanos) {
        long end = net.now() + nanos;
        while (net.now() < end) {
            net.runUntil(Math.min(end, net.now() + 1_000 * MS));
            trimPools();
        }
    }

    private void trimPools() {
        serverPool.trim();
        clientPool.trim();
    }

    /**
     * Every peer sends audio (20 ms frames of 80 bytes) and VP8 video (25 frames a second of 1,200–1,800 bytes,
     * a 6,000-byte keyframe every two seconds) for {@code nanos}, about 350 kbit/s each way per pair.
     */
    public void media(long nanos) {
        if (mode == Mode.DATA) {
            idle(nanos);
            return;
        }
        byte[] audio = new byte[80];
        byte[][] video = {new byte[6000], new byte[1200], new byte[1500], new byte[1800]};
        for (byte[] v : video) {
            new Random(v.length).nextBytes(v);
            v[0] = 0x11; // VP8 payload header: an interframe
        }
        video[0][0] = 0x10; // a keyframe
        long end = net.now() + nanos;
        while (net.now() < end) {
            long now = net.now();
            long ticks48k = frame * 960;
            boolean videoFrame = frame % 2 == 0;
            long videoIndex = frame / 2;
            byte[] v = videoIndex % 50 == 0 ? video[0] : video[1 + (int) (videoIndex % 3)];
            for (Peer p : peers) {
                p.audio().write(now, MediaTime.of(ticks48k, 48_000), audio);
                if (videoFrame) {
                    p.video().write(now, MediaTime.of(videoIndex * 3600, 90_000), v);
                }
                p.node().drainTransmits(now, net::send); // onto the wire at once, as a server loop sends
            }
            frame++;
            net.runFor(20 * MS);
            if (frame % 50 == 0) {
                trimPools();
            }
        }
    }

    /** Samples or RTP packets all peers received so far. */
    public long mediaReceived() {
        return received[0];
    }

    public VirtualNetwork network() {
        return net;
    }

    /** The server side of each pair, in order. */
    public List<Rtc> servers() {
        return List.copyOf(servers);
    }

    /** The client side of each pair, in order. */
    public List<Rtc> clients() {
        return List.copyOf(clients);
    }

    /** Every {@code Rtc} of the fleet: twice the pairs. */
    public int rtcs() {
        return peers.size();
    }

    /** The pool the servers share. */
    public PacketPool serverPool() {
        return serverPool;
    }

    /** The pool the clients share. */
    public PacketPool clientPool() {
        return clientPool;
    }

    /** Off-heap bytes the two pools have carved from their arenas now. */
    public long poolBytes() {
        return (long) serverPool.capacity() * serverPool.slotSize() + (long) clientPool.capacity() * clientPool.slotSize();
    }

    /** Off-heap bytes in the pool slots the peers hold now (RTX history, frames being assembled, packets in flight). */
    public long poolBytesHeld() {
        return (long) serverPool.inUse() * serverPool.slotSize() + (long) clientPool.inUse() * clientPool.slotSize();
    }

    /** What {@link Rtc#memoryInUse()} says, summed over every peer. */
    public long memoryInUse() {
        long sum = 0;
        for (Peer p : peers) {
            sum += p.rtc().memoryInUse();
        }
        return sum;
    }

    /** Datagrams the network carried so far. */
    public long datagrams() {
        return net.totals().sent;
    }

    /** Disconnects every peer and closes the pools. */
    public void close() {
        for (Peer p : peers) {
            p.rtc().disconnect();
        }
        serverPool.close();
        clientPool.close();
    }
}
