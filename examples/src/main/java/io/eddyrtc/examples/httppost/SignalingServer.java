package io.eddyrtc.examples.httppost;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of the browser examples: serves the page and takes one offer per POST.
 *
 * <p>{@code GET /} gives the page, {@code GET /client.js} its script (both from the classpath under
 * {@code /http-post/}); {@code POST /} with {@code {"type":"offer","sdp":"..."}} hands the body to an
 * {@link OfferHandler} and returns what it returns, {@code {"type":"answer","sdp":"..."}}, as JSON.
 * A body over {@link #MAX_BODY_BYTES} gets a 413 unread; a handler that throws a {@link Refusal} gets its
 * status, any other exception a 400, each with a one-line message the page shows.
 */
public final class SignalingServer implements AutoCloseable {
    /** The largest offer taken: a browser's offer with many tracks is a few KiB. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    /** Turns an offer (JSON) into an answer (JSON); str0m's http-post starts a new Rtc per call. */
    @FunctionalInterface
    public interface OfferHandler {
        String answer(String offerJson) throws Exception;
    }

    /** An offer turned down with an HTTP status other than 400, e.g. 503 when the server is full. */
    public static final class Refusal extends Exception {
        private final int status;

        public Refusal(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpService http;

    private SignalingServer(HttpService http) {
        this.http = http;
    }

    /** Starts serving plain HTTP on {@code address} (port 0 picks a free one). */
    public static SignalingServer start(InetSocketAddress address, OfferHandler handler) throws IOException {
        return start(address, null, handler);
    }

    /** Starts serving on {@code address}: HTTPS with {@code tls}, or plain HTTP when it is null. */
    public static SignalingServer start(InetSocketAddress address, TlsIdentity tls, OfferHandler handler) throws IOException {
        return new SignalingServer(HttpService.start(address, tls, 16, exchange -> route(exchange, handler)));
    }

    /**
     * Bounds what slow or numerous clients can hold open, for servers exposed beyond loopback: at most 64
     * connections, 10 s to send a request. The JDK's HTTP server reads these once per JVM, so call this
     * before the first server starts; settings given with {@code -D} win.
     */
    public static void limitConnections() {
        setIfAbsent("jdk.httpserver.maxConnections", "64");
        setIfAbsent("sun.net.httpserver.maxReqTime", "10000");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** The bound address, with the real port. */
    public InetSocketAddress address() {
        return http.address();
    }

    /** {@code http://HOST:PORT/}, or {@code https://...}. */
    public String url() {
        return http.origin() + "/";
    }

    @Override
    public void close() {
        http.close();
    }

    private static void route(HttpExchange exchange, OfferHandler handler) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                switch (path) {
                    case "/", "/index.html" -> resource(exchange, "index.html", "text/html; charset=utf-8");
                    case "/client.js" -> resource(exchange, "client.js", "text/javascript; charset=utf-8");
                    default -> send(exchange, 404, "text/plain", "not found: " + HttpText.oneLine(path));
                }
            }
            case "POST" -> {
                String offer = HttpText.readBody(exchange, MAX_BODY_BYTES);
                if (offer == null) {
                    send(exchange, 413, "text/plain", "offer refused: larger than " + MAX_BODY_BYTES / 1024 + " KiB");
                    return;
                }
                try {
                    send(exchange, 200, "application/json", handler.answer(offer));
                } catch (Refusal e) {
                    send(exchange, e.status(), "text/plain", "offer refused: " + HttpText.oneLine(e.getMessage()));
                } catch (TimeoutException e) {
                    send(exchange, 503, "text/plain", "offer refused: the server is busy; try again");
                } catch (Exception e) {
                    send(exchange, 400, "text/plain", "offer refused: " + HttpText.oneLine(String.valueOf(e.getMessage())));
                }
            }
            default -> send(exchange, 405, "text/plain", "GET the page or POST an offer");
        }
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = SignalingServer.class.getResourceAsStream("/http-post/" + name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing classpath resource /http-post/" + name));
            }
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
