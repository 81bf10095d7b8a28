package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.CandidateType;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.TurnServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * eddy to eddy through a real TURN server, Debian's coturn on loopback: both peers relay-only (a browser's
 * {@code iceTransportPolicy: "relay"}), each allocating with coturn's long-term credentials, reaching it over UDP or
 * over TCP. Audio and a data channel flow through the relay; when the calls end, coturn's log shows both
 * allocations released (a Refresh with lifetime 0, then deleted) rather than left to time out.
 */
class CoturnRelayTest {
    static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "TURN_TCP"})
    void relayOnlyCallThroughCoturnCarriesMediaAndDataAndReleasesItsAllocations(Transport toServer) throws Exception {
        TurnServer server = new TurnServer(coturn.address, toServer, Coturn.USER, Coturn.PASSWORD);
        long allocatedBefore = coturn.count("ALLOCATE processed, success");
        long releasedBefore = coturn.count("lifetime=0");
        long deletedBefore = coturn.count(": delete: realm=");
        try (LoopbackPeer a = new LoopbackPeer("a", Rtc.builder().turnServer(server).relayOnly(true).build());
             LoopbackPeer b = new LoopbackPeer("b", Rtc.builder().turnServer(server).relayOnly(true).build())) {
            a.rtc.addLocalCandidate(Candidate.host(a.local()));
            b.rtc.addLocalCandidate(Candidate.host(b.local()));
            SdpApi api = a.rtc.sdpApi();
            Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
            api.addChannel("chat");
            SdpApi.Offer offer = api.apply().orElseThrow();
            SdpAnswer answer = b.rtc.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
            a.rtc.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));
            assertTrue(!offer.offer().toSdp().contains("typ host"), "relay-only: no host candidate is signalled");

            List<LoopbackPeer> peers = List.of(a, b);
            List<Candidate> trickled = new ArrayList<>();
            Runnable trickle = () -> {
                for (LoopbackPeer[] pair : new LoopbackPeer[][] {{a, b}, {b, a}}) {
                    for (Event.CandidateGathered g : pair[0].events(Event.CandidateGathered.class)) {
                        if (!trickled.contains(g.candidate())) {
                            trickled.add(g.candidate());
                            pair[1].rtc.addRemoteCandidate(Candidate.parse(g.candidate().toSdpString()));
                        }
                    }
                }
            };
            boolean connected = LoopbackPeer.run(peers, trickle, () -> a.rtc.isConnected() && b.rtc.isConnected(), Duration.ofSeconds(20));
            assertTrue(connected, () -> "not connected through coturn: " + a.events() + "\n" + b.events() + "\ncoturn:\n" + coturn.log());
            for (LoopbackPeer p : peers) {
                Event.SelectedPairChange pair = p.events(Event.SelectedPairChange.class).getLast();
                assertEquals(CandidateType.RELAYED, pair.local().type(), p.name + ": " + pair);
                assertEquals(CandidateType.RELAYED, pair.remote().type(), p.name + " reaches the other's relayed address: " + pair);
            }
            if (toServer == Transport.TURN_TCP) {
                assertEquals(1, a.connectionsOpened(), "one TCP connection to coturn");
            }

            // audio from a, a message each way on the channel
            assertTrue(LoopbackPeer.run(peers, () -> { }, () -> !a.events(Event.ChannelOpen.class).isEmpty()
                    && !b.events(Event.ChannelOpen.class).isEmpty(), Duration.ofSeconds(15)), "the channel opens through the relay");
            Media sound = a.rtc.media(audio.value());
            int pt = sound.payloadParams().stream().filter(p -> p.codec() == Codec.OPUS).map(PayloadParams::pt).findFirst().orElseThrow();
            MediaWriter opus = sound.writer(pt);
            int[] written = {0};
            long start = System.nanoTime();
            Runnable write = () -> {
                while (written[0] < 100 && System.nanoTime() - start >= 20_000_000L * written[0]) {
                    opus.write(System.nanoTime(), MediaTime.of(960L * written[0], 48_000), new byte[] {1, 2, 3, (byte) written[0]});
                    written[0]++;
                }
            };
            a.rtc.channel(a.events(Event.ChannelOpen.class).getFirst().id()).writeText("hello through coturn");
            b.rtc.channel(b.events(Event.ChannelOpen.class).getFirst().id()).writeText("and back");
            assertTrue(LoopbackPeer.run(peers, write, () -> written[0] == 100
                    && b.events(Event.MediaData.class).size() >= 95 && !b.events(Event.ChannelData.class).isEmpty()
                    && !a.events(Event.ChannelData.class).isEmpty(), Duration.ofSeconds(20)),
                    () -> "media and messages through coturn: " + b.events(Event.MediaData.class).size() + " frames");
            assertEquals("hello through coturn", b.events(Event.ChannelData.class).getFirst().text());
            assertEquals("and back", a.events(Event.ChannelData.class).getFirst().text());
            assertEquals(2, coturn.count("ALLOCATE processed, success") - allocatedBefore, "one allocation per peer");

            a.rtc.disconnect();
            b.rtc.disconnect();
            a.drain();
            b.drain();
            // the peers' sockets stay open until coturn has read the Refreshes: a TCP socket closed with relayed data
            // still unread in it is reset, and the reset throws away what coturn had not read yet
            coturn.waitForLog(log -> coturn.count("lifetime=0") - releasedBefore >= 2 && coturn.count(": delete: realm=") - deletedBefore >= 2,
                    Duration.ofSeconds(15), "both allocations released (a Refresh with lifetime 0) and deleted");
        }
    }
}
