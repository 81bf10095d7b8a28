package io.eddyrtc.ice;

import java.util.Locale;

/**
 * A {@code turn:} or {@code turns:} URI (RFC 7065) as browsers take them in {@code iceServers}:
 * {@code turn:host[:port][?transport=udp|tcp]}. Parsing only: the host may be a name, and resolving it is the
 * caller's (this module does no DNS); {@link TurnServer#of} then takes the address.
 *
 * @param host      the host as written (an IPv6 literal without its brackets)
 * @param port      the port, or the default: 3478 for {@code turn:}, 5349 for {@code turns:}
 * @param transport {@link Transport#UDP} or {@link Transport#TURN_TCP}; {@code turn:} without {@code ?transport}
 *                  is UDP, {@code turns:} is always TCP (under TLS)
 * @param secure    a {@code turns:} URI, which needs TLS to the server
 */
public record TurnUri(String host, int port, Transport transport, boolean secure) {
    public static final int DEFAULT_PORT = 3478;
    public static final int DEFAULT_SECURE_PORT = 5349;

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static TurnUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("a TURN URI looks like turn:host:3478?transport=udp, not '" + uri + "'");
        }
        String s = uri.strip();
        boolean secure;
        String rest;
        if (s.regionMatches(true, 0, "turns:", 0, 6)) {
            secure = true;
            rest = s.substring(6);
        } else if (s.regionMatches(true, 0, "turn:", 0, 5)) {
            secure = false;
            rest = s.substring(5);
        } else {
            throw new IllegalArgumentException("a TURN URI starts with turn: or turns: (RFC 7065), not '" + uri + "'");
        }
        Transport transport = secure ? Transport.TURN_TCP : Transport.UDP;
        int query = rest.indexOf('?');
        if (query >= 0) {
            String q = rest.substring(query + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, query);
            if (q.equals("transport=udp")) {
                if (secure) {
                    throw new IllegalArgumentException("turns: runs over TLS on TCP; '" + uri + "' asks for UDP (DTLS to TURN servers is not supported)");
                }
                transport = Transport.UDP;
            } else if (q.equals("transport=tcp")) {
                transport = Transport.TURN_TCP;
            } else {
                throw new IllegalArgumentException("the only TURN URI query is ?transport=udp or ?transport=tcp, not '" + q + "'");
            }
        }
        String host;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 host needs its closing ']': '" + uri + "'");
            }
            host = rest.substring(1, close);
            if (close + 1 < rest.length()) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':port' after the IPv6 host in '" + uri + "'");
                }
                port = rest.substring(close + 2);
            }
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
        }
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("the TURN URI '" + uri + "' has no host");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == ':' || c == '_')) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or address");
            }
        }
        int p = secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
                throw new IllegalArgumentException("bad port '" + port + "' in '" + uri + "'");
            }
            p = Integer.parseInt(port);
        }
        return new TurnUri(host, p, transport, secure);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (secure ? "turns:" : "turn:") + h + ":" + port + "?transport=" + (transport == Transport.UDP ? "udp" : "tcp");
    }
}
