package io.eddyrtc.engine.sdp;

/** Number parsing for SDP fields that reports a bad field as an {@link SdpParseException}, never anything else. */
final class Tokens {
    private Tokens() {
    }

    static SdpParseException bad(String problem) {
        return new SdpParseException(0, problem);
    }

    /** A decimal integer within [min, max]; {@code what} names the field in the error. */
    static long number(String text, long min, long max, String what) {
        if (text == null || text.isEmpty() || text.length() > 19) {
            throw bad(what + " '" + text + "' is not a number");
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(what + " '" + text + "' is not a number");
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                throw bad(what + " " + text + " is above " + max);
            }
        }
        if (v < min) {
            throw bad(what + " " + text + " is below " + min);
        }
        return v;
    }

    static int payloadType(String text) {
        return (int) number(text, 0, 127, "payload type");
    }

    /**
     * An attribute value of the form {@code <pt> <rest>} ({@code a=fmtp}, {@code a=rtcp-fb}) split in two;
     * {@code attribute} and {@code rest} name them in the error.
     */
    static String[] payloadTypeAndRest(String value, String attribute, String rest) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space <= 0) {
            throw bad(attribute + " '" + value + "' is not '<pt> <" + rest + ">'");
        }
        return new String[] {v.substring(0, space), v.substring(space + 1).strip()};
    }

    /** Splits on runs of spaces, as SDP fields are separated by one space but peers are sloppy. */
    static String[] fields(String text) {
        return text.strip().split(" +");
    }
}
