package io.eddyrtc.examples.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.JoiningPeer;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.examples.httppost.ServerThreads;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.net.PeerLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of the issue "Hostile peers", each made on a running example server while a real browser call
 * runs on it, and each followed by the check that the call still flows: media arrives and data comes back.
 * The attacker is a {@link Stranger} (a loopback port of its own, sending hand-made datagrams), a stream of
 * HTTP offers, or a {@link ScriptedClient} that joined properly and then misbehaves inside its own SCTP
 * association. Every stranger sends from two places: a port no call uses, and a decoy address the browser's
 * offer names but the browser does not use.
 *
 * <p>One subclass per server says how a legitimate call joins it. Everything runs on loopback; waits are on
 * conditions with generous bounds.
 */
abstract class HostileClientTests {
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** What a loaded machine may add to a peer's timeout before the loop's turn removes it. */
    private static final Duration REAP_SLACK = Duration.ofSeconds(15);
    /** Retained heap allowed per 10,000-line offer: the peer's state, its SDP and the answer, with room for noise. */
    private static final long BYTES_PER_SSRC_OFFER = 4L << 20;

    static HeadlessChromium chromium;

    /** Which example server this class attacks. */
    abstract ExampleServer.Kind kind();

    /** A legitimate Chromium call on {@code server}; the first page's offer also names {@code decoy}. */
    abstract LegitimateCall joinLegitimateCall(ExampleServer server, InetSocketAddress decoy) throws Exception;

    /** Whether the server sends data channel messages back (http-post echoes; chat does not). */
    abstract boolean echoes();

    @BeforeAll
    static void launchChromium() {
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /**
     * A forged close_notify: the 15 bytes of a plaintext alert (epoch 0) from another port to the
     * server's, here with three sequence numbers, from a stranger's port and from the decoy address.
     */
    @Test
    void aForgedCloseNotifyDoesNotEndTheCall() throws Exception {
        try (ExampleServer server = kind().start(ServerOptions.loopback()); Stranger stranger = Stranger.open();
             Stranger decoy = Stranger.open()) {
            LegitimateCall call = joinLegitimateCall(server, decoy.address());
            call.assertFlowing("before the attack");
            for (Stranger from : List.of(stranger, decoy)) {
                for (long sequence : new long[] {0, 1, 0xFFFF_FFFF_FFFFL}) {
                    from.send(server.udpAddress(), ForgedDtls.closeNotify(sequence));
                }
            }
            call.assertFlowing("after forged close_notify alerts from a stranger's port and from the decoy address");
            assertEquals(call.members(), server.loop().size(), "nobody was removed:\n" + server.printed());
            assertEquals(0, server.loop().removed(), server.printed());
        }
    }

    /**
     * ClientHellos of epoch 0 from strangers: truncated, and a real Chromium's whole (two fragments), sent every
     * 5 ms from before the browser's offer until its call flows, and once more mid-call.
     */
    @Test
    void clientHellosFromStrangersBeforeAndDuringTheHandshakeChangeNothing() throws Exception {
        try (ExampleServer server = kind().start(ServerOptions.loopback()); Stranger stranger = Stranger.open();
             Stranger decoy = Stranger.open()) {
            byte[][] hello = ForgedDtls.chromiumClientHello();
            byte[] truncated = ForgedDtls.truncatedClientHello(100);
            AtomicBoolean stop = new AtomicBoolean();
            Thread attacker = Thread.ofPlatform().name("client-hello-attacker").start(() -> {
                try {
                    while (!stop.get()) {
                        for (Stranger from : List.of(stranger, decoy)) {
                            from.send(server.udpAddress(), truncated);
                            from.send(server.udpAddress(), hello);
                        }
                        Thread.sleep(5); // an attacker's pace, not a wait for anything
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            LegitimateCall call;
            try {
                call = joinLegitimateCall(server, decoy.address());
                call.assertFlowing("with ClientHellos from strangers arriving before and during its handshake");
            } finally {
                stop.set(true);
                attacker.join();
            }
            for (Stranger from : List.of(stranger, decoy)) {
                from.send(server.udpAddress(), truncated);
                from.send(server.udpAddress(), hello);
            }
            call.assertFlowing("after ClientHellos from strangers mid-call");
            assertEquals(call.members(), server.loop().size(), "no peer was made for a stranger:\n" + server.printed());
        }
    }

    /**
     * 200 offers without a candidate: every one is answered and holds a peer until the connect timeout removes
     * it, and then the server's members, platform threads and file descriptors are back where they were.
     */
    @Test
    void twoHundredOffersThatNeverConnectAreReapedWhileTheCallGoesOn() throws Exception {
        Duration connectTimeout = Duration.ofSeconds(5);
        ServerOptions options = ServerOptions.loopback()
                .withLimits(PeerLimits.defaults().withMaxPeers(250).withConnectTimeout(connectTimeout));
        try (ExampleServer server = kind().start(options); Stranger decoy = Stranger.open();
             HttpClient http = HttpClient.newHttpClient()) {
            LegitimateCall call = joinLegitimateCall(server, decoy.address());
            call.assertFlowing("before the attack");
            String offer = ExampleServer.candidateLessOffer();
            assertEquals(200, server.post(http, offer).statusCode()); // the HTTP server's connection and threads exist after this one
            Set<Thread> threadsBefore = ServerThreads.snapshot();
            long descriptorsBefore = openFileDescriptors();
            for (int i = 1; i < 200; i++) {
                HttpResponse<String> response = server.post(http, offer);
                assertEquals(200, response.statusCode(), response.body());
            }
            long lastOfferAt = System.nanoTime();
            call.assertFlowing("while 200 peers wait to be removed");
            Duration reapBound = connectTimeout.plus(REAP_SLACK);
            assertTrue(JoiningPeer.await(() -> server.loop().size() == call.members(), reapBound.minusNanos(System.nanoTime() - lastOfferAt)),
                    "the 200 are removed within the connect timeout (" + reapBound.toSeconds() + " s with the slack a busy machine needs): "
                    + server.loop().size() + " on the loop\n" + server.printed());
            assertEquals(200, server.loop().removed(), server.printed());
            assertEquals(List.of(), ServerThreads.startedSince(threadsBefore), "no thread per offer");
            assertTrue(JoiningPeer.await(() -> openFileDescriptors() <= descriptorsBefore, BOUND),
                    "no socket or file per offer: " + openFileDescriptors() + " descriptors open, " + descriptorsBefore + " before");
            call.assertFlowing("after the 200 were removed");
        }
    }

    /**
     * Three offers whose video m-line declares 10,000 SSRCs each (a=ssrc lines, under the 256 KiB body limit):
     * each is refused or accepted with bounded state, and the heap retained after them grows by at most a few
     * MiB per offer.
     */
    @Test
    void offersWithTenThousandSsrcLinesHoldBoundedMemory() throws Exception {
        String offer = withSsrcLines(ExampleServer.candidateLessOffer(), 10_000);
        assertTrue(offer.length() < SignalingServer.MAX_BODY_BYTES, "the offer fits the body limit: " + offer.length() + " bytes");
        try (ExampleServer server = kind().start(ServerOptions.loopback()); Stranger decoy = Stranger.open();
             HttpClient http = HttpClient.newHttpClient()) {
            LegitimateCall call = joinLegitimateCall(server, decoy.address());
            call.assertFlowing("before the attack");
            assertEquals(200, server.post(http, ExampleServer.candidateLessOffer()).statusCode()); // the HTTP side warmed up
            long before = retainedHeap();
            int offers = 3;
            StringBuilder answers = new StringBuilder();
            for (int i = 0; i < offers; i++) {
                HttpResponse<String> response = server.post(http, offer);
                assertTrue(response.statusCode() == 200 || response.statusCode() == 400, "answered or refused: "
                        + response.statusCode() + " " + response.body());
                answers.append(response.statusCode()).append(response.statusCode() == 200 ? "" : " " + response.body()).append('\n');
            }
            long grown = retainedHeap() - before;
            System.out.printf("%s: three offers with 10,000 a=ssrc lines: %s; retained heap grew %.1f MiB%n", kind(),
                    answers.toString().replace('\n', ';'), grown / 1048576.0);
            assertTrue(grown <= offers * BYTES_PER_SSRC_OFFER, "retained heap grew " + grown / 1024 + " KiB for " + offers
                    + " offers of 10,000 a=ssrc lines (at most " + BYTES_PER_SSRC_OFFER / 1024 + " KiB each); answers:\n" + answers);
            call.assertFlowing("after three offers with 10,000 a=ssrc lines");
        }
    }

    /**
     * A client that joined properly opens a channel, then sends DATA_CHANNEL_OPEN on its stream 50 more times:
     * none is answered (no second ACK reaches it), a channel opened after them still opens, and the first
     * channel still works.
     */
    @Test
    void fiftyDcepReOpensOnAnOpenChannelAreNotAnswered() throws Exception {
        try (ExampleServer server = kind().start(ServerOptions.loopback()); Stranger decoy = Stranger.open();
             HttpClient http = HttpClient.newHttpClient()) {
            LegitimateCall call = joinLegitimateCall(server, decoy.address());
            try (ScriptedClient attacker = joinWithOpenChannel(http, server)) {
                int id = attacker.opened().getFirst().id();
                for (int i = 0; i < 50; i++) {
                    String label = "again-" + i;
                    attacker.run(() -> attacker.sendDcepOpen(id, label));
                }
                int second = attacker.call(() -> attacker.openChannel("after"));
                assertTrue(JoiningPeer.await(() -> attacker.opened().size() >= 2, BOUND), "a channel opened after the 50 opens: "
                        + attacker.transcript() + "\n" + server.printed());
                assertEquals(List.of(id, second), attacker.opened().stream().map(o -> o.id()).toList(),
                        "the server acknowledged the two real OPENs and none of the 50 re-OPENs: " + attacker.transcript());
                if (echoes()) {
                    attacker.run(() -> attacker.sendText(id, "still the first channel"));
                    assertTrue(JoiningPeer.await(() -> attacker.messages().stream()
                            .anyMatch(m -> m.id() == id && m.text().equals("still the first channel")), BOUND),
                            "the first channel still echoes: " + attacker.transcript());
                }
                assertNull(attacker.failure());
                call.assertFlowing("after 50 DCEP re-OPENs from a scripted client");
            }
        }
    }

    /**
     * A client that joined properly floods the server with SCTP DATA chunks that carry no user data (1000
     * datagrams of 8 chunks, in real DTLS records under the right verification tag): its own association is
     * aborted, as RFC 9260 §6.2 says, and nobody else notices.
     */
    @Test
    void aZeroLengthDataFloodEndsOnlyTheFloodersAssociation() throws Exception {
        try (ExampleServer server = kind().start(ServerOptions.loopback()); Stranger decoy = Stranger.open();
             HttpClient http = HttpClient.newHttpClient()) {
            LegitimateCall call = joinLegitimateCall(server, decoy.address());
            try (ScriptedClient attacker = joinWithOpenChannel(http, server)) {
                int id = attacker.opened().getFirst().id();
                attacker.run(() -> attacker.floodZeroLengthData(1000, 8, id));
                assertTrue(JoiningPeer.await(() -> attacker.sctpClosed() != null, BOUND),
                        "the server aborts the flooder's association: " + attacker.transcript() + "\n" + server.printed());
                assertEquals("the peer aborted the association", attacker.sctpClosed().reason(), attacker.transcript());
                assertTrue(JoiningPeer.await(() -> server.printed().contains("the peer sent DATA without user data"), BOUND),
                        "the server says why the flooder's channels closed: " + server.printed());
                assertNull(attacker.failure());
                call.assertFlowing("after a flood of DATA chunks without user data");
            }
        }
    }

    /** A scripted client that joined {@code server} and opened one channel, which the server acknowledged. */
    private static ScriptedClient joinWithOpenChannel(HttpClient http, ExampleServer server) throws Exception {
        ScriptedClient client = ScriptedClient.join(http, server);
        try {
            assertTrue(JoiningPeer.await(client::connected, BOUND), "the scripted client connects: " + client.transcript()
                    + "\n" + server.printed());
            client.call(() -> client.openChannel("attacker"));
            assertTrue(JoiningPeer.await(() -> client.opened().size() == 1, BOUND), "the server acknowledges its OPEN: "
                    + client.transcript() + "\n" + server.printed());
            return client;
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** {@code offerJson} with {@code count} {@code a=ssrc} lines (SSRCs 1 to count) after the first m-line's {@code a=mid}. */
    static String withSsrcLines(String offerJson, int count) {
        int mid = offerJson.indexOf("a=mid:");
        int end = offerJson.indexOf("\\r\\n", mid) + 4;
        StringBuilder lines = new StringBuilder(count * 24);
        for (int ssrc = 1; ssrc <= count; ssrc++) {
            lines.append("a=ssrc:").append(ssrc).append(" cname:x\\r\\n");
        }
        return offerJson.substring(0, end) + lines + offerJson.substring(end);
    }

    /** Heap in use after full collections: what the JVM retains. */
    static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** File descriptors this JVM holds open (sockets among them). */
    static long openFileDescriptors() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }
}
