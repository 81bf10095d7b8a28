package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.IceCredentials;

import java.util.Set;
import java.util.random.RandomGenerator;

/** The random values a session invents: SSRCs, ICE credentials, msid ids, session id. Seeded by the caller. */
final class LocalIds {
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final RandomGenerator random;

    LocalIds(RandomGenerator random) {
        this.random = random;
    }

    /** A non-zero SSRC not in {@code used}. */
    long ssrc(Set<Long> used) {
        while (true) {
            long s = random.nextLong(1, 1L << 32);
            if (used.add(s)) {
                return s;
            }
        }
    }

    /** RFC 8839 §5.4: ufrag at least 4 and pwd at least 22 ice-chars; we use 8 and 24 like str0m. */
    IceCredentials iceCredentials() {
        return new IceCredentials(text(ICE_CHARS.substring(0, 62), 8), text(ICE_CHARS, 24));
    }

    String id(int length) {
        return text(ID_CHARS, length);
    }

    long sessionId() {
        return random.nextLong(1, Long.MAX_VALUE);
    }

    private String text(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
