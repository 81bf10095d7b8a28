package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.HttpPostServer;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.ice.Candidate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An eddy client with nothing but an active ICE-TCP candidate joins http-post's {@code --tcp} listener, as the
 * page does over HTTP: the whole call (checks, DTLS, SCTP) runs on the one connection it opens, and the data
 * channel's message comes back echoed.
 */
class EddyOverIceTcpTest {

    @Test
    void aTcpOnlyEddyClientJoinsHttpPostAndIsEchoed() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (HttpPostServer server = HttpPostServer.start(ServerOptions.loopback().withTcpPort(0), log);
             LoopbackPeer client = new LoopbackPeer("client", Rtc.builder().build());
             HttpClient http = HttpClient.newHttpClient()) {
            client.rtc.addLocalCandidate(Candidate.tcpActive(InetAddress.getLoopbackAddress()));
            SdpApi api = client.rtc.sdpApi();
            api.addChannel("eddy");
            SdpApi.Offer offer = api.apply().orElseThrow();
            HttpResponse<String> response = ExampleServer.post(http, server.url(), offer.offer().toJson());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("tcptype passive"), "the answer offers the passive candidate: " + response.body());
            client.rtc.acceptAnswer(offer.pending(), SdpAnswer.fromJson(response.body()));

            List<LoopbackPeer> peers = List.of(client);
            assertTrue(LoopbackPeer.run(peers, () -> { }, () -> !client.events(Event.ChannelOpen.class).isEmpty(), Duration.ofSeconds(20)),
                    () -> "not connected over TCP: " + client.events() + "\n" + logBytes);
            client.rtc.channel(client.events(Event.ChannelOpen.class).getFirst().id()).writeText("over tcp");
            assertTrue(LoopbackPeer.run(peers, () -> { }, () -> !client.events(Event.ChannelData.class).isEmpty(), Duration.ofSeconds(10)),
                    () -> "no echo: " + logBytes);
            assertEquals("over tcp", client.events(Event.ChannelData.class).getFirst().text());
            assertEquals(1, client.connectionsOpened(), "the one connection of the one TCP pair");
            assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("ICE path over tcp"), logBytes.toString(StandardCharsets.UTF_8));
            assertEquals(1, server.loop().tcp().connections(), server.loop().tcp().toString());
        }
    }
}
