package io.eddyrtc.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecParamsTest {

    private static CodecParams h264(String profileLevelId, String mode) {
        return CodecParams.of(Codec.H264, FormatParams.of("profile-level-id", profileLevelId, "packetization-mode", mode));
    }

    @Test
    void h264ProfilesAsLibwebrtcDerivesThem() {
        assertEquals(H264ProfileLevelId.Profile.CONSTRAINED_BASELINE, H264ProfileLevelId.parse("42e01f").profile());
        assertEquals(H264ProfileLevelId.Profile.CONSTRAINED_BASELINE, H264ProfileLevelId.parse("4de01f").profile());
        assertEquals(H264ProfileLevelId.Profile.BASELINE, H264ProfileLevelId.parse("42001f").profile());
        assertEquals(H264ProfileLevelId.Profile.MAIN, H264ProfileLevelId.parse("4d001f").profile());
        assertEquals(H264ProfileLevelId.Profile.HIGH, H264ProfileLevelId.parse("64001f").profile());
        assertEquals(H264ProfileLevelId.Profile.CONSTRAINED_HIGH, H264ProfileLevelId.parse("640c1f").profile());
        assertEquals(0x1f, H264ProfileLevelId.parse("42e01f").levelIdc());
        assertEquals("42e034", H264ProfileLevelId.parse("42e01f").withLevel(0x34).text());
        assertNull(H264ProfileLevelId.parse("zz0000"));
        assertNull(H264ProfileLevelId.parse("42e0"));
        assertNull(H264ProfileLevelId.parse("ff0000"), "an unknown profile matches nothing");
    }

    @Test
    void h264MatchesByProfileAndPacketizationModeNotLevel() {
        assertTrue(h264("42e01f", "1").matches(h264("42e034", "1")), "levels may differ");
        assertTrue(h264("42e01f", "1").matches(h264("4de01f", "1")), "both Constrained Baseline");
        assertFalse(h264("42e01f", "1").matches(h264("42e01f", "0")), "packetization-mode must match");
        assertFalse(h264("42e01f", "1").matches(h264("42001f", "1")), "Constrained Baseline is not Baseline");
        assertFalse(h264("42e01f", "1").matches(h264("64001f", "1")));
        assertTrue(CodecParams.of(Codec.H264, FormatParams.NONE).matches(h264("42000a", "0")), "absent means 42000a, mode 0");
    }

    @Test
    void otherCodecsMatchOnTheirProfileOnly() {
        CodecParams vp9p0 = CodecParams.of(Codec.VP9, FormatParams.of("profile-id", "0"));
        assertTrue(vp9p0.matches(CodecParams.of(Codec.VP9, FormatParams.parse("max-fs=12288;max-fr=60"))), "profile-id defaults to 0");
        assertFalse(vp9p0.matches(CodecParams.of(Codec.VP9, FormatParams.of("profile-id", "2"))));
        assertTrue(CodecParams.of(Codec.AV1, FormatParams.parse("level-idx=5;profile=0;tier=0")).matches(CodecParams.of(Codec.AV1, FormatParams.NONE)));
        assertFalse(CodecParams.of(Codec.AV1, FormatParams.of("profile", "1")).matches(CodecParams.of(Codec.AV1, FormatParams.NONE)));
        CodecParams opus = CodecParams.of(Codec.OPUS, FormatParams.parse("minptime=10;useinbandfec=1"));
        assertTrue(opus.matches(CodecParams.of(Codec.OPUS, FormatParams.parse("maxplaybackrate=48000;stereo=1"))));
        assertFalse(opus.matches(CodecParams.of(Codec.VP8, FormatParams.NONE)));
        CodecParams dtmf8k = new CodecParams(Codec.TELEPHONE_EVENT, 8000, 1, FormatParams.NONE);
        assertFalse(dtmf8k.matches(new CodecParams(Codec.TELEPHONE_EVENT, 48000, 1, FormatParams.NONE)), "clock rates must match");
        assertFalse(new CodecParams(Codec.PCMU, 8000, 2, FormatParams.NONE).matches(new CodecParams(Codec.PCMU, 8000, 1, FormatParams.NONE)));
        assertTrue(new CodecParams(Codec.PCMU, 8000, 0, FormatParams.NONE).matches(new CodecParams(Codec.PCMU, 8000, 1, FormatParams.NONE)),
                "no channel count means one");
    }

    @Test
    void formatParamsKeepOrderAndText() {
        FormatParams p = FormatParams.parse("minptime=10; useinbandfec=1;stereo=1");
        assertEquals("10", p.get("MINPTIME"));
        assertEquals(1, p.getLong("stereo", 0));
        assertEquals(7, p.getLong("missing", 7));
        assertEquals("minptime=10;useinbandfec=1;stereo=1", p.text());
        assertEquals("0-15", FormatParams.parse("0-15").text());
        assertEquals("minptime=20;useinbandfec=1;stereo=1", p.with("minptime", "20").text());
        assertEquals(FormatParams.NONE, FormatParams.parse(" "));
    }

    @Test
    void codecConfigDefaultsAndCollisions() {
        CodecConfig c = CodecConfig.withDefaults();
        assertEquals(111, c.forKind(MediaKind.AUDIO).getFirst().pt());
        assertEquals(Codec.VP8, c.forKind(MediaKind.VIDEO).getFirst().codec());
        assertEquals(11, c.forKind(MediaKind.VIDEO).size(), "VP8, seven H.264, two VP9, AV1");
        assertEquals(127, c.match(CodecParams.of(Codec.H264, FormatParams.parse("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"))).pt());
        assertEquals(45, c.match(CodecParams.of(Codec.AV1, FormatParams.parse("level-idx=5;profile=0;tier=0"))).pt(),
                "AV1 is on by default, as in str0m (Chromium offers it)");
        assertNull(c.match(CodecParams.of(Codec.H265, FormatParams.NONE)), "H.265 is off by default (no tier/level negotiation)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.add(CodecConfig.audio(96, Codec.PCMU)));
        assertTrue(e.getMessage().contains("pick unused numbers"), e.getMessage());
        c.add(CodecConfig.audio(0, Codec.PCMU)).add(CodecConfig.video(102, 103, Codec.H265, FormatParams.NONE));
        assertEquals(2, c.forKind(MediaKind.AUDIO).size());
        c.remove(Codec.H264);
        assertEquals(5, c.forKind(MediaKind.VIDEO).size());
    }
}
