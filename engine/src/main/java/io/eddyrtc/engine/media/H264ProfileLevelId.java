package io.eddyrtc.engine.media;

import java.util.HexFormat;

/**
 * H.264's {@code profile-level-id} (RFC 6184 §8.1): profile_idc, profile-iop (constraint flags) and
 * level_idc. Two offers are the same codec when their profiles are equal — the level may differ
 * (and with {@code level-asymmetry-allowed} each side keeps its own). The profile is derived from
 * profile_idc and the constraint flags as libwebrtc does, so 42e01f and 4de01f are both Constrained
 * Baseline.
 */
public record H264ProfileLevelId(Profile profile, int profileIdc, int profileIop, int levelIdc) {

    /** The H.264 profiles browsers negotiate. */
    public enum Profile {
        CONSTRAINED_BASELINE, BASELINE, MAIN, CONSTRAINED_HIGH, HIGH, PREDICTIVE_HIGH_444
    }

    /** Constraint-flag patterns, most significant bit first: 'x' any, '1' set, '0' clear. */
    private record Pattern(int idc, String bits, Profile profile) {
        boolean matches(int idc, int iop) {
            if (idc != this.idc) {
                return false;
            }
            for (int i = 0; i < 8; i++) {
                int bit = (iop >> (7 - i)) & 1;
                char c = bits.charAt(i);
                if (c != 'x' && bit != c - '0') {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Pattern[] PATTERNS = {
        new Pattern(0x42, "x1xx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x4D, "1xxx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x58, "11xx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x42, "x0xx0000", Profile.BASELINE),
        new Pattern(0x58, "10xx0000", Profile.BASELINE),
        new Pattern(0x4D, "0x0x0000", Profile.MAIN),
        new Pattern(0x64, "00000000", Profile.HIGH),
        new Pattern(0x64, "00001100", Profile.CONSTRAINED_HIGH),
        new Pattern(0xF4, "00000000", Profile.PREDICTIVE_HIGH_444),
    };

    /** When the parameter is absent RFC 6184 §8.1 says Baseline level 1 (42000a); after PATTERNS, which it needs. */
    public static final H264ProfileLevelId DEFAULT = parse("42000a");

    /** Parses six hex digits; {@code null} when they are not a profile eddy recognises. */
    public static H264ProfileLevelId parse(String text) {
        if (text == null || text.length() != 6) {
            return null;
        }
        for (int i = 0; i < 6; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return null;
            }
        }
        byte[] b = HexFormat.of().parseHex(text);
        int idc = b[0] & 0xFF;
        int iop = b[1] & 0xFF;
        int level = b[2] & 0xFF;
        for (Pattern p : PATTERNS) {
            if (p.matches(idc, iop)) {
                return new H264ProfileLevelId(p.profile, idc, iop, level);
            }
        }
        return null;
    }

    /** The same profile at {@code levelIdc}. */
    public H264ProfileLevelId withLevel(int levelIdc) {
        return new H264ProfileLevelId(profile, profileIdc, profileIop, levelIdc);
    }

    /** Six lower-case hex digits, as browsers write it. */
    public String text() {
        return HexFormat.of().formatHex(new byte[] {(byte) profileIdc, (byte) profileIop, (byte) levelIdc});
    }
}
