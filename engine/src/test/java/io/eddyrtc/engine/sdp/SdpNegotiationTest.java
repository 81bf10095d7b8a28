package io.eddyrtc.engine.sdp;

import static io.eddyrtc.engine.sdp.Peers.drain;
import static io.eddyrtc.engine.sdp.Peers.exchange;
import static io.eddyrtc.engine.sdp.Peers.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.RtpExtension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offer/answer between two eddy sessions. */
class SdpNegotiationTest {
    final SdpSession a = Peers.session(1);
    final SdpSession b = Peers.session(2);

    private static NegotiatedMedia media(SdpSession s, Mid mid) {
        return s.media().stream().filter(m -> m.mid().equals(mid)).findFirst().orElseThrow();
    }

    @Test
    void audioVideoAndDataChannel() {
        SdpApi api = a.sdpApi();
        Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("chat");
        exchange(a, api, b);

        List<SdpChange> ca = drain(a);
        List<SdpChange> cb = drain(b);
        SdpChange.Ice iceA = of(ca, SdpChange.Ice.class).getFirst();
        SdpChange.Ice iceB = of(cb, SdpChange.Ice.class).getFirst();
        assertTrue(iceA.controlling(), "the offerer controls");
        assertFalse(iceB.controlling());
        assertEquals(b.localIceCredentials(), iceA.remote());
        assertEquals(a.localIceCredentials(), iceB.remote());
        SdpChange.Dtls dtlsA = of(ca, SdpChange.Dtls.class).getFirst();
        SdpChange.Dtls dtlsB = of(cb, SdpChange.Dtls.class).getFirst();
        assertEquals(b.localFingerprint(), dtlsA.remoteFingerprint());
        assertEquals(a.localFingerprint(), dtlsB.remoteFingerprint());
        assertTrue(dtlsB.active(), "an actpass offer is answered active: the answerer is the DTLS client");
        assertFalse(dtlsA.active());

        assertEquals(2, of(ca, SdpChange.MediaAdded.class).size());
        assertEquals(2, of(cb, SdpChange.MediaAdded.class).size());
        assertEquals(1, of(ca, SdpChange.ChannelTransport.class).size());
        assertEquals(5000, of(cb, SdpChange.ChannelTransport.class).getFirst().remotePort());
        assertEquals(ChannelConfig.reliable("chat"), of(ca, SdpChange.OpenChannel.class).getFirst().channel());

        NegotiatedMedia va = media(a, video);
        NegotiatedMedia vb = media(b, video);
        assertEquals(Direction.SEND_RECV, va.direction());
        // Same PTs on both sides, VP8 first with its RTX, the answerer's SSRCs known to the offerer.
        assertEquals(va.codecs().stream().map(PayloadParams::pt).toList(), vb.codecs().stream().map(PayloadParams::pt).toList());
        assertEquals(Codec.VP8, va.codecs().getFirst().codec());
        assertEquals(97, va.codecs().getFirst().rtxPt());
        assertEquals(vb.sendStreams().getFirst().ssrc(), va.receiveStreams().getFirst().ssrc());
        assertEquals(vb.sendStreams().getFirst().rtxSsrc(), va.receiveStreams().getFirst().rtxSsrc());
        assertEquals(va.sendStreams().getFirst().ssrc(), vb.receiveStreams().getFirst().ssrc());
        assertEquals(vb.localMsid(), va.remoteMsid());
        assertEquals(4, va.extensions().idOf(RtpExtension.MID));
        assertEquals(4, vb.extensions().idOf(RtpExtension.MID));
        assertEquals(1, media(a, audio).extensions().idOf(RtpExtension.AUDIO_LEVEL));
        assertEquals(Codec.OPUS, media(b, audio).codecs().getFirst().codec());
        assertEquals(111, media(b, audio).codecs().getFirst().pt());
    }

    @Test
    void addSecondVideoRemoveItAndRecycleTheSlot() {
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        Mid v1 = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(a, api, b);
        drain(a);
        drain(b);
        long ssrc = media(a, v1).sendStreams().getFirst().ssrc();

        api = a.sdpApi();
        Mid v2 = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        exchange(a, api, b);
        assertEquals(List.of(v2), of(drain(b), SdpChange.MediaAdded.class).stream().map(c -> c.media().mid()).toList());
        assertEquals(Direction.RECV_ONLY, media(b, v2).direction());
        assertEquals(ssrc, media(a, v1).sendStreams().getFirst().ssrc(), "renegotiation keeps SSRCs");
        assertEquals(media(a, v1).codecs(), media(a, v2).codecs(), "one PT table per session");
        List<SdpChange> ca = drain(a);
        assertTrue(of(ca, SdpChange.MediaChanged.class).isEmpty(), "nothing changed for the old m-lines: " + ca);

        api = a.sdpApi();
        api.removeMedia(v2);
        SdpAnswer answer = exchange(a, api, b);
        assertEquals(0, answer.description().media().get(2).port());
        assertEquals(List.of(v2), of(drain(b), SdpChange.MediaStopped.class).stream().map(SdpChange.MediaStopped::mid).toList());
        assertEquals(List.of(v2), of(drain(a), SdpChange.MediaStopped.class).stream().map(SdpChange.MediaStopped::mid).toList());
        assertEquals(2, a.media().size());

        api = a.sdpApi();
        Mid v3 = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        SdpApi.Offer o = api.apply().orElseThrow();
        assertEquals(3, o.offer().description().media().size(), "the stopped slot is reused, not a fourth m-line");
        assertEquals(v3, o.offer().description().media().get(2).mid());
        assertNotEquals(v2, v3, "a recycled m-line gets a new mid");
        SdpAnswer recycled = b.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp()));
        a.acceptAnswer(o.pending(), recycled);
        assertEquals(List.of(v3), of(drain(b), SdpChange.MediaAdded.class).stream().map(c -> c.media().mid()).toList());
        assertEquals(Direction.SEND_RECV, media(a, v3).direction());
        assertEquals(List.of(v1, v3).size() + 1, a.media().size());
    }

    @Test
    void directionChangesBothWays() {
        SdpApi api = a.sdpApi();
        Mid v = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(a, api, b);
        drain(a);
        drain(b);
        api = a.sdpApi();
        api.setDirection(v, Direction.RECV_ONLY);
        exchange(a, api, b);
        assertEquals(Direction.RECV_ONLY, of(drain(a), SdpChange.MediaChanged.class).getFirst().media().direction());
        assertEquals(Direction.SEND_ONLY, of(drain(b), SdpChange.MediaChanged.class).getFirst().media().direction());
        // Now b re-offers: it stops sending too. A re-offer does not move the ICE roles.
        api = b.sdpApi();
        api.setDirection(v, Direction.INACTIVE);
        exchange(b, api, a);
        assertTrue(of(drain(b), SdpChange.Ice.class).isEmpty());
        assertTrue(of(drain(a), SdpChange.Ice.class).isEmpty());
        assertEquals(Direction.INACTIVE, media(a, v).direction());
        assertEquals(Direction.INACTIVE, media(b, v).direction());
        // And both want everything again.
        api = b.sdpApi();
        api.setDirection(v, Direction.SEND_RECV);
        exchange(b, api, a);
        assertEquals(Direction.RECV_ONLY, media(a, v).direction(), "a still only wants to receive");
        assertEquals(Direction.SEND_ONLY, media(b, v).direction());
    }

    @Test
    void nothingChangedMeansNoOffer() {
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        exchange(a, api, b);
        assertTrue(a.sdpApi().apply().isEmpty());
        api = a.sdpApi();
        api.addChannel("late");
        assertTrue(api.hasChanges(), "the first channel adds the data m-line");
        exchange(a, api, b);
        drain(a);
        api = a.sdpApi();
        api.addChannel("second");
        assertTrue(api.apply().isEmpty(), "a second channel needs no renegotiation");
        assertEquals("second", of(drain(a), SdpChange.OpenChannel.class).getFirst().channel().label());
    }

    @Test
    void iceRestartFromEitherSide() {
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        exchange(a, api, b);
        drain(a);
        drain(b);
        var oldA = a.localIceCredentials();
        var oldB = b.localIceCredentials();
        api = a.sdpApi();
        api.iceRestart();
        exchange(a, api, b);
        assertNotEquals(oldA, a.localIceCredentials());
        assertNotEquals(oldB, b.localIceCredentials(), "the answerer restarts too");
        SdpChange.Ice ia = of(drain(a), SdpChange.Ice.class).getFirst();
        SdpChange.Ice ib = of(drain(b), SdpChange.Ice.class).getFirst();
        assertTrue(ia.restart());
        assertTrue(ib.restart());
        assertEquals(b.localIceCredentials(), ia.remote());
        assertEquals(a.localIceCredentials(), ib.remote());
        assertTrue(ia.controlling());

        api = b.sdpApi();
        api.iceRestart();
        exchange(b, api, a);
        SdpChange.Ice ib2 = of(drain(b), SdpChange.Ice.class).getFirst();
        assertTrue(ib2.restart());
        assertTrue(ib2.controlling(), "the restarting offerer takes the controlling role");
        assertFalse(of(drain(a), SdpChange.Ice.class).getFirst().controlling());
    }

    @Test
    void simulcastWithThreeRids() {
        List<Rid> rids = List.of(Rid.of("q"), Rid.of("h"), Rid.of("f"));
        SdpApi api = a.sdpApi();
        Mid v = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY, "s", "t", rids);
        SdpApi.Offer o = api.apply().orElseThrow();
        SdpMedia offered = o.offer().description().media().getFirst();
        assertEquals(rids, offered.simulcast().send());
        assertEquals(3, offered.rids().size());
        SdpAnswer answer = b.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp()));
        assertEquals(rids, answer.description().media().getFirst().simulcast().recv());
        a.acceptAnswer(o.pending(), answer);
        NegotiatedMedia sent = media(a, v);
        assertEquals(rids, sent.sendRids());
        assertEquals(rids, sent.sendStreams().stream().map(StreamIds::rid).toList());
        assertEquals(3, sent.sendStreams().stream().map(StreamIds::ssrc).distinct().count());
        NegotiatedMedia received = media(b, v);
        assertEquals(rids, received.receiveRids());
        assertEquals(Direction.RECV_ONLY, received.direction());
        assertTrue(received.extensions().idOf(RtpExtension.RID) > 0);
        assertTrue(received.extensions().idOf(RtpExtension.REPAIRED_RID) > 0);
    }

    @Test
    void rollbackForgetsTheOffer() {
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        exchange(a, api, b);
        drain(a);
        api = a.sdpApi();
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        SdpApi.Offer o = api.apply().orElseThrow();
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> {
            SdpApi t = a.sdpApi();
            t.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
            t.apply();
        });
        assertTrue(busy.getMessage().contains("rollback(pending)"), busy.getMessage());
        assertThrows(IllegalStateException.class, () -> a.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp())));
        a.rollback(o.pending());
        assertTrue(a.pendingOffer().isEmpty());
        assertEquals(1, a.media().size());
        assertTrue(drain(a).isEmpty());
        assertThrows(IllegalStateException.class, () -> a.acceptAnswer(o.pending(), SdpAnswer.fromSdp(Fixtures.read("chrome-answer-av-dc.sdp"))));
        // After the rollback, the other side's offer can be taken (glare resolved).
        api = b.sdpApi();
        Mid v = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(b, api, a);
        assertEquals(v, media(a, v).mid());
    }

    @Test
    void renegotiationFromBothSidesKeepsEverythingStable() {
        SdpApi api = a.sdpApi();
        Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addChannel("c");
        exchange(a, api, b);
        NegotiatedMedia before = media(b, audio);
        api = b.sdpApi();
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(b, api, a);
        assertEquals(before, media(b, audio));
        api = a.sdpApi();
        Mid video2 = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(a, api, b);
        assertEquals(List.of(audio, video, video2), a.media().stream().map(NegotiatedMedia::mid).toList());
        assertEquals(List.of(audio, video, video2), b.media().stream().map(NegotiatedMedia::mid).toList());
        assertEquals(before, media(b, audio));
        assertEquals(3, java.util.stream.Stream.of(audio, video, video2).map(Mid::value).distinct().count());
    }

    @Test
    void iceLiteCandidatesAndTheStr0mShapedCalls() {
        SdpSession lite = Peers.session(50, new SdpConfig().iceLite(true));
        lite.setLocalCandidates(List.of("candidate:1 1 udp 2130706431 10.0.0.1 5000 typ host"), true);
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        SdpApi.Offer o = api.apply().orElseThrow();
        SdpAnswer answer = lite.sdpApi().acceptOffer(o.offer());
        assertTrue(answer.description().iceLite());
        assertEquals(List.of("1 1 udp 2130706431 10.0.0.1 5000 typ host"), answer.description().media().getFirst().candidates());
        assertTrue(answer.description().media().getFirst().endOfCandidates());
        a.sdpApi().acceptAnswer(o.pending(), SdpAnswer.fromJson(answer.toJson()));
        List<SdpChange> fromLite = drain(a);
        assertEquals(new SdpChange.RemoteCandidates(List.of("candidate:1 1 udp 2130706431 10.0.0.1 5000 typ host"), true),
                of(fromLite, SdpChange.RemoteCandidates.class).getFirst());
        SdpChange.Ice ice = of(fromLite, SdpChange.Ice.class).getFirst();
        assertTrue(ice.remoteLite());
        assertTrue(ice.controlling());
        assertFalse(of(drain(lite), SdpChange.Ice.class).getFirst().controlling(), "ICE-lite never controls");
        List<SdpChange> changes = drain(b);
        assertTrue(changes.isEmpty());

        // The lite side offers: the full peer answering still takes control (RFC 8445 §6.1.1).
        SdpSession full = Peers.session(51);
        api = lite.sdpApi();
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        o = api.apply().orElseThrow();
        SdpAnswer fromFull = full.acceptOffer(o.offer());
        assertTrue(of(drain(full), SdpChange.Ice.class).getFirst().controlling());
        lite.rollback(o.pending());
        assertTrue(fromFull.toSdp().contains("a=setup:active"));

        SdpApi changed = a.sdpApi();
        changed.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        SdpOffer theirs = o.offer();
        assertThrows(IllegalStateException.class, () -> changed.acceptOffer(theirs));
    }

    @Test
    void peerRecyclesAStoppedLine() {
        SdpApi api = a.sdpApi();
        Mid audio = api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(a, api, b);
        api = a.sdpApi();
        api.removeMedia(video);
        exchange(a, api, b);
        drain(a);
        drain(b);
        // b reuses the slot a stopped: a sees a new mid where the old one was, not a refusal.
        api = b.sdpApi();
        Mid again = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        SdpApi.Offer o = api.apply().orElseThrow();
        assertEquals(2, o.offer().description().media().size());
        SdpAnswer answer = a.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp()));
        b.acceptAnswer(o.pending(), answer);
        assertEquals(List.of(audio, again), a.media().stream().map(NegotiatedMedia::mid).toList());
        List<SdpChange> changes = drain(a);
        assertEquals(List.of(again), of(changes, SdpChange.MediaAdded.class).stream().map(c -> c.media().mid()).toList());
        assertTrue(of(changes, SdpChange.MediaStopped.class).isEmpty(), "the old line was already stopped");
    }

    @Test
    void tooManyMlinesAreRefused() {
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i <= SdpLimits.defaults().maxMediaLines(); i++) {
            b.append("m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n");
        }
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(b.toString()));
        assertTrue(e.getMessage().contains("(SdpLimits.maxMediaLines)"), e.getMessage());
    }

    /** Every extension eddy knows can be configured and negotiated, ids above 14 included (two-byte form). */
    @Test
    void allFourteenExtensions() {
        SdpConfig all = new SdpConfig();
        RtpExtension[] exts = RtpExtension.values();
        for (int i = 0; i < exts.length; i++) {
            all.removeExtension(exts[i]);
        }
        for (int i = 0; i < exts.length; i++) {
            all.extension(i < 13 ? i + 1 : 20 + i, exts[i], java.util.Set.of(MediaKind.VIDEO));
        }
        SdpSession x = Peers.session(60, all);
        SdpSession y = Peers.session(61, all);
        SdpApi api = x.sdpApi();
        Mid v = api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        exchange(x, api, y);
        for (SdpSession s : List.of(x, y)) {
            NegotiatedMedia m = media(s, v);
            for (int i = 0; i < exts.length; i++) {
                assertEquals(i < 13 ? i + 1 : 20 + i, m.extensions().idOf(exts[i]), exts[i].toString());
            }
            assertTrue(m.extensions().needsTwoByteForm());
        }
        // A peer with the default set keeps only the extensions both have, under the offered ids.
        SdpSession plain = Peers.session(62);
        SdpAnswer answer = plain.acceptOffer(SdpOffer.fromSdp(reoffer(x)));
        NegotiatedMedia m = plain.media().getFirst();
        assertEquals(RtpExtension.MID.ordinal() + 1, m.extensions().idOf(RtpExtension.MID));
        assertEquals(0, m.extensions().idOf(RtpExtension.TOFFSET), "not configured at the answerer");
        assertEquals(6, answer.description().media().getFirst().extMaps().size(), "the default video set");
    }

    private static String reoffer(SdpSession s) {
        SdpApi api = s.sdpApi();
        api.iceRestart();
        SdpApi.Offer o = api.apply().orElseThrow();
        s.rollback(o.pending());
        return o.offer().toSdp();
    }
}
