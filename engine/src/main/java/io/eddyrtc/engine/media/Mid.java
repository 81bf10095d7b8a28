package io.eddyrtc.engine.media;

/**
 * A media identification tag ({@code a=mid}, RFC 9143): names one m-line for the life of the session,
 * and is sent in the sdes:mid RTP header extension. At most 16 characters here, as str0m allows.
 */
public record Mid(String value) {
    public static final int MAX_LENGTH = 16;

    public Mid {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a mid must be 1 to " + MAX_LENGTH + " characters, was '" + value + "'");
        }
    }

    public static Mid of(String value) {
        return new Mid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
