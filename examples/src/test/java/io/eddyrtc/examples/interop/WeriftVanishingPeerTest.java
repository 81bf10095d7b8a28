package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.JoiningPeer;
import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.net.PeerLimits;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that vanishes is let go: werift (a separate WebRTC stack in its own Node.js process) joins an
 * example server by offer, connects ICE, DTLS and its data channel, and is then killed with SIGKILL — no
 * close, no goodbye. With the server's consent timeout shortened to 2 s and the disconnected timeout to 1 s,
 * its peer must be removed within a bound, and from then on not one datagram may go to its port, which a
 * socket of the test takes over to listen.
 */
class WeriftVanishingPeerTest {
    private static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DISCONNECTED_TIMEOUT = Duration.ofSeconds(1);
    /** Consent lost, then disconnected long enough, with room for a busy machine. */
    private static final Duration REMOVAL_BOUND = CONSENT_TIMEOUT.plus(DISCONNECTED_TIMEOUT).plusSeconds(12);
    /** How long the dead port is watched after the removal: several consent intervals (a third of the timeout). */
    private static final Duration WATCH = Duration.ofSeconds(4);
    private static final Pattern LOOPBACK_CANDIDATE = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host");

    @ParameterizedTest
    @EnumSource(ExampleServer.Kind.class)
    void aKilledWeriftPeerIsRemovedAndNothingMoreIsSentToItsPort(ExampleServer.Kind kind) throws Exception {
        ServerOptions options = ServerOptions.loopback().withConsentTimeout(CONSENT_TIMEOUT)
                .withLimits(PeerLimits.defaults().withDisconnectedTimeout(DISCONNECTED_TIMEOUT));
        try (ExampleServer server = kind.start(options); HttpClient http = HttpClient.newHttpClient();
             WeriftPeer werift = WeriftPeer.start("offer")) {
            String offer = werift.await(l -> l.contains("\"type\":\"offer\""), Duration.ofSeconds(15));
            HttpResponse<String> answer = server.post(http, offer);
            assertEquals(200, answer.statusCode(), answer.body());
            werift.send(answer.body());
            werift.await(l -> l.contains("\"event\":\"channelOpen\""), Duration.ofSeconds(20));
            assertTrue(JoiningPeer.await(() -> server.printed().contains("connected"), Duration.ofSeconds(20)), server.printed());
            assertEquals(1, server.loop().size());
            Matcher candidate = LOOPBACK_CANDIDATE.matcher(Json.string(offer, "sdp"));
            assertTrue(candidate.find(), "werift's offer has its loopback candidate, the one it uses: " + offer);
            InetSocketAddress weriftAddress = new InetSocketAddress("127.0.0.1", Integer.parseInt(candidate.group(1)));

            werift.kill();
            long killedAt = System.nanoTime();
            try (DatagramSocket deadPort = bindWhenFree(weriftAddress)) {
                assertTrue(JoiningPeer.await(() -> server.loop().size() == 0, REMOVAL_BOUND),
                        "the killed peer is removed within " + REMOVAL_BOUND.toSeconds() + " s:\n" + server.printed());
                long removedAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
                assertTrue(server.printed().matches("(?s).*(removed|left): ICE (disconnected|failed).*"), server.printed());
                int beforeRemoval = drain(deadPort);
                int afterRemoval = receiveFor(deadPort, WATCH);
                System.out.printf("%s: werift killed; removed after %d ms; %d datagrams reached its port until then, %d in the"
                        + " %d s after%n%s", kind, removedAfterMillis, beforeRemoval, afterRemoval, WATCH.toSeconds(), server.printed());
                assertTrue(beforeRemoval > 0, "the dead port heard the server's consent checks while the peer was still kept, so"
                        + " the listener would hear anything sent later too");
                assertEquals(0, afterRemoval, "nothing is sent to the dead peer's port once it is removed");
            }
        }
    }

    /** Takes over {@code address} once the killed process's socket is gone (10 s bound). */
    private static DatagramSocket bindWhenFree(InetSocketAddress address) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return new DatagramSocket(address);
            } catch (BindException busy) {
                if (System.nanoTime() > giveUp) {
                    throw busy;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Datagrams already waiting on {@code socket}. */
    private static int drain(DatagramSocket socket) throws IOException {
        return receiveFor(socket, Duration.ofMillis(1));
    }

    /** Datagrams that arrive on {@code socket} within {@code window}. */
    private static int receiveFor(DatagramSocket socket, Duration window) throws IOException {
        int count = 0;
        long end = System.nanoTime() + window.toNanos();
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        while (true) {
            long leftMillis = (end - System.nanoTime()) / 1_000_000;
            socket.setSoTimeout((int) Math.max(1, leftMillis));
            try {
                socket.receive(packet);
                count++;
            } catch (SocketTimeoutException quiet) {
                if (System.nanoTime() >= end) {
                    return count;
                }
            }
        }
    }
}
