package io.eddyrtc.engine.sdp;

import static io.eddyrtc.engine.sdp.Peers.drain;
import static io.eddyrtc.engine.sdp.Peers.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.Rid;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real judge of SDP: Debian's headless Chromium (through Playwright, pointed at /usr/bin/chromium)
 * applies eddy's offers and answers with setRemoteDescription, and eddy applies Chromium's. No
 * connection is made; this is about the descriptions only.
 */
class SdpChromiumTest {
    private static final List<String> FLAGS = List.of("--no-sandbox", "--headless=new", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--allow-loopback-in-peer-connection",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    /** Small helpers in the page; each returns a promise Playwright awaits. */
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>eddy sdp</title><script>
            let pc;
            async function media() { return navigator.mediaDevices.getUserMedia({audio: true, video: true}); }
            async function answer(offerSdp, addTracks) {
              if (!pc) pc = new RTCPeerConnection();
              await pc.setRemoteDescription({type: 'offer', sdp: offerSdp});
              if (addTracks) { for (const t of (await media()).getTracks()) pc.addTrack(t); }
              const a = await pc.createAnswer();
              await pc.setLocalDescription(a);
              return pc.localDescription.sdp;
            }
            async function offer(options) {
              if (!pc) {
                pc = new RTCPeerConnection();
                if (options.simulcast) {
                  const [v] = (await navigator.mediaDevices.getUserMedia({video: true})).getVideoTracks();
                  pc.addTransceiver(v, {direction: 'sendonly', sendEncodings: [
                    {rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
                } else {
                  for (const t of (await media()).getTracks()) pc.addTrack(t);
                  pc.createDataChannel('chat');
                }
                if (options.prefer) {
                  const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
                  const first = codecs.filter(c => c.mimeType === options.prefer);
                  for (const t of pc.getTransceivers().filter(t => t.receiver.track.kind === 'video')) {
                    t.setCodecPreferences([...first, ...codecs.filter(c => c.mimeType !== options.prefer)]);
                  }
                }
              }
              const o = await pc.createOffer({iceRestart: !!options.iceRestart});
              await pc.setLocalDescription(o);
              return pc.localDescription.sdp;
            }
            async function accept(answerSdp) {
              await pc.setRemoteDescription({type: 'answer', sdp: answerSdp});
              return pc.signalingState + ' ' + pc.getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(',');
            }
            function reset() { if (pc) pc.close(); pc = null; }
            </script>""";

    private static HttpServer server;
    private static Playwright playwright;
    private static Browser browser;
    private static Page page;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Path binary = Path.of(System.getenv().getOrDefault("EDDY_CHROMIUM", "/usr/bin/chromium"));
        if (!java.nio.file.Files.isExecutable(binary)) {
            throw new IllegalStateException("no Chromium at " + binary + ": install Debian's package (ci/prereqs.sh does) "
                    + "or point EDDY_CHROMIUM at a Chromium binary");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(binary).setArgs(FLAGS));
        page = browser.newPage();
        page.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static NegotiatedMedia media(SdpSession s, Mid mid) {
        return s.media().stream().filter(m -> m.mid().equals(mid)).findFirst().orElseThrow();
    }

    private static String js(String function, Object arg) {
        page.evaluate("reset()");
        return (String) page.evaluate(function, arg);
    }

    @Test
    void chromiumAnswersEddysOffersThroughRenegotiation() {
        page.evaluate("reset()");
        SdpSession eddy = Peers.session(40);
        SdpApi api = eddy.sdpApi();
        Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("chat");
        SdpApi.Offer o = api.apply().orElseThrow();
        String answer = (String) page.evaluate("([o, t]) => answer(o, t)", List.of(o.offer().toSdp(), true));
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp(answer));
        List<SdpChange> changes = drain(eddy);
        assertEquals(2, of(changes, SdpChange.MediaAdded.class).size(), changes.toString());
        assertEquals(1, of(changes, SdpChange.ChannelTransport.class).size());
        NegotiatedMedia v = eddy.media().get(1);
        assertEquals(video, v.mid());
        assertEquals(Direction.SEND_RECV, v.direction(), "Chromium added its tracks: " + answer);
        assertEquals(Codec.VP8, v.codecs().getFirst().codec());
        assertTrue(v.codecs().getFirst().hasRtx());
        assertFalse(v.receiveStreams().isEmpty());
        assertEquals(Codec.OPUS, eddy.media().get(0).codecs().getFirst().codec());
        assertEquals(audio, eddy.media().get(0).mid());

        // A second video, then stop it, then a new video that reuses the stopped m-line.
        api = eddy.sdpApi();
        Mid second = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        o = api.apply().orElseThrow();
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp((String) page.evaluate("o => answer(o, false)", o.offer().toSdp())));
        assertEquals(Direction.SEND_ONLY, media(eddy, second).direction());
        api = eddy.sdpApi();
        api.removeMedia(second);
        o = api.apply().orElseThrow();
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp((String) page.evaluate("o => answer(o, false)", o.offer().toSdp())));
        assertEquals(2, eddy.media().size());
        api = eddy.sdpApi();
        Mid third = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        o = api.apply().orElseThrow();
        assertEquals(4, o.offer().description().media().size(), "the stopped m-line is recycled");
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp((String) page.evaluate("o => answer(o, false)", o.offer().toSdp())));
        assertEquals(List.of(audio, video, third), eddy.media().stream().map(NegotiatedMedia::mid).toList());
        assertEquals(Direction.SEND_ONLY, media(eddy, third).direction(), "Chromium has no track for it");

        // An ICE restart from eddy.
        api = eddy.sdpApi();
        api.iceRestart();
        o = api.apply().orElseThrow();
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp((String) page.evaluate("o => answer(o, false)", o.offer().toSdp())));
        assertTrue(of(drain(eddy), SdpChange.Ice.class).getLast().restart());
    }

    @Test
    void eddyAnswersChromiumsOffers() {
        SdpSession eddy = Peers.session(41);
        String offer = js("o => offer(o)", Map.of());
        SdpAnswer answer = eddy.acceptOffer(SdpOffer.fromSdp(offer));
        String state = (String) page.evaluate("a => accept(a)", answer.toSdp());
        assertTrue(state.startsWith("stable 0:sendrecv,1:sendrecv"), state + "\n" + answer.toSdp());

        // Chromium renegotiates: an ICE restart, which eddy answers with new credentials.
        var before = eddy.localIceCredentials();
        answer = eddy.acceptOffer(SdpOffer.fromSdp((String) page.evaluate("o => offer(o)", Map.of("iceRestart", true))));
        assertTrue(((String) page.evaluate("a => accept(a)", answer.toSdp())).startsWith("stable"));
        assertFalse(before.equals(eddy.localIceCredentials()));

        // Now eddy renegotiates the session Chromium started: a video of its own, under Chromium's PTs.
        List<Integer> videoPts = eddy.media().get(1).codecs().stream().map(p -> p.pt()).toList();
        SdpApi api = eddy.sdpApi();
        Mid extra = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        SdpApi.Offer o = api.apply().orElseThrow();
        String chromiumAnswer = (String) page.evaluate("o => answer(o, false)", o.offer().toSdp());
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp(chromiumAnswer));
        NegotiatedMedia added = media(eddy, extra);
        assertEquals(Direction.SEND_ONLY, added.direction());
        assertTrue(videoPts.containsAll(added.codecs().stream().map(p -> p.pt()).toList()),
                "one PT table per session: " + videoPts + " vs " + added.codecs());
        assertEquals(videoPts, eddy.media().get(1).codecs().stream().map(p -> p.pt()).toList(), "the old video kept its PTs");
    }

    /** Chromium that prefers AV1 gets AV1: eddy's default codecs include it, as str0m's do. */
    @Test
    void eddyAnswersChromiumPreferringAv1WithAv1() {
        SdpSession eddy = Peers.session(44);
        SdpAnswer answer = eddy.acceptOffer(SdpOffer.fromSdp(js("o => offer(o)", Map.of("prefer", "video/AV1"))));
        String state = (String) page.evaluate("a => accept(a)", answer.toSdp());
        assertTrue(state.startsWith("stable 0:sendrecv,1:sendrecv"), state + "\n" + answer.toSdp());
        NegotiatedMedia video = eddy.media().get(1);
        assertEquals(Codec.AV1, video.codecs().getFirst().codec(), "the preferred codec first: " + video.codecs());
        assertTrue(video.codecs().getFirst().hasRtx());
    }

    @Test
    void eddyReceivesChromiumsSimulcast() {
        SdpSession eddy = Peers.session(42);
        SdpAnswer answer = eddy.acceptOffer(SdpOffer.fromSdp(js("o => offer(o)", Map.of("simulcast", true))));
        String state = (String) page.evaluate("a => accept(a)", answer.toSdp());
        assertTrue(state.startsWith("stable 0:sendonly"), state + "\n" + answer.toSdp());
        assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), eddy.media().getFirst().receiveRids());
    }

    /**
     * eddy offers three-rid simulcast. Chromium accepts receiving simulcast in SDP (answering
     * {@code a=simulcast:recv}) or drops it; either way eddy ends with the layers Chromium agreed to.
     */
    @Test
    void chromiumAnswersEddysSimulcastOffer() {
        page.evaluate("reset()");
        SdpSession eddy = Peers.session(43);
        List<Rid> rids = List.of(Rid.of("q"), Rid.of("h"), Rid.of("f"));
        SdpApi api = eddy.sdpApi();
        Mid v = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY, "stream", "track", rids);
        SdpApi.Offer o = api.apply().orElseThrow();
        String answer = (String) page.evaluate("([o, t]) => answer(o, t)", List.of(o.offer().toSdp(), false));
        eddy.acceptAnswer(o.pending(), SdpAnswer.fromSdp(answer));
        NegotiatedMedia m = media(eddy, v);
        assertEquals(Direction.SEND_ONLY, m.direction());
        SimulcastAttr sim = SessionDescription.parse(answer).media().getFirst().simulcast();
        List<Rid> agreed = sim == null ? List.of() : sim.recv();
        assertEquals(agreed, m.sendRids(), answer);
        assertEquals(Math.max(1, agreed.size()), m.sendStreams().size());
        System.out.println("Chromium " + browser.version() + " answered eddy's simulcast offer with rids " + agreed);
    }
}
