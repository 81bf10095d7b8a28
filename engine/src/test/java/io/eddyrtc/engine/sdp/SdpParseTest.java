package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.Rid;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdpParseTest {

    static List<String> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureParsesAndRoundTrips(String name) {
        String text = Fixtures.read(name);
        SessionDescription sdp = SessionDescription.parse(text);
        assertFalse(sdp.media().isEmpty(), name);
        String written = sdp.toSdp();
        assertEquals(sdp, SessionDescription.parse(written), name + " parse → write → parse");
        // Browsers' own text is already in RFC order, so writing reproduces it byte for byte.
        assertEquals(text, written, name);
    }

    @Test
    void readsTheChromiumOffer() {
        SessionDescription sdp = SessionDescription.parse(Fixtures.read("chrome-offer-av-dc.sdp"));
        assertEquals(List.of(List.of("0", "1", "2")), sdp.bundleGroups());
        assertTrue(sdp.has("extmap-allow-mixed"));
        SdpMedia audio = sdp.media().get(0);
        assertEquals("audio", audio.type());
        assertEquals("0", audio.mid().value());
        assertEquals(Direction.SEND_RECV, audio.direction());
        assertEquals(new RtpMap(111, "opus", 48000, 2), audio.rtpMap(111));
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111));
        assertEquals(List.of("transport-cc"), audio.rtcpFb(111));
        assertEquals(8, audio.candidates().size());
        assertEquals("mx75", audio.iceUfrag());
        assertEquals(Setup.ACTPASS, audio.setup());
        assertEquals(new ExtMap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null), audio.extMaps().get(0));
        SdpMedia video = sdp.media().get(1);
        assertEquals(new SsrcGroup("FID", List.of(420872855L, 2067199910L)), video.ssrcGroups().get(0));
        assertEquals("b7d0f2d7-f4cd-4c9b-b497-d309b0c35316", video.msid().streamId());
        SdpMedia data = sdp.media().get(2);
        assertTrue(data.isApplication());
        assertEquals(5000, data.sctpPort());
        assertEquals(262144, data.maxMessageSize());
    }

    @Test
    void readsSimulcastAndRids() {
        SdpMedia video = SessionDescription.parse(Fixtures.read("chrome-offer-simulcast.sdp")).media().get(0);
        assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), video.simulcast().send());
        assertEquals(3, video.rids().size());
        assertTrue(video.rids().get(0).send());
        assertEquals(Direction.SEND_ONLY, video.direction());
    }

    @Test
    void readsFirefoxExtmapDirectionAndSessionLevelFingerprint() {
        SessionDescription sdp = SessionDescription.parse(Fixtures.read("firefox-offer-av-dc.sdp"));
        assertEquals(1, sdp.fingerprints().size());
        ExtMap csrc = sdp.media().get(0).extMaps().get(1);
        assertEquals(Direction.RECV_ONLY, csrc.direction());
        assertTrue(sdp.media().get(0).endOfCandidates());
    }

    @Test
    void unknownAttributesSurviveAndLfOnlyIsAccepted() {
        String text = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\na=x-custom:hello world\nm=audio 9 UDP/TLS/RTP/SAVPF 0\n"
                + "c=IN IP4 0.0.0.0\nb=AS:64\na=mid:a\na=x-flag\n";
        SessionDescription sdp = SessionDescription.parse(text);
        assertEquals("hello world", sdp.value("x-custom"));
        assertEquals("", sdp.media().get(0).value("x-flag"));
        assertEquals(List.of("AS:64"), sdp.media().get(0).bandwidths());
        assertEquals(text.replace("\n", "\r\n"), sdp.toSdp());
        assertNull(sdp.media().get(0).setup());
    }

    @Test
    void malformedLinesNameTheLine() {
        String base = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n";
        assertEquals(6, assertThrows(SdpParseException.class, () -> SessionDescription.parse(base + "a=rtpmap:x opus/48000\r\n")).line());
        assertEquals(6, assertThrows(SdpParseException.class, () -> SessionDescription.parse(base + "a=extmap:0 urn:x\r\n")).line());
        assertEquals(6, assertThrows(SdpParseException.class, () -> SessionDescription.parse(base + "a=mid:12345678901234567\r\n")).line());
        assertEquals(6, assertThrows(SdpParseException.class, () -> SessionDescription.parse(base + "a=fingerprint:sha-256 zz\r\n")).line());
        assertEquals(6, assertThrows(SdpParseException.class, () -> SessionDescription.parse(base + "garbage\r\n")).line());
        assertEquals(1, assertThrows(SdpParseException.class, () -> SessionDescription.parse("v=1\r\n")).line());
        assertEquals(0, assertThrows(SdpParseException.class, () -> SessionDescription.parse("")).line());
        assertEquals(2, assertThrows(SdpParseException.class, () -> SessionDescription.parse("v=0\r\nm=audio 9 RTP/AVP 0\r\n")).line());
    }

    @Test
    void jsonBothWays() {
        String text = Fixtures.read("chrome-offer-dc-only.sdp");
        SdpOffer offer = SdpOffer.fromSdp(text);
        String json = offer.toJson();
        assertTrue(json.startsWith("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n"));
        assertEquals(text, SdpOffer.fromJson(json).toSdp());
        assertEquals(text, SdpOffer.fromJson(" { \"sdp\" : " + SdpJson.quote(text) + ", \"type\":\"offer\", \"x\": null } ").toSdp());
        assertThrows(SdpParseException.class, () -> SdpAnswer.fromJson(json));
        assertThrows(SdpParseException.class, () -> SdpOffer.fromJson("{\"type\":\"offer\""));
        assertThrows(SdpParseException.class, () -> SdpOffer.fromJson("{\"type\":\"offer\",\"sdp\":\"\\q\"}"));
    }
}
