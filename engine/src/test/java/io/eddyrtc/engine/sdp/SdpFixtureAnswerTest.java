package io.eddyrtc.engine.sdp;

import static io.eddyrtc.engine.sdp.Peers.drain;
import static io.eddyrtc.engine.sdp.Peers.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.RtpExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** eddy answering real browsers' offers. */
class SdpFixtureAnswerTest {

    static List<String> offers() {
        return Fixtures.offers();
    }

    @ParameterizedTest
    @MethodSource("offers")
    void everyOfferIsAnswered(String name) {
        SdpOffer offer = SdpOffer.fromSdp(Fixtures.read(name));
        SdpSession s = Peers.session(name.hashCode());
        SdpAnswer answer = s.acceptOffer(offer);
        SessionDescription a = SessionDescription.parse(answer.toSdp());
        assertEquals(answer.description(), a, "the answer round-trips");
        // The answer is one an offerer would accept: eddy's own checks for answers pass.
        RemoteTransport t = RemoteCheck.check(a, offer.description());
        assertEquals(s.localIceCredentials(), t.ice());
        assertEquals(Setup.ACTIVE, t.setup());
        assertEquals(offer.description().media().size(), a.media().size());
        List<SdpChange> changes = drain(s);
        assertEquals(1, of(changes, SdpChange.Ice.class).size(), name);
        assertEquals(1, of(changes, SdpChange.Dtls.class).size(), name);
        assertTrue(answer.toSdp().endsWith("\r\n") && !answer.toSdp().contains("\n\n"));
    }

    /**
     * Chromium's audio+video+data offer. What the answer must hold for Chromium to accept it (RFC 8829
     * §5.3.1, §5.10): each PT one Chromium offered, with the same rtpmap; extension ids as offered;
     * setup active (Chromium offered actpass); every accepted mid in the BUNDLE group; ICE and fingerprint.
     */
    @Test
    void answersChromiumAudioVideoData() {
        SdpOffer offer = SdpOffer.fromSdp(Fixtures.read("chrome-offer-av-dc.sdp"));
        SdpSession s = Peers.session(7);
        SessionDescription a = s.acceptOffer(offer).description();
        assertEquals(List.of(List.of("0", "1", "2")), a.bundleGroups());
        assertTrue(a.has("extmap-allow-mixed"), "Chromium offered mixed one/two-byte headers; we echo it");

        SdpMedia audio = a.media().get(0);
        // Only Opus is configured by default: RED (63) needs configuring, G.722/PCMU/PCMA/CN/telephone-event too.
        assertEquals(List.of("111"), audio.formats());
        assertEquals(new RtpMap(111, "opus", 48000, 2), audio.rtpMap(111));
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111));
        // All four audio extensions are configured for audio; ids are Chromium's.
        assertEquals(List.of("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid"), audio.extMaps().stream().map(ExtMap::value).toList());
        assertEquals(Direction.SEND_RECV, audio.direction());
        assertTrue(audio.has("rtcp-mux"));
        assertEquals(Setup.ACTIVE, audio.setup());

        SdpMedia video = a.media().get(1);
        // Chromium's PTs, in Chromium's order, each with its RTX: VP8; the six H.264 variants, matched by
        // profile (42001f Baseline, 42e01f Constrained Baseline, 4d001f Main) and packetization-mode; AV1
        // (profile 0); VP9 profiles 0 and 2. Not RED (118) or ULPFEC (120): not configured by default.
        assertEquals(List.of("96", "97", "102", "103", "104", "107", "108", "109", "114", "115", "116", "117", "39", "40",
                "45", "46", "98", "99", "100", "101"), video.formats());
        assertEquals("apt=102", video.fmtp(103));
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", video.fmtp(102));
        assertEquals("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f", video.fmtp(39));
        assertEquals("profile-id=2", video.fmtp(100));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), video.rtcpFb(96));
        // toffset, playout-delay, video-content-type, video-timing and color-space are not configured.
        assertEquals(List.of(2, 13, 3, 4, 10, 11), video.extMaps().stream().map(ExtMap::id).toList());
        assertEquals(1, video.ssrcGroups().size(), "we send video with RTX: one FID group");
        assertTrue(video.msid() != null);

        SdpMedia data = a.media().get(2);
        assertEquals("UDP/DTLS/SCTP", data.proto());
        assertEquals(5000, data.sctpPort());
        assertEquals(262144, data.maxMessageSize());

        List<SdpChange> changes = drain(s);
        SdpChange.Ice ice = of(changes, SdpChange.Ice.class).getFirst();
        assertEquals("mx75", ice.remote().ufrag());
        assertFalse(ice.controlling(), "the answerer of a full-ICE offer is controlled");
        // Only the BUNDLE tag's candidates: eight (UDP and TCP, four addresses) of audio's.
        SdpChange.RemoteCandidates cands = of(changes, SdpChange.RemoteCandidates.class).getFirst();
        assertEquals(offer.description().media().get(0).candidates().stream().map(c -> "candidate:" + c).toList(), cands.candidates());
        assertFalse(cands.endOfCandidates());
        // The texts are what the ICE module parses (the Rtc converts them; engine.sdp does not know ice).
        assertTrue(cands.candidates().stream().allMatch(c -> io.eddyrtc.ice.Candidate.tryParse(c) != null), cands.toString());
        SdpChange.Dtls dtls = of(changes, SdpChange.Dtls.class).getFirst();
        assertTrue(dtls.active());
        assertEquals(Fingerprint.parse("sha-256 95:EB:3C:19:56:1C:CF:B0:F1:3C:7A:95:A6:1E:93:52:A5:84:B6:B1:0B:E7:59:94:7C:D6:61:00:5E:D1:62:A2"),
                dtls.remoteFingerprint());
        NegotiatedMedia v = of(changes, SdpChange.MediaAdded.class).get(1).media();
        assertEquals(MediaKind.VIDEO, v.kind());
        assertEquals(new StreamIds(420872855L, 2067199910L, null), v.receiveStreams().getFirst());
        assertEquals(RtpExtension.TRANSPORT_WIDE_CC, v.extensions().lookup(3));
        assertEquals(RtpExtension.MID, v.extensions().lookup(4));
        PayloadParams vp8 = v.payload(97);
        assertEquals(Codec.VP8, vp8.codec());
        assertEquals(96, vp8.pt());
        SdpChange.ChannelTransport ct = of(changes, SdpChange.ChannelTransport.class).getFirst();
        assertEquals(new SdpChange.ChannelTransport(Mid.of("2"), 5000, 5000, 262144), ct);
    }

    @Test
    void answersChromiumSimulcastAsReceiver() {
        SdpSession s = Peers.session(8);
        SdpMedia video = s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-offer-simulcast.sdp"))).description().media().get(0);
        // RFC 8853 §5.3: the answerer reverses the directions: a=rid:x recv and simulcast:recv.
        assertEquals(Direction.RECV_ONLY, video.direction());
        assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), video.simulcast().recv());
        assertTrue(video.simulcast().send().isEmpty());
        assertTrue(video.rids().stream().noneMatch(RidAttr::send));
        assertTrue(video.extMaps().stream().anyMatch(e -> e.uri().equals(RtpExtension.RID.uri())));
        assertNull(video.msid(), "we do not send");
        NegotiatedMedia m = s.media().getFirst();
        assertEquals(List.of(Rid.of("q"), Rid.of("h"), Rid.of("f")), m.receiveRids());
    }

    @Test
    void answersFirefoxAndWerift() {
        SdpSession ff = Peers.session(9);
        SessionDescription a = ff.acceptOffer(SdpOffer.fromSdp(Fixtures.read("firefox-offer-av-dc.sdp"))).description();
        assertEquals(List.of("109"), a.media().get(0).formats());
        // Firefox's csrc-audio-level is unknown to eddy and dropped; the rest keep Firefox's ids.
        assertEquals(List.of(1, 3, 7), a.media().get(0).extMaps().stream().map(ExtMap::id).toList());
        assertEquals(List.of("120", "124", "121", "125", "99", "100"), a.media().get(1).formats(),
                "VP8, VP9 (profile 0 by default) and AV1, with RTX");
        // Firefox puts its fingerprint at session level.
        List<SdpChange> changes = drain(ff);
        assertEquals(Fingerprint.parse(SessionDescription.parse(Fixtures.read("firefox-offer-av-dc.sdp")).fingerprints().getFirst()),
                of(changes, SdpChange.Dtls.class).getFirst().remoteFingerprint());
        // Firefox lists RTCP (component 2) candidates too; with rtcp-mux only component 1 matters.
        SdpChange.RemoteCandidates cands = of(changes, SdpChange.RemoteCandidates.class).getFirst();
        assertEquals(4, cands.candidates().size(), cands.toString());
        assertTrue(cands.candidates().stream().allMatch(c -> io.eddyrtc.ice.Candidate.parse(c).component() == 1));
        assertTrue(cands.endOfCandidates());

        SdpSession w = Peers.session(10);
        a = w.acceptOffer(SdpOffer.fromSdp(Fixtures.read("werift-offer.sdp"))).description();
        assertEquals(List.of("96"), a.media().get(0).formats(), "werift's upper-case OPUS is Opus");
        assertEquals(List.of("98", "99", "100"), a.media().get(1).formats());
    }

    /** Chromium's own session: first offer, re-offer adding a video, ICE-restart offer, all to one eddy session. */
    @Test
    void followsChromiumThroughRenegotiationAndIceRestart() {
        SdpSession s = Peers.session(11);
        s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-offer-av-dc.sdp")));
        drain(s);
        var ice = s.localIceCredentials();
        SessionDescription a = s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-reoffer-add-video.sdp"))).description();
        assertEquals(4, a.media().size());
        assertEquals(List.of(List.of("0", "1", "2", "3")), a.bundleGroups());
        List<SdpChange> changes = drain(s);
        assertEquals(List.of(Mid.of("3")), of(changes, SdpChange.MediaAdded.class).stream().map(c -> c.media().mid()).toList());
        assertTrue(of(changes, SdpChange.MediaChanged.class).isEmpty(), "the first three m-lines are as before: " + changes);
        assertTrue(of(changes, SdpChange.Ice.class).isEmpty());
        assertTrue(of(changes, SdpChange.Dtls.class).isEmpty(), "same fingerprint, role kept");
        assertEquals(ice, s.localIceCredentials());

        s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-offer-ice-restart.sdp")));
        changes = drain(s);
        SdpChange.Ice restart = of(changes, SdpChange.Ice.class).getFirst();
        assertTrue(restart.restart());
        assertNotEquals(ice, s.localIceCredentials(), "the answerer of an ICE restart restarts too");
        assertEquals(s.localIceCredentials(), restart.local());
        assertFalse(of(changes, SdpChange.RemoteCandidates.class).getFirst().candidates().isEmpty());
        assertTrue(of(changes, SdpChange.Dtls.class).isEmpty());
    }

    /**
     * Chromium's answer, taken as the answer to an eddy offer with the same m-lines (audio 0, video 1,
     * data 2). Chromium answered a different offer, so its PTs only partly line up with ours: a PT counts
     * only where the number and the format both match what we offered, never the number alone.
     */
    @Test
    void acceptsChromiumAnswerByFormatNotNumber() {
        SdpSession s = Peers.session(12);
        SdpApi api = s.sdpApi();
        Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("chat");
        SdpApi.Offer o = api.apply().orElseThrow();
        s.acceptAnswer(o.pending(), SdpAnswer.fromSdp(Fixtures.read("chrome-answer-av-dc.sdp")));
        List<SdpChange> changes = drain(s);
        NegotiatedMedia v = s.media().get(1);
        assertEquals(video, v.mid());
        // 96 VP8, 108 (42e01f, mode 1), 45 AV1 and 98/100 VP9 match; Chromium's 114 is 42e01f mode 0 where
        // our 114 is High 64001f mode 1, so it is dropped although the number is one we offered.
        assertEquals(List.of(96, 108, 45, 98, 100), v.codecs().stream().map(PayloadParams::pt).toList());
        assertEquals(List.of(97, 109, 46, 99, 101), v.codecs().stream().map(PayloadParams::rtxPt).toList());
        assertEquals(Direction.SEND_RECV, v.direction());
        assertEquals(List.of(111), s.media().get(0).codecs().stream().map(PayloadParams::pt).toList());
        assertEquals(audio, s.media().get(0).mid());
        assertFalse(of(changes, SdpChange.Dtls.class).getFirst().active(), "Chromium answered active: we are the DTLS server");
        assertTrue(of(changes, SdpChange.Ice.class).getFirst().controlling());
        assertEquals(1, of(changes, SdpChange.ChannelTransport.class).size());
        assertEquals(1, v.receiveStreams().size());
    }

    @Test
    void configuredExtrasAreNegotiated() {
        SdpConfig config = new SdpConfig();
        config.codecs().add(io.eddyrtc.engine.media.CodecConfig.audio(0, Codec.PCMU))
                .add(io.eddyrtc.engine.media.CodecConfig.telephoneEvent(126, 8000))
                .add(new PayloadParams(40, new CodecParams(Codec.RED, 90_000, 0, FormatParams.NONE), 41, List.of()));
        config.extension(14, RtpExtension.TOFFSET, java.util.Set.of(MediaKind.VIDEO));
        SdpSession s = Peers.session(13, config);
        SessionDescription a = s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-offer-av-dc.sdp"))).description();
        assertEquals(List.of("111", "0", "126"), a.media().get(0).formats(), "telephone-event/8000, not /48000");
        assertTrue(a.media().get(1).formats().containsAll(List.of("118", "119")), "video RED under Chromium's numbers");
        assertEquals(14, a.media().get(1).extMaps().getFirst().id());
    }

    /**
     * Chromium offers m-lines it only sends on (its camera to a server, simulcast): eddy answers recvonly, and
     * when eddy later re-offers (a renegotiation from its side), those m-lines stay recvonly and carry no msid
     * or SSRC of ours, so the browser fires no {@code ontrack} for a track eddy never sends.
     */
    @Test
    void mlinesWeOnlyReceiveOnStayRecvonlyInOurReoffers() {
        String sendonly = Fixtures.read("chrome-offer-av-dc.sdp").replace("a=sendrecv", "a=sendonly");
        for (String text : List.of(sendonly, Fixtures.read("chrome-offer-simulcast.sdp"))) {
            SdpSession s = Peers.session(text.hashCode());
            SdpAnswer answer = s.acceptOffer(SdpOffer.fromSdp(text));
            List<SdpMedia> answered = answer.description().media().stream().filter(m -> !m.isApplication()).toList();
            assertTrue(answered.stream().allMatch(m -> m.direction() == Direction.RECV_ONLY), "answered recvonly");
            for (SdpMedia m : ourReoffer(s)) {
                assertEquals(Direction.RECV_ONLY, m.direction(), "mid " + m.mid() + " stays recvonly");
                assertNull(m.msid(), "mid " + m.mid() + " names no track of ours");
                assertTrue(m.ssrcs().isEmpty(), "mid " + m.mid() + " declares no SSRC of ours");
            }
        }
    }

    /** A line the peer sends and receives on is one eddy may send on: its re-offer keeps sendrecv with an msid. */
    @Test
    void mlinesThePeerReceivesOnStaySendrecvInOurReoffers() {
        SdpSession s = Peers.session(41);
        s.acceptOffer(SdpOffer.fromSdp(Fixtures.read("chrome-offer-av-dc.sdp")));
        for (SdpMedia m : ourReoffer(s)) {
            assertEquals(Direction.SEND_RECV, m.direction());
            assertTrue(m.msid() != null, "mid " + m.mid() + " carries our msid");
        }
    }

    /** The audio and video m-lines of the offer {@code s} makes next (an ICE restart, so there is one to make). */
    static List<SdpMedia> ourReoffer(SdpSession s) {
        drain(s);
        SdpApi api = s.sdpApi();
        api.iceRestart();
        return api.apply().orElseThrow().offer().description().media().stream().filter(m -> !m.isApplication()).toList();
    }
}
