package io.eddyrtc.examples.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.net.UdpPollSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code ./eddy sfu} picks each player's simulcast layer by the player's own estimate, without a browser: an eddy
 * {@code Rtc} publishes three layers (150, 500 and 1 500 kbit/s) by WHIP; two play by WHEP, one of them behind a
 * {@link #HELD_BPS} bottleneck on its way in (a {@link TokenBucketLink} between its socket and its {@code Rtc}). The
 * free player gets the top layer, the held one the lowest, without a gap of a second between frames; once the
 * bottleneck is lifted, the held one switches up. The waits are on conditions with generous bounds (the machine may
 * be busy), driven by this thread, which runs the three clients; the times they took are printed.
 */
class SfuSimulcastTest {
    /** Room for the lowest layer and audio, not for the middle layer. */
    private static final long HELD_BPS = 350_000;
    private static final Duration BOUND = Duration.ofSeconds(40);
    /** How long the held player is watched behind the bottleneck. */
    private static final Duration WATCH = Duration.ofSeconds(8);
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void eachPlayerGetsTheLayerItsPathHoldsAndTheHeldOneSwitchesUpWhenFreed() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
        TokenBucketLink bottleneck = new TokenBucketLink();
        bottleneck.setRate(System.nanoTime(), HELD_BPS);
        try (SfuServer sfu = SfuServer.start(new SfuOptions(ServerOptions.loopback(), null),
                     new PrintStream(logBytes, true, StandardCharsets.UTF_8));
             SimulcastPeer publisher = new SimulcastPeer(SimulcastPeer.Role.PUBLISH, certificate, null);
             SimulcastPeer free = new SimulcastPeer(SimulcastPeer.Role.PLAY, certificate, null);
             SimulcastPeer held = new SimulcastPeer(SimulcastPeer.Role.PLAY, certificate, bottleneck);
             UdpPollSet sockets = new UdpPollSet(3)) {
            List<SimulcastPeer> peers = List.of(publisher, free, held);
            for (SimulcastPeer p : peers) {
                sockets.add(p.transport);
            }
            join(publisher, sfu.url() + "/whip/room");
            join(free, sfu.url() + "/whep/room");
            join(held, sfu.url() + "/whep/room");
            Clients clients = new Clients(peers, sockets);

            long start = System.nanoTime();
            boolean settled = clients.runUntil(BOUND, () -> free.layer == 2 && held.layer == 0 && held.videoFramesReceived >= 30);
            assertTrue(settled, "the free player gets the top layer, the held one the lowest: " + state(free, held, bottleneck));
            String settledAfter = seconds(start);

            long watch = System.nanoTime();
            held.countLayersFromNow(watch);
            free.countLayersFromNow(watch);
            clients.runUntil(WATCH, () -> false); // watched for the whole time: nothing ends it early
            long watched = System.nanoTime();
            assertEquals(0, held.framesPerLayer[1] + held.framesPerLayer[2], "behind the bottleneck, only the lowest layer: "
                    + state(free, held, bottleneck));
            assertTrue(held.framesPerLayer[0] >= 30 * WATCH.toSeconds() / 2, "the lowest layer goes on: " + state(free, held, bottleneck));
            assertTrue(held.longestGap(watched) < SECOND, "no second without a frame behind the bottleneck: " + state(free, held, bottleneck));
            assertTrue(free.framesPerLayer[2] >= 30 * WATCH.toSeconds() / 2, "the free player stays on the top layer: "
                    + state(free, held, bottleneck));
            long audio = held.audioFramesReceived;
            String whileHeld = "frames per layer " + Arrays.toString(held.framesPerLayer) + ", longest gap "
                    + held.longestGap(watched) / 1_000_000 + " ms, " + bottleneck.dropped() + " datagrams dropped at the bottleneck";

            bottleneck.setRate(System.nanoTime(), 0);
            long lifted = System.nanoTime();
            boolean up = clients.runUntil(BOUND, () -> held.layer >= 1);
            assertTrue(up, "lifted, the held player switches up: " + state(free, held, bottleneck));
            assertTrue(held.audioFramesReceived > audio, "audio went on all along");
            System.out.println("sfu simulcast: free on the top layer and held on the lowest after " + settledAfter + "; held for "
                    + WATCH.toSeconds() + " s: " + whileHeld + "; switched up to layer " + held.layer + " " + seconds(lifted) + " after the bottleneck was lifted; "
                    + publisher.keyframeRequests + " keyframe requests reached the publisher");
        }
    }

    /** POSTs the client's offer to {@code endpoint} and gives it the answer. */
    private void join(SimulcastPeer peer, String endpoint) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", WhipServer.SDP).POST(HttpRequest.BodyPublishers.ofString(peer.offer())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        peer.accept(response.body());
    }

    /** Drives the clients on this thread: waits on their sockets until one has something, a timer or a frame is due. */
    private record Clients(List<SimulcastPeer> peers, UdpPollSet sockets) {
        boolean runUntil(Duration bound, BooleanSupplier condition) {
            long giveUp = System.nanoTime() + bound.toNanos();
            while (System.nanoTime() < giveUp) {
                long now = System.nanoTime();
                long next = now + 5_000_000L;
                for (SimulcastPeer p : peers) {
                    p.turn(now);
                    next = Math.min(next, p.nextAt(now));
                }
                if (condition.getAsBoolean()) {
                    return true;
                }
                sockets.await(Math.max(0, next - System.nanoTime()));
            }
            return false;
        }
    }

    private String state(SimulcastPeer free, SimulcastPeer held, TokenBucketLink bottleneck) {
        return "free on layer " + free.layer + " (" + free.videoFramesReceived + " frames, per layer " + Arrays.toString(free.framesPerLayer)
                + "), held on layer " + held.layer + " (" + held.videoFramesReceived + " frames, per layer "
                + Arrays.toString(held.framesPerLayer) + ", " + held.audioFramesReceived + " audio frames), " + bottleneck.dropped()
                + " dropped at the bottleneck\n" + logBytes.toString(StandardCharsets.UTF_8);
    }

    private static String seconds(long since) {
        return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
    }
}
