package io.eddyrtc.examples.sfu;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.httppost.HttpService;
import io.eddyrtc.examples.httppost.HttpText;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.httppost.SignalingServer.Refusal;
import io.eddyrtc.examples.httppost.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the SFU: WHIP (RFC 9725) to publish into a room and WHEP to play it, on {@code /whip/{room}} and
 * {@code /whep/{room}}.
 *
 * <ul>
 *   <li>{@code POST} an SDP offer ({@code Content-Type: application/sdp}): {@code 201 Created} with the answer, a
 *       {@code Location} naming the session and {@code Accept-Patch: application/trickle-ice-sdpfrag}. A body of
 *       another type gets 415, one over 256 KiB 413, an offer that does not parse 400 with the parser's reason.</li>
 *   <li>{@code DELETE} the session's {@code Location}: 200, the session ends. An unknown session is 404.</li>
 *   <li>{@code PATCH} the session with an {@code application/trickle-ice-sdpfrag} (RFC 8840): its candidates are
 *       added, 204. A fragment with other ICE credentials asks for an ICE restart, which this server does not do:
 *       422. Another content type is 415.</li>
 *   <li>{@code OPTIONS}: 204 with the CORS headers, so a page of another origin may call every method above; every
 *       answer carries {@code Access-Control-Allow-Origin: *} and exposes {@code Location}.</li>
 *   <li>With a token, every {@code POST}, {@code DELETE} and {@code PATCH} must carry
 *       {@code Authorization: Bearer <token>}, else 401 (preflights never carry it, so {@code OPTIONS} is open).</li>
 * </ul>
 * {@code GET /} serves a page that publishes a camera or plays a room.
 */
public final class WhipServer implements AutoCloseable {
    public static final String SDP = "application/sdp";
    public static final String TRICKLE = "application/trickle-ice-sdpfrag";
    private static final Pattern ENDPOINT = Pattern.compile("/(whip|whep)/([A-Za-z0-9_-]{1,64})(?:/([0-9a-f]{32}))?/?");

    /** Publishing (WHIP) or playing (WHEP). */
    public enum Role { PUBLISH, PLAY }

    /** A session made from an offer: its id (the last part of its {@code Location}) and the answer. */
    public record Created(String id, String answerSdp) {}

    /** What the SFU does for each request; a {@link Refusal} becomes its status and message. */
    public interface Sessions {
        /** A new session in {@code room} answering {@code offer}. */
        Created create(Role role, String room, SdpOffer offer) throws Exception;

        /** Ends session {@code id} of {@code room}; false when there is no such session. */
        boolean end(String room, String id) throws Exception;

        /** Trickled ICE for session {@code id} of {@code room}; a {@link Refusal} 404 when there is none. */
        void trickle(String room, String id, TrickleFragment fragment) throws Exception;
    }

    private final HttpService http;

    private WhipServer(HttpService http) {
        this.http = http;
    }

    /**
     * Serves on {@code address} (port 0 picks one): HTTPS with {@code tls}, plain HTTP when null. {@code token} is
     * the bearer token every change must carry, or null for none.
     */
    public static WhipServer start(InetSocketAddress address, TlsIdentity tls, String token, Sessions sessions) throws IOException {
        byte[] expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return new WhipServer(HttpService.start(address, tls, 64, exchange -> route(exchange, expected, sessions)));
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** {@code http://HOST:PORT}, without a trailing slash: append {@code /whip/ROOM}. */
    public String url() {
        return http.origin();
    }

    @Override
    public void close() {
        http.close();
    }

    private static void route(HttpExchange exchange, byte[] token, Sessions sessions) throws IOException {
        Headers out = exchange.getResponseHeaders();
        out.set("Access-Control-Allow-Origin", "*");
        out.set("Access-Control-Expose-Headers", "Location, Accept-Patch, Link");
        out.set("Cache-Control", "no-store");
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("GET") && (path.equals("/") || path.equals("/index.html"))) {
            page(exchange);
            return;
        }
        Matcher m = ENDPOINT.matcher(path);
        if (!m.matches()) {
            send(exchange, 404, "nothing here: POST an offer to /whip/ROOM to publish or /whep/ROOM to play (ROOM: 1-64 of "
                    + "A-Z a-z 0-9 - _)");
            return;
        }
        Role role = m.group(1).equals("whip") ? Role.PUBLISH : Role.PLAY;
        String room = m.group(2);
        String session = m.group(3);
        String allowed = session == null ? "POST, OPTIONS" : "DELETE, PATCH, OPTIONS";
        if (method.equals("OPTIONS")) {
            out.set("Access-Control-Allow-Methods", allowed);
            out.set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
            out.set("Access-Control-Max-Age", "86400");
            out.set(session == null ? "Accept-Post" : "Accept-Patch", session == null ? SDP : TRICKLE);
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        boolean known = session == null ? method.equals("POST") : method.equals("DELETE") || method.equals("PATCH");
        if (!known) {
            out.set("Allow", allowed);
            send(exchange, 405, method + " is not allowed here; allowed: " + allowed);
            return;
        }
        if (token != null && !authorized(exchange, token)) {
            out.set("WWW-Authenticate", "Bearer");
            send(exchange, 401, "send the server's token as 'Authorization: Bearer TOKEN'");
            return;
        }
        try {
            switch (method) {
                case "POST" -> create(exchange, sessions, role, room);
                case "DELETE" -> {
                    if (sessions.end(room, session)) {
                        send(exchange, 200, "session ended");
                    } else {
                        send(exchange, 404, "no session " + session + " in room " + room);
                    }
                }
                default -> patch(exchange, sessions, room, session);
            }
        } catch (Refusal e) {
            send(exchange, e.status(), HttpText.oneLine(e.getMessage()));
        } catch (TimeoutException e) {
            send(exchange, 503, "the server is busy; try again");
        } catch (Exception e) {
            send(exchange, 400, HttpText.oneLine(e.getMessage()));
        }
    }

    private static void create(HttpExchange exchange, Sessions sessions, Role role, String room) throws Exception {
        if (!hasType(exchange, SDP)) {
            send(exchange, 415, "an offer is sent as Content-Type: " + SDP);
            return;
        }
        String body = HttpText.readBody(exchange, SignalingServer.MAX_BODY_BYTES);
        if (body == null) {
            send(exchange, 413, "offer refused: larger than " + SignalingServer.MAX_BODY_BYTES / 1024 + " KiB");
            return;
        }
        SdpOffer offer;
        try {
            offer = SdpOffer.fromSdp(body); // a malformed offer is refused before the loop sees it
        } catch (RuntimeException e) {
            send(exchange, 400, "malformed SDP offer: " + HttpText.oneLine(e.getMessage()));
            return;
        }
        Created created = sessions.create(role, room, offer);
        Headers out = exchange.getResponseHeaders();
        out.set("Location", "/" + (role == Role.PUBLISH ? "whip" : "whep") + "/" + room + "/" + created.id());
        out.set("Accept-Patch", TRICKLE);
        byte[] answer = created.answerSdp().getBytes(StandardCharsets.UTF_8);
        out.set("Content-Type", SDP);
        exchange.sendResponseHeaders(201, answer.length);
        exchange.getResponseBody().write(answer);
    }

    private static void patch(HttpExchange exchange, Sessions sessions, String room, String session) throws Exception {
        if (!hasType(exchange, TRICKLE)) {
            send(exchange, 415, "trickled candidates are sent as Content-Type: " + TRICKLE);
            return;
        }
        String body = HttpText.readBody(exchange, SignalingServer.MAX_BODY_BYTES);
        if (body == null) {
            send(exchange, 413, "fragment refused: larger than " + SignalingServer.MAX_BODY_BYTES / 1024 + " KiB");
            return;
        }
        TrickleFragment fragment;
        try {
            fragment = TrickleFragment.parse(body);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "malformed ICE fragment: " + HttpText.oneLine(e.getMessage()));
            return;
        }
        sessions.trickle(room, session, fragment);
        exchange.sendResponseHeaders(204, -1);
    }

    /** Whether the request's media type (parameters aside, any case) is {@code type}. */
    private static boolean hasType(HttpExchange exchange, String type) {
        String value = exchange.getRequestHeaders().getFirst("Content-Type");
        if (value == null) {
            return false;
        }
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT).equals(type);
    }

    /** Compares the whole header in constant time, so the token cannot be guessed byte by byte from timing. */
    private static boolean authorized(HttpExchange exchange, byte[] expected) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), expected);
    }

    private static void page(HttpExchange exchange) throws IOException {
        try (InputStream in = WhipServer.class.getResourceAsStream("/sfu/index.html")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing classpath resource /sfu/index.html"));
            }
            byte[] bytes = in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void send(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
