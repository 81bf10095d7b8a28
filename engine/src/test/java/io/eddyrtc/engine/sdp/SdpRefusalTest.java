package io.eddyrtc.engine.sdp;

import static io.eddyrtc.engine.sdp.Peers.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Descriptions that make no sense are refused with a reason, and leave the session as it was. */
class SdpRefusalTest {
    static final String CHROME = Fixtures.read("chrome-offer-av-dc.sdp");

    private static String without(String text, String prefix) {
        return text.lines().filter(l -> !l.startsWith(prefix)).collect(Collectors.joining("\r\n", "", "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no fingerprint        | a=fingerprint:             |                     | fingerprint",
        "no ICE ufrag          | a=ice-ufrag:               |                     | ice-ufrag",
        "no BUNDLE             | a=group:BUNDLE             |                     | BUNDLE",
        "no rtcp-mux           | a=rtcp-mux                 |                     | rtcp-mux",
        "no mids               | a=mid:                     |                     | mid",
        "plain RTP             | UDP/TLS/RTP/SAVPF          | RTP/AVP             | DTLS-SRTP",
        "duplicate mid         | a=mid:1                    | a=mid:0             | repeats mid",
        "partial bundle        | a=group:BUNDLE 0 1 2       | a=group:BUNDLE 0 1  | not in the BUNDLE",
        "old SCTP              | webrtc-datachannel         | 5000                | webrtc-datachannel",
        "holdconn              | a=setup:actpass            | a=setup:holdconn    | holdconn",
        "short password        | a=ice-pwd:aR8JuUgMl0QJ5Ii9V508aAg2 | a=ice-pwd:short | pwd",
    })
    void refusesOffer(String what, String find, String replace, String reason) {
        String mangled = replace == null ? without(CHROME, find) : CHROME.replace(find, replace);
        SdpSession s = Peers.session(what.hashCode());
        SdpParseException e = assertThrows(SdpParseException.class, () -> s.acceptOffer(SdpOffer.fromSdp(mangled)), what);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(drain(s).isEmpty(), "a refused offer changes nothing");
        assertTrue(s.media().isEmpty());
        // ... and the session still takes the real one.
        s.acceptOffer(SdpOffer.fromSdp(CHROME));
        assertEquals(2, s.media().size());
    }

    private record Round(SdpSession a, SdpSession b, SdpApi.Offer offer, String answer) {}

    private static Round round() {
        SdpSession a = Peers.session(21);
        SdpSession b = Peers.session(22);
        SdpApi api = a.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        SdpApi.Offer o = api.apply().orElseThrow();
        return new Round(a, b, o, b.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp())).toSdp());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong mid     | a=mid:1        | a=mid:7         | mid 7 where the offer has 1",
        "actpass       | a=setup:active | a=setup:actpass | active or passive",
        "kind swapped  | m=video        | m=audio         | answers an m=video",
        "no codec      | a=rtpmap:96 VP8/90000 | a=rtpmap:96 H265/90000 | none of the offered codecs",
    })
    void refusesAnswer(String what, String find, String replace, String reason) {
        Round r = round();
        String mangled = r.answer().replace(find, replace);
        if (what.equals("no codec")) {
            // Leave only PT 96 in the video m-line, now claiming a codec we did not offer under it.
            mangled = mangled.replaceAll("m=video 9 UDP/TLS/RTP/SAVPF [0-9 ]+", "m=video 9 UDP/TLS/RTP/SAVPF 96");
        }
        String answer = mangled;
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> r.a().acceptAnswer(r.offer().pending(), SdpAnswer.fromSdp(answer)), what);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(r.a().pendingOffer().isPresent(), "the offer stays pending");
        assertTrue(drain(r.a()).isEmpty());
        assertTrue(r.a().media().isEmpty());
        r.a().acceptAnswer(r.offer().pending(), SdpAnswer.fromSdp(r.answer()));
        assertEquals(2, r.a().media().size());
    }

    @Test
    void answerWithTooFewMlines() {
        Round r = round();
        String cut = r.answer().substring(0, r.answer().indexOf("m=video"));
        SdpParseException e = assertThrows(SdpParseException.class, () -> r.a().acceptAnswer(r.offer().pending(), SdpAnswer.fromSdp(cut)));
        assertTrue(e.getMessage().contains("1 m-lines, the offer 2"), e.getMessage());
    }

    @Test
    void reofferThatDropsOrReshufflesMlines() {
        SdpSession s = Peers.session(30);
        s.acceptOffer(SdpOffer.fromSdp(CHROME));
        drain(s);
        String dropped = CHROME.substring(0, CHROME.indexOf("m=application")).replace("BUNDLE 0 1 2", "BUNDLE 0 1");
        assertThrows(SdpParseException.class, () -> s.acceptOffer(SdpOffer.fromSdp(dropped)));
        String swapped = CHROME.replace("a=mid:1", "a=mid:X");
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> s.acceptOffer(SdpOffer.fromSdp(swapped.replace("BUNDLE 0 1 2", "BUNDLE 0 X 2"))));
        assertTrue(e.getMessage().contains("only stopped m-lines may be reused"), e.getMessage());
        assertTrue(drain(s).isEmpty());
        assertEquals(List.of("0", "1"), s.media().stream().map(m -> m.mid().value()).toList());
    }

    @Test
    void apiMisuseSaysWhatToDo() {
        SdpSession s = Peers.session(31);
        SdpApi empty = s.sdpApi();
        empty.iceRestart();
        assertTrue(assertThrows(IllegalStateException.class, empty::apply).getMessage().contains("addMedia or addChannel"));
        SdpApi api = s.sdpApi();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> api.setDirection(io.eddyrtc.engine.media.Mid.of("9"), Direction.SEND_ONLY));
        assertTrue(e.getMessage().contains("no live audio or video m-line with mid 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV, null, null, List.of(io.eddyrtc.engine.media.Rid.of("a"))));
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.apply();
        IllegalStateException used = assertThrows(IllegalStateException.class, api::iceRestart);
        assertTrue(used.getMessage().contains("sdpApi()"), used.getMessage());
    }

    @Test
    void aPeerStoppingTheDataChannelLineIsReported() {
        SdpSession s = Peers.session(32);
        s.acceptOffer(SdpOffer.fromSdp(CHROME));
        drain(s);
        String stopped = CHROME.replace("m=application 33856", "m=application 0").replace("BUNDLE 0 1 2", "BUNDLE 0 1");
        SdpAnswer answer = s.acceptOffer(SdpOffer.fromSdp(stopped));
        assertEquals(0, answer.description().media().get(2).port());
        assertEquals(List.of(new SdpChange.MediaStopped(io.eddyrtc.engine.media.Mid.of("2"))), drain(s));
    }

    /**
     * The fingerprint pins the peer's certificate for the whole call: a re-offer (or an answer to our re-offer)
     * that changes it is refused, with or without an ICE restart, since an Rtc keeps its one DTLS association.
     */
    @Test
    void aFingerprintThatChangesAfterTheFirstExchangeIsRefused() {
        SdpSession s = Peers.session(33);
        s.acceptOffer(SdpOffer.fromSdp(CHROME));
        drain(s);
        String fingerprint = "a=fingerprint:sha-256 95:EB:3C:19:56:1C:CF:B0:F1:3C:7A:95:A6:1E:93:52:A5:84:B6:B1:0B:E7:59:94:7C:D6:61:00:5E:D1:62:A2";
        assertTrue(CHROME.contains(fingerprint));
        String other = CHROME.replace(fingerprint, fingerprint.replace("95:EB", "00:11"));
        SdpParseException e = assertThrows(SdpParseException.class, () -> s.acceptOffer(SdpOffer.fromSdp(other)));
        assertTrue(e.getMessage().contains("fingerprint changed"), e.getMessage());
        String restart = other.replace("a=ice-ufrag:mx75", "a=ice-ufrag:zz99").replace("a=ice-pwd:aR8JuUgMl0QJ5Ii9V508aAg2",
                "a=ice-pwd:bbbbbbbbbbbbbbbbbbbbbbbb");
        e = assertThrows(SdpParseException.class, () -> s.acceptOffer(SdpOffer.fromSdp(restart)));
        assertTrue(e.getMessage().contains("fingerprint changed"), "an ICE restart does not change that: " + e.getMessage());
        assertTrue(drain(s).isEmpty(), "a refused offer changes nothing");
        s.acceptOffer(SdpOffer.fromSdp(CHROME)); // the same certificate renegotiates as before
    }

    @Test
    void anAnswerThatChangesTheFingerprintIsRefused() {
        Round r = round();
        r.a().acceptAnswer(r.offer().pending(), SdpAnswer.fromSdp(r.answer()));
        drain(r.a());
        SdpApi api = r.a().sdpApi();
        api.addChannel("late");
        SdpApi.Offer again = api.apply().orElseThrow();
        String answer = r.b().acceptOffer(SdpOffer.fromSdp(again.offer().toSdp())).toSdp();
        String line = answer.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow();
        String forged = answer.replace(line, line.substring(0, line.length() - 2) + (line.endsWith("00") ? "11" : "00"));
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> r.a().acceptAnswer(again.pending(), SdpAnswer.fromSdp(forged)));
        assertTrue(e.getMessage().contains("fingerprint changed"), e.getMessage());
        assertTrue(r.a().pendingOffer().isPresent(), "the offer stays pending");
    }

    /** A new m-line with the mid of a stopped one would be one m-line to everything keyed by mid: refused. */
    @Test
    void aNewMlineCannotTakeTheMidOfAStoppedOne() {
        SdpSession s = Peers.session(34);
        s.acceptOffer(SdpOffer.fromSdp(CHROME));
        String stopped = CHROME.replace("m=audio 57054", "m=audio 0").replace("BUNDLE 0 1 2", "BUNDLE 1 2");
        s.acceptOffer(SdpOffer.fromSdp(stopped));
        drain(s);
        String audio = CHROME.substring(CHROME.indexOf("m=audio"), CHROME.indexOf("m=video"));
        String reused = stopped.replaceFirst("a=mid:0\r\n", "").replace("BUNDLE 1 2", "BUNDLE 1 2 0")
                + audio.replace("m=audio 57054", "m=audio 9");
        SdpParseException e = assertThrows(SdpParseException.class, () -> s.acceptOffer(SdpOffer.fromSdp(reused)));
        assertTrue(e.getMessage().contains("needs a new mid"), e.getMessage());
        assertTrue(drain(s).isEmpty(), "a refused offer changes nothing");
        s.acceptOffer(SdpOffer.fromSdp(reused.replace("BUNDLE 1 2 0", "BUNDLE 1 2 9").replace("a=mid:0", "a=mid:9")));
        assertEquals(List.of("1", "9"), s.media().stream().map(m -> m.mid().value()).toList(), "a new mid is taken");
    }
}
