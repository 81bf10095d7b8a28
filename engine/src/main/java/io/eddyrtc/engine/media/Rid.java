package io.eddyrtc.engine.media;

/**
 * A restriction identifier ({@code a=rid}, RFC 8851): names one simulcast encoding and travels in the
 * rid / repaired-rid RTP header extensions.
 */
public record Rid(String value) {
    public static final int MAX_LENGTH = 16;

    public Rid {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a rid must be 1 to " + MAX_LENGTH + " characters, was '" + value + "'");
        }
    }

    public static Rid of(String value) {
        return new Rid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
