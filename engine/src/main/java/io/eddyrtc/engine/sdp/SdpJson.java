package io.eddyrtc.engine.sdp;

/**
 * The JSON form browsers exchange, {@code {"type":"offer","sdp":"v=0\r\n..."}}: a tiny reader and writer
 * for exactly that shape (one object of string members), so no JSON library is needed.
 */
final class SdpJson {
    private SdpJson() {
    }

    record Parsed(String type, String sdp) {}

    static String write(String type, String sdp) {
        return "{\"type\":" + quote(type) + ",\"sdp\":" + quote(sdp) + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Reads {@code {"type":..., "sdp":...}}; other string, number, boolean or null members are skipped. */
    static Parsed read(String json) {
        Reader r = new Reader(json);
        String type = null;
        String sdp = null;
        r.skipSpace();
        r.expect('{');
        r.skipSpace();
        if (r.peek() != '}') {
            while (true) {
                r.skipSpace();
                String key = r.string();
                r.skipSpace();
                r.expect(':');
                r.skipSpace();
                if (r.peek() == '"') {
                    String value = r.string();
                    if (key.equals("type")) {
                        type = value;
                    } else if (key.equals("sdp")) {
                        sdp = value;
                    }
                } else {
                    r.scalar();
                }
                r.skipSpace();
                if (r.peek() == ',') {
                    r.pos++;
                    continue;
                }
                break;
            }
        }
        r.expect('}');
        r.skipSpace();
        if (r.pos != json.length()) {
            throw new SdpParseException(0, "JSON has text after the object");
        }
        if (type == null || sdp == null) {
            throw new SdpParseException(0, "JSON needs string members \"type\" and \"sdp\"");
        }
        return new Parsed(type, sdp);
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            if (s == null) {
                throw new SdpParseException(0, "JSON is null");
            }
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new SdpParseException(0, "JSON ends early");
            }
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) {
                throw new SdpParseException(0, "JSON has '" + peek() + "' at " + pos + " where '" + c + "' belongs");
            }
            pos++;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void scalar() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "+-.".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            if (pos == start) {
                throw new SdpParseException(0, "JSON member values must be strings, numbers, booleans or null");
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new SdpParseException(0, "JSON ends inside a \\u escape");
                        }
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) {
                                throw new SdpParseException(0, "JSON \\u escape is not hex");
                            }
                            v = v * 16 + d;
                        }
                        b.append((char) v);
                    }
                    default -> throw new SdpParseException(0, "JSON has an unknown escape \\" + e);
                }
            }
        }
    }
}
