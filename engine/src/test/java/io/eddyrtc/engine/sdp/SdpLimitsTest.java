package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each cap of {@link SdpLimits}: a description at it parses, one past it is refused naming it. */
class SdpLimitsTest {
    static final String HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

    /** A description with {@code n} of what the cap counts. */
    static String description(String cap, int n) {
        StringBuilder b = new StringBuilder(HEAD);
        switch (cap) {
            case "maxMediaLines" -> b.append("m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n".repeat(n));
            case "maxFormatsPerMedia" -> {
                b.append("m=video 9 UDP/TLS/RTP/SAVPF");
                for (int i = 0; i < n; i++) {
                    b.append(' ').append(i % 128);
                }
                b.append("\r\n");
            }
            case "maxAttributesPerSection" -> b.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n").append("a=x-unknown\r\n".repeat(n));
            case "maxSsrcsPerMedia" -> {
                b.append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
                for (int i = 0; i < n; i++) {
                    b.append("a=ssrc:").append(1000 + i).append(" cname:x\r\n");
                    b.append("a=ssrc:").append(1000 + i).append(" msid:s t\r\n"); // a second line of the same SSRC counts once
                }
            }
            case "maxSsrcGroupsPerMedia" -> {
                b.append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
                for (int i = 0; i < n; i++) {
                    b.append("a=ssrc-group:FID ").append(1000 + 2 * i).append(' ').append(1001 + 2 * i).append("\r\n");
                }
            }
            case "maxRidsPerMedia" -> {
                b.append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
                for (int i = 0; i < n; i++) {
                    b.append("a=rid:r").append(i).append(" recv\r\n");
                }
            }
            default -> throw new IllegalArgumentException(cap);
        }
        return b.toString();
    }

    static Stream<Arguments> caps() {
        SdpLimits d = SdpLimits.defaults();
        return Stream.of(Arguments.of("maxMediaLines", d.maxMediaLines()), Arguments.of("maxFormatsPerMedia", d.maxFormatsPerMedia()),
                Arguments.of("maxAttributesPerSection", d.maxAttributesPerSection()),
                Arguments.of("maxSsrcsPerMedia", d.maxSsrcsPerMedia()),
                Arguments.of("maxSsrcGroupsPerMedia", d.maxSsrcGroupsPerMedia()), Arguments.of("maxRidsPerMedia", d.maxRidsPerMedia()));
    }

    @ParameterizedTest
    @MethodSource("caps")
    void atTheCapParsesAndPastItIsRefusedByName(String cap, int limit) {
        assertDoesNotThrow(() -> SessionDescription.parse(description(cap, limit)));
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(description(cap, limit + 1)));
        assertTrue(e.getMessage().contains("(SdpLimits." + cap + ")"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(limit + 1)), "says how many there were: " + e.getMessage());
    }

    @Test
    void theLengthIsCheckedBeforeTheTextIsRead() {
        int max = SdpLimits.defaults().maxLength();
        String text = HEAD + "a=x-pad:" + "p".repeat(max) + "\r\n";
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
        assertTrue(e.getMessage().contains("(SdpLimits.maxLength)"), e.getMessage());
        assertDoesNotThrow(() -> SessionDescription.parse(text, SdpLimits.defaults().withMaxLength(2 * max)));
    }

    /** A server's own limits apply to what its session accepts, whatever the description was parsed with. */
    @Test
    void aSessionAppliesItsConfiguredLimitsToWhatItAccepts() {
        SdpSession offerer = Peers.session(1);
        SdpApi api = offerer.sdpApi();
        api.addMedia(io.eddyrtc.engine.media.MediaKind.AUDIO, io.eddyrtc.engine.media.Direction.SEND_RECV);
        api.addMedia(io.eddyrtc.engine.media.MediaKind.VIDEO, io.eddyrtc.engine.media.Direction.SEND_RECV);
        SdpOffer offer = SdpOffer.fromSdp(api.apply().orElseThrow().offer().toSdp());

        SdpSession strict = Peers.session(2, new SdpConfig().limits(SdpLimits.defaults().withMaxMediaLines(1)));
        SdpParseException e = assertThrows(SdpParseException.class, () -> strict.acceptOffer(offer));
        assertTrue(e.getMessage().contains("(SdpLimits.maxMediaLines)"), e.getMessage());
        assertEquals(null, strict.pollChange(), "a refused offer changes nothing");
        assertDoesNotThrow(() -> Peers.session(3).acceptOffer(offer));
    }

    @Test
    void limitsBelowASmallDescriptionAreAMistake() {
        IntFunction<SdpLimits> media = SdpLimits.defaults()::withMaxMediaLines;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> media.apply(0));
        assertTrue(e.getMessage().contains("SdpLimits.defaults()"), e.getMessage());
    }

    /** A peer renegotiating in a loop with ever new candidates cannot grow the session: it remembers a bounded number. */
    @Test
    void candidatesRememberedAcrossReoffersAreBounded() {
        String chrome = Fixtures.read("chrome-offer-av-dc.sdp");
        SdpSession s = Peers.session(4);
        s.acceptOffer(SdpOffer.fromSdp(chrome));
        int passedOn = 0;
        for (SdpChange c : Peers.drain(s)) {
            passedOn += c instanceof SdpChange.RemoteCandidates r ? r.candidates().size() : 0;
        }
        for (int round = 0; round < 10; round++) {
            StringBuilder extra = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                extra.append("a=candidate:").append(round * 1000 + i).append(" 1 udp 2122260223 192.0.2.")
                        .append(round + 1).append(' ').append(10_000 + i).append(" typ host generation 0\r\n");
            }
            String reoffer = chrome.replaceFirst("a=mid:0\r\n", "a=mid:0\r\n" + extra);
            s.acceptOffer(SdpOffer.fromSdp(reoffer));
            for (SdpChange c : Peers.drain(s)) {
                passedOn += c instanceof SdpChange.RemoteCandidates r ? r.candidates().size() : 0;
            }
        }
        assertEquals(Negotiator.MAX_REMOTE_CANDIDATES, passedOn, "4,000 signalled, at most the bound remembered and passed to ICE");
    }
}
