package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.eddyrtc.net.Loopback.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two {@link Rtc}s connect over two transports on loopback (ICE, DTLS, SCTP) and exchange a data channel
 * message: the transport carries the engine's real traffic, addresses included, on either backend.
 */
class RtcOverUdpTransportTest {

    @ParameterizedTest
    @EnumSource(UdpBackend.class)
    void twoPeersConnectAndTalkOverRealSockets(UdpBackend backend) throws Exception {
        try (PacketPool pool = PacketPool.builder().build();
                Peer offerer = new Peer(backend, pool, 1);
                Peer answerer = new Peer(backend, pool, 2)) {
            SdpApi api = offerer.rtc.sdpApi();
            api.addChannel("chat");
            SdpApi.Offer offer = api.apply().orElseThrow();
            SdpAnswer answer = answerer.rtc.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
            offerer.rtc.acceptAnswer(offer.pending(), answer);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean said = false;
            while (answerer.messages.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail("no message within 30 s; offerer " + offerer.transport.stats() + ", answerer " + answerer.transport.stats());
                }
                offerer.turn();
                answerer.turn();
                if (!said && offerer.openChannel >= 0) {
                    offerer.rtc.channel(offerer.openChannel).writeText("hello over " + backend);
                    said = true;
                }
            }

            assertEquals("hello over " + backend, answerer.messages.getFirst());
            assertTrue(offerer.rtc.isConnected() && answerer.rtc.isConnected());
            assertEquals(0, offerer.transport.stats().totalDrops() + answerer.transport.stats().totalDrops());
        }
    }

    /** One peer: an Rtc, its socket, and one turn of a run loop at a time. */
    private static final class Peer implements AutoCloseable {
        final Rtc rtc;
        final UdpTransport transport;
        final PacketPool pool;
        final RecvBatch in;
        final SendBatch out = new SendBatch(64);
        final List<PacketBuffer> sending = new ArrayList<>();
        final InetSocketAddressCache addresses = new InetSocketAddressCache(64);
        final List<String> messages = new ArrayList<>();
        int openChannel = -1;
        long deadline;

        Peer(UdpBackend backend, PacketPool pool, long seed) throws Exception {
            this.transport = Loopback.open(backend, V4);
            this.pool = pool;
            this.in = new RecvBatch(pool, 16);
            this.rtc = Rtc.builder().randomSeed(seed).pool(pool).build();
            rtc.addLocalCandidate(Candidate.host(transport.localAddress()));
        }

        /** Drains the Rtc into one send batch, then receives what came (waiting a little) or fires its timer. */
        void turn() {
            while (true) {
                Output o = rtc.pollOutput();
                if (o instanceof Output.Timeout t) {
                    deadline = t.atNanos();
                    break;
                }
                if (o instanceof Output.Transmit x) {
                    // A Transmit is lent until the next call on the Rtc: copy it into a slot of its own to batch it.
                    if (out.isFull()) {
                        flush();
                    }
                    PacketBuffer slot = pool.acquire();
                    MemorySegment.copy(x.segment(), x.offset(), slot.segment(), 0, x.length());
                    sending.add(slot.length(x.length()));
                    out.add(slot, UdpAddress.of(x.destination()));
                } else if (o instanceof Event.ChannelOpen open) {
                    openChannel = open.id();
                } else if (o instanceof Event.ChannelData data) {
                    messages.add(new String(data.data(), StandardCharsets.UTF_8));
                }
            }
            flush();
            int n = transport.receive(in, TimeUnit.MILLISECONDS.toNanos(2));
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                rtc.handleReceive(now, addresses.get(in.source(i)), addresses.get(in.destination(i)), in.segment(i), 0, in.length(i));
            }
            if (now >= deadline) {
                rtc.handleTimeout(now);
            }
        }

        private void flush() {
            transport.send(out);
            sending.forEach(PacketBuffer::release);
            sending.clear();
        }

        @Override
        public void close() {
            rtc.disconnect();
            in.close();
            transport.close();
        }
    }
}
