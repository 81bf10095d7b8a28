package io.eddyrtc.perf.net;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.net.InetSocketAddressCache;
import io.eddyrtc.net.RecvBatch;
import io.eddyrtc.net.TransmitBatch;
import io.eddyrtc.net.UdpConfig;
import io.eddyrtc.net.UdpTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link ForwardingRun}, in a process of its own so that the forwarder's process CPU time
 * is the forwarder's alone: one publisher and N subscribers, eddy {@code Rtc}s each on a loopback socket of its
 * own (batched FFM, GSO and GRO, so that the generator stays cheap), signalled with the forwarder over this
 * process's standard input and output. The publisher sends 1,200-byte SRTP (AES-128-GCM) packets in bursts of
 * 32, as a video frame's, keeping at most {@value #WINDOW} in flight ahead of what the slowest subscriber got,
 * so the forwarder runs flat out without the sockets overflowing. Subscribers count the RTP they receive
 * without decrypting it; everything else (STUN, DTLS, RTCP) goes to their {@code Rtc}s, which keep the calls up.
 *
 * <p>Protocol, one line each: out {@code OFFER <i> <base64 SDP>} for the publisher (0) and each subscriber; in
 * {@code ANSWER <i> <base64 SDP>}; out {@code CONNECTED}; in {@code GO <seconds>}; out
 * {@code DONE <sent> <received by each subscriber, comma-separated>}.
 */
public final class ForwardingLoad {
    static final int PACKET_BYTES = 1200;
    static final int BURST = 32;
    static final int WINDOW = 1024;
    static final DtlsConfig GCM_128 = DtlsConfig.defaults().withSrtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM));

    /** One peer of the generator: its Rtc, socket and batches. */
    private static final class Peer {
        final Rtc rtc;
        final UdpTransport transport;
        final RecvBatch in;
        final TransmitBatch out = new TransmitBatch(256);
        final InetSocketAddressCache addresses = new InetSocketAddressCache(16);
        long deadline = Long.MIN_VALUE;
        long rtpReceived;

        Peer(PacketPool pool, PacketPool receivePool) throws Exception {
            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
            transport = UdpTransport.open(UdpConfig.builder(loopback).gro(true).receiveBufferBytes(8 << 20).sendBufferBytes(8 << 20).build());
            in = new RecvBatch(receivePool, 32);
            rtc = Rtc.builder().rtpMode(true).pool(pool).dtls(GCM_128).build();
            rtc.addLocalCandidate(Candidate.host(transport.localAddress()));
        }

        /** Polls the Rtc until its timeout and sends what it gave, in one batch (GSO runs to the forwarder). */
        void drain() {
            while (true) {
                Output o = rtc.pollOutput();
                if (o instanceof Output.Timeout t) {
                    deadline = t.atNanos();
                    break;
                }
                if (o instanceof Output.Transmit x) {
                    out.add(x, transport);
                }
            }
            out.send(transport);
        }

        /** Receives what is there: RTP is counted (each datagram of a GRO run), the rest goes to the Rtc. */
        void receive(long waitNanos) {
            int n = transport.receive(in, waitNanos);
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                MemorySegment s = in.segment(i);
                int length = in.length(i);
                int size = Math.max(1, in.segmentSize(i));
                for (int off = 0; off < length; off += size) {
                    int len = Math.min(size, length - off);
                    int first = BigEndian.u8(s, off);
                    int second = len > 1 ? BigEndian.u8(s, off + 1) : 0;
                    if (first >= 128 && first <= 191 && (second < 192 || second > 223)) {
                        rtpReceived++; // RTP (RFC 5761: RTCP's types are 192..223): counted, not decrypted
                    } else {
                        rtc.handleReceive(now, addresses.get(in.source(i)), addresses.get(in.destination(i)), s, off, len);
                    }
                }
            }
            if (now >= deadline) {
                rtc.handleTimeout(now);
            }
            drain();
        }
    }

    private ForwardingLoad() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.parseInt(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8)); // nothing else may write to the protocol
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PacketPool pool = PacketPool.builder().slotSize(2048).maxSlots(65_536).debug(false).build();
        PacketPool receivePool = PacketPool.builder().slotSize(65_536).slotsPerSlab(32).maxSlots(64 * (subscribers + 2))
                .debug(false).build();
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i <= subscribers; i++) {
            Peer p = new Peer(pool, receivePool);
            SdpApi api = p.rtc.sdpApi();
            api.addMedia(MediaKind.VIDEO, i == 0 ? Direction.SEND_ONLY : Direction.RECV_ONLY);
            SdpApi.Offer offer = api.apply().orElseThrow();
            out.println("OFFER " + i + " " + encode(offer.offer().toSdp()));
            String[] answer = in.readLine().split(" ");
            p.rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(decode(answer[2])));
            peers.add(p);
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!peers.stream().allMatch(p -> p.rtc.isConnected())) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the generator's peers did not connect to the forwarder within 30 s");
            }
            for (Peer p : peers) {
                p.receive(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        out.println("CONNECTED");
        String[] go = in.readLine().split(" ");
        long end = System.nanoTime() + (long) (Double.parseDouble(go[1]) * 1e9);
        Peer publisher = peers.getFirst();
        String mid = publisher.rtc.media().getFirst().mid();
        long ssrc = publisher.rtc.media(mid).sendStreams().getFirst().ssrc();
        int pt = publisher.rtc.media(mid).pt();
        MemorySegment packet = Arena.ofAuto().allocate(PACKET_BYTES);
        long sent = 0;
        while (System.nanoTime() < end) {
            long slowest = Long.MAX_VALUE;
            for (int i = 1; i < peers.size(); i++) {
                slowest = Math.min(slowest, peers.get(i).rtpReceived);
            }
            if (sent - slowest < WINDOW) {
                for (int i = 0; i < BURST; i++, sent++) {
                    BigEndian.putU8(packet, 0, 0x80);
                    BigEndian.putU8(packet, 1, (i == BURST - 1 ? 0x80 : 0) | pt);
                    BigEndian.putU16(packet, 2, (int) (sent & 0xFFFF));
                    BigEndian.putU32(packet, 4, sent / BURST * 3000);
                    BigEndian.putU32(packet, 8, ssrc);
                    publisher.rtc.writeRtp(packet, 0, PACKET_BYTES);
                }
                publisher.drain();
            }
            for (Peer p : peers) {
                p.receive(0);
            }
        }
        long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < drainUntil) { // what is still on its way
            for (Peer p : peers) {
                p.receive(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        StringBuilder received = new StringBuilder();
        for (int i = 1; i < peers.size(); i++) {
            received.append(i > 1 ? "," : "").append(peers.get(i).rtpReceived);
        }
        out.println("DONE " + sent + " " + received);
        for (Peer p : peers) {
            p.rtc.disconnect();
            p.drain();
            p.in.close();
            p.transport.close();
        }
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
