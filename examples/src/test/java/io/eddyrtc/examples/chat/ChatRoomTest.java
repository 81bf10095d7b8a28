package io.eddyrtc.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.JoiningPeer;
import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.net.PeerLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chat room's bookkeeping with eddy peers as members (no browser): who is offered what when a member
 * opens a second channel, publishes too much, or vanishes.
 */
class ChatRoomTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Pattern VIDEO_LINE = Pattern.compile("m=video [1-9]");

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /**
     * A member whose page opens two data channels gets each published track offered once: the second
     * ChannelOpen must not subscribe it to everything again (it did, and every later offer carried a copy).
     */
    @Test
    void aSecondChannelOpenDoesNotSubscribeTheMemberAgain() throws Exception {
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer camera = member(api -> api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY));
             JoiningPeer twoChannels = member(api -> api.addChannel("second"));
             JoiningPeer microphone = member(api -> api.addMedia(MediaKind.AUDIO, Direction.SEND_ONLY))) {
            join(camera, http, server);
            join(twoChannels, http, server);
            assertTrue(JoiningPeer.await(() -> twoChannels.channelsOpen() == 2 && !twoChannels.offersReceived().isEmpty(), BOUND),
                    "both channels open and the camera is offered: " + printed());
            join(microphone, http, server);
            assertTrue(JoiningPeer.await(() -> twoChannels.offersReceived().stream().anyMatch(o -> o.contains("m=audio")), BOUND),
                    "the microphone is offered too: " + printed());
            String withMicrophone = twoChannels.offersReceived().stream().filter(o -> o.contains("m=audio")).findFirst().orElseThrow();
            assertEquals(1, VIDEO_LINE.matcher(withMicrophone).results().count(), "the camera once, not once per channel: " + mLines(withMicrophone));
        }
    }

    /** A member that vanishes leaves the room after its consent runs out, and the others are offered its tracks' removal. */
    @Test
    void aMemberThatStopsAnsweringLeavesAndTheOthersAreOfferedItsRemoval() throws Exception {
        ServerOptions options = ServerOptions.loopback().withConsentTimeout(Duration.ofSeconds(2))
                .withLimits(PeerLimits.defaults().withDisconnectedTimeout(Duration.ofSeconds(1)));
        try (ChatServer server = ChatServer.start(options, log); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer camera = member(api -> api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY));
             JoiningPeer viewer = member(api -> { })) {
            join(camera, http, server);
            join(viewer, http, server);
            assertTrue(JoiningPeer.await(() -> viewer.connected() && viewer.offersReceived().size() == 1, BOUND),
                    "the viewer is offered the camera: " + printed());
            camera.stop();
            assertTrue(JoiningPeer.await(() -> server.members() == 1, BOUND), "the silent member is removed: " + printed());
            assertTrue(printed().contains("member 1 left"), printed());
            assertTrue(JoiningPeer.await(() -> viewer.offersReceived().size() == 2, BOUND), "the viewer is told: " + printed());
            String removal = viewer.offersReceived().get(1);
            assertTrue(removal.contains("m=video 0 "), "the camera's m-line is stopped (port 0): " + mLines(removal));
            assertEquals(0, VIDEO_LINE.matcher(removal).results().count(), mLines(removal));
        }
    }

    /** A member offering many cameras has the first four forwarded: what one member publishes is bounded. */
    @Test
    void whatOneMemberPublishesIsBounded() throws Exception {
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer cameras = member(api -> {
                 for (int i = 0; i < 6; i++) {
                     api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
                 }
             });
             JoiningPeer viewer = member(api -> { })) {
            join(cameras, http, server);
            join(viewer, http, server);
            assertTrue(JoiningPeer.await(() -> !viewer.offersReceived().isEmpty(), BOUND), printed());
            assertEquals(ChatServer.MAX_PUBLISHED_TRACKS, VIDEO_LINE.matcher(viewer.offersReceived().getLast()).results().count(),
                    mLines(viewer.offersReceived().getLast()));
            assertTrue(printed().contains("publishes more than 4 tracks"), printed());
        }
    }

    /**
     * Offers that never connect publish nothing: a camera that joins after three of them is offered to the
     * viewer alone, not with their three cameras. Were they published, a stream of such POSTs would grow every
     * member's renegotiation past what one data channel message carries, and the server would drop the members.
     */
    @Test
    void anOfferThatNeverConnectsPublishesNothing() throws Exception {
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer viewer = member(api -> { });
             JoiningPeer camera = member(api -> api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY))) {
            join(viewer, http, server);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, ExampleServer.post(http, server.url(), ExampleServer.candidateLessOffer()).statusCode(), printed());
            }
            join(camera, http, server);
            assertTrue(JoiningPeer.await(() -> !viewer.offersReceived().isEmpty(), BOUND), "the viewer is offered the camera: " + printed());
            assertEquals(1, VIDEO_LINE.matcher(viewer.offersReceived().getLast()).results().count(),
                    "the connected camera only: " + mLines(viewer.offersReceived().getLast()));
            assertEquals(1, viewer.offersReceived().size(), "one renegotiation: " + printed());
        }
    }

    /** A member is offered at most {@value ChatServer#MAX_SUBSCRIBED_TRACKS} tracks, whatever the room publishes. */
    @Test
    void whatOneMemberIsOfferedIsBounded() throws Exception {
        int publishers = ChatServer.MAX_SUBSCRIBED_TRACKS / ChatServer.MAX_PUBLISHED_TRACKS + 1;
        java.util.List<JoiningPeer> cameras = new java.util.ArrayList<>();
        try (ChatServer server = ChatServer.start(ServerOptions.loopback(), log); HttpClient http = HttpClient.newHttpClient();
             JoiningPeer viewer = member(api -> { })) {
            for (int p = 0; p < publishers; p++) {
                JoiningPeer camera = member(api -> {
                    for (int i = 0; i < ChatServer.MAX_PUBLISHED_TRACKS; i++) {
                        api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
                    }
                });
                cameras.add(camera);
                join(camera, http, server);
            }
            join(viewer, http, server);
            assertTrue(JoiningPeer.await(() -> !viewer.offersReceived().isEmpty(), BOUND), printed());
            assertEquals(ChatServer.MAX_SUBSCRIBED_TRACKS, VIDEO_LINE.matcher(viewer.offersReceived().getLast()).results().count(),
                    mLines(viewer.offersReceived().getLast()));
            assertTrue(printed().contains("receives " + ChatServer.MAX_SUBSCRIBED_TRACKS + " tracks already"), printed());
        } finally {
            for (JoiningPeer camera : cameras) {
                camera.close();
            }
        }
    }

    /** A member with a data channel (the chat's signalling) plus what {@code tracks} adds. */
    private static JoiningPeer member(Consumer<SdpApi> tracks) throws Exception {
        return new JoiningPeer(new InetSocketAddress("127.0.0.1", 0), api -> {
            api.addChannel("chat");
            tracks.accept(api);
        });
    }

    private void join(JoiningPeer peer, HttpClient http, ChatServer server) throws Exception {
        assertEquals(200, peer.join(http, server.url()).statusCode(), printed());
        assertTrue(JoiningPeer.await(() -> peer.connected() && peer.channelsOpen() >= 1, BOUND), "joined: " + printed());
    }

    /** The m-lines of an offer in JSON, for messages (a whole offer is pages long). */
    private static String mLines(String offerJson) {
        return Pattern.compile("m=[a-z]+ [0-9]+").matcher(offerJson).results().map(r -> r.group()).toList().toString();
    }

    private String printed() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }
}
