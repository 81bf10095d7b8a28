package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecConfig;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecNegotiationTest {

    private static CodecParams h264(String params) {
        return CodecParams.of(Codec.H264, FormatParams.parse(params));
    }

    /** RFC 6184 §8.2.2: without level-asymmetry-allowed on both sides the answer states the lower level. */
    @Test
    void h264AnswerLevel() {
        CodecParams ours = h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        CodecParams theirsAsym = h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4de034");
        CodecParams theirsSym = h264("packetization-mode=1;profile-level-id=42e00d");
        assertEquals("4de01f", CodecNegotiation.answerSpec(ours, theirsAsym).params().get("profile-level-id"),
                "asymmetry: our own level, under the offerer's profile bytes");
        assertEquals("42e00d", CodecNegotiation.answerSpec(ours, theirsSym).params().get("profile-level-id"), "the lower level");
    }

    @Test
    void redAndUlpfecOnlyWhenConfigured() {
        SdpMedia video = SessionDescription.parse(Fixtures.read("chrome-offer-av-dc.sdp")).media().get(1);
        List<PayloadParams> offered = CodecNegotiation.remote(video);
        assertTrue(offered.stream().anyMatch(p -> p.codec() == Codec.RED && p.rtxPt() == 119), "RED and its RTX are recognised");
        assertTrue(offered.stream().anyMatch(p -> p.codec() == Codec.ULPFEC));
        CodecConfig plain = CodecConfig.withDefaults();
        assertTrue(CodecNegotiation.answer(plain, MediaKind.VIDEO, offered).stream().noneMatch(p -> p.codec().isRepair()));
        CodecConfig withFec = CodecConfig.withDefaults()
                .add(new PayloadParams(40, new CodecParams(Codec.RED, 90_000, 0, FormatParams.NONE), 41, List.of()))
                .add(new PayloadParams(42, new CodecParams(Codec.ULPFEC, 90_000, 0, FormatParams.NONE), -1, List.of()));
        List<PayloadParams> answered = CodecNegotiation.answer(withFec, MediaKind.VIDEO, offered);
        // Matched by format, answered under Chromium's numbers, not the configured 40/41 and 42.
        assertTrue(answered.stream().anyMatch(p -> p.codec() == Codec.RED && p.pt() == 118 && p.rtxPt() == 119));
        assertTrue(answered.stream().anyMatch(p -> p.codec() == Codec.ULPFEC && p.pt() == 120));
    }

    @Test
    void audioRedFollowsItsClockRate() {
        SdpMedia audio = SessionDescription.parse(Fixtures.read("chrome-offer-av-dc.sdp")).media().get(0);
        CodecConfig withRed = CodecConfig.withDefaults()
                .add(new PayloadParams(63, new CodecParams(Codec.RED, 48_000, 2, FormatParams.parse("111/111")), -1, List.of()));
        List<PayloadParams> answered = CodecNegotiation.answer(withRed, MediaKind.AUDIO, CodecNegotiation.remote(audio));
        assertEquals(List.of(111, 63), answered.stream().map(PayloadParams::pt).toList());
        assertTrue(CodecNegotiation.answer(withRed, MediaKind.VIDEO, CodecNegotiation.remote(audio)).isEmpty());
    }
}
