package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.media.Mid;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads SDP text line by line into a {@link SessionDescription}. Every attribute eddy interprets is
 * checked here, so the typed readers on the model never meet a malformed value later; anything wrong
 * becomes an {@link SdpParseException} with the line number. The {@link SdpLimits} bound the text before it
 * is read and what the description declares once it is.
 */
final class SdpParser {
    private SdpParser() {
    }

    private static final class MediaBuilder {
        String type;
        int port;
        String proto;
        List<String> formats;
        String connection;
        final List<String> bandwidths = new ArrayList<>();
        final List<String> extra = new ArrayList<>();
        final List<SdpAttribute> attributes = new ArrayList<>();

        SdpMedia build() {
            return new SdpMedia(type, port, proto, formats, connection, bandwidths, extra, attributes);
        }
    }

    static SessionDescription parse(String text, SdpLimits limits) {
        if (text == null || text.isEmpty()) {
            throw new SdpParseException(0, "the description is empty");
        }
        limits.checkLength(text);
        String[] lines = text.split("\n", -1);
        SdpOrigin origin = null;
        String sessionName = null;
        String timing = null;
        String connection = null;
        List<String> extra = new ArrayList<>();
        List<String> bandwidths = new ArrayList<>();
        List<SdpAttribute> attributes = new ArrayList<>();
        List<SdpMedia> media = new ArrayList<>();
        MediaBuilder current = null;
        boolean sawVersion = false;
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue; // a trailing CRLF leaves one empty element; stray blank lines are harmless
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpParseException(number, "'" + shorten(line) + "' is not '<letter>=<value>'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            try {
                if (!sawVersion) {
                    if (type != 'v' || !value.strip().equals("0")) {
                        throw Tokens.bad("an SDP starts with v=0");
                    }
                    sawVersion = true;
                    continue;
                }
                switch (type) {
                    case 'v' -> throw Tokens.bad("a second v= line");
                    case 'o' -> {
                        if (current != null || origin != null) {
                            throw Tokens.bad("o= belongs once at session level");
                        }
                        origin = origin(value);
                    }
                    case 's' -> sessionName = value;
                    case 't' -> timing = value;
                    case 'm' -> {
                        if (origin == null) {
                            throw Tokens.bad("m= before the o= line");
                        }
                        if (current != null) {
                            media.add(current.build());
                        }
                        current = mLine(value);
                    }
                    case 'c' -> {
                        if (current != null) {
                            current.connection = value;
                        } else {
                            connection = value;
                        }
                    }
                    case 'b' -> (current != null ? current.bandwidths : bandwidths).add(value);
                    case 'a' -> (current != null ? current.attributes : attributes).add(attribute(value, current != null));
                    default -> (current != null ? current.extra : extra).add(line);
                }
            } catch (SdpParseException e) {
                throw new SdpParseException(number, e.problem());
            }
        }
        if (current != null) {
            media.add(current.build());
        }
        if (!sawVersion) {
            throw new SdpParseException(0, "the description has no v=0 line");
        }
        if (origin == null) {
            throw new SdpParseException(0, "the description has no o= line");
        }
        SessionDescription description = new SessionDescription(origin, sessionName == null ? "-" : sessionName, extra,
                connection, bandwidths, timing == null ? "0 0" : timing, attributes, media);
        limits.check(description);
        return description;
    }

    private static SdpOrigin origin(String value) {
        String[] f = Tokens.fields(value);
        if (f.length != 6) {
            throw Tokens.bad("o= needs six fields: username sess-id sess-version nettype addrtype address");
        }
        // Firefox's session ids exceed a signed long; keep the id as text, the version as a number.
        if (f[1].length() > 20 || !f[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Tokens.bad("session id '" + shorten(f[1]) + "' is not a number");
        }
        return new SdpOrigin(f[0], f[1], Tokens.number(f[2], 0, Long.MAX_VALUE, "session version"), f[3], f[4], f[5]);
    }

    private static MediaBuilder mLine(String value) {
        String[] f = Tokens.fields(value);
        if (f.length < 3) {
            throw Tokens.bad("m= needs '<media> <port> <proto> <formats>'");
        }
        MediaBuilder m = new MediaBuilder();
        m.type = f[0];
        String port = f[1];
        int slash = port.indexOf('/');
        m.port = (int) Tokens.number(slash < 0 ? port : port.substring(0, slash), 0, 65535, "port");
        m.proto = f[2];
        m.formats = List.of(f).subList(3, f.length);
        return m;
    }

    private static SdpAttribute attribute(String text, boolean mediaLevel) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        if (name.isEmpty()) {
            throw Tokens.bad("an attribute without a name");
        }
        check(name, value);
        return new SdpAttribute(name, value);
    }

    /** Validates the attributes eddy reads, so reading them later cannot fail. */
    private static void check(String name, String value) {
        if (value == null) {
            if (needsValue(name)) {
                throw Tokens.bad("a=" + name + " needs a value");
            }
            return;
        }
        switch (name) {
            case "rtpmap" -> RtpMap.parse(value);
            case "fmtp" -> Fmtp.parse(value);
            case "rtcp-fb" -> RtcpFb.parse(value);
            case "extmap" -> ExtMap.parse(value);
            case "ssrc" -> SsrcAttr.parse(value);
            case "ssrc-group" -> SsrcGroup.parse(value);
            case "rid" -> RidAttr.parse(value);
            case "simulcast" -> SimulcastAttr.parse(value);
            case "msid" -> Msid.parse(value);
            case "setup" -> Setup.parse(value);
            case "sctp-port" -> Tokens.number(value.strip(), 0, 65535, "sctp-port");
            case "max-message-size" -> Tokens.number(value.strip(), 0, Long.MAX_VALUE, "max-message-size");
            case "group" -> {
                if (value.isBlank()) {
                    throw Tokens.bad("a=group needs semantics");
                }
            }
            case "mid" -> {
                String v = value;
                if (v.isEmpty() || v.length() > Mid.MAX_LENGTH || !v.strip().equals(v)) {
                    throw Tokens.bad("mid '" + shorten(v) + "' must be 1 to " + Mid.MAX_LENGTH + " characters without spaces");
                }
            }
            case "fingerprint" -> {
                try {
                    Fingerprint.parse(value);
                } catch (IllegalArgumentException e) {
                    throw Tokens.bad(e.getMessage());
                }
            }
            case "ice-ufrag", "ice-pwd", "candidate" -> {
                if (value.isBlank()) {
                    throw Tokens.bad("a=" + name + " is empty");
                }
            }
            default -> {
                // kept as text and ignored
            }
        }
    }

    private static boolean needsValue(String name) {
        return switch (name) {
            case "rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group", "rid", "simulcast", "msid", "setup",
                 "sctp-port", "max-message-size", "group", "mid", "fingerprint", "ice-ufrag", "ice-pwd", "candidate" -> true;
            default -> false;
        };
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
