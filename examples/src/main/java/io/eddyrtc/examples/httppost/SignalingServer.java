package io.eddyrtc.examples.httppost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The HTTP side of the http-post example: serves the browser page and takes one offer per POST.
 *
 * <p>{@code GET /} gives the page, {@code GET /client.js} its script (both from the classpath under
 * {@code /http-post/}); {@code POST /} with {@code {"type":"offer","sdp":"..."}} hands the body to an
 * {@link OfferHandler} and returns what it returns, {@code {"type":"answer","sdp":"..."}}, as JSON.
 * A handler that throws gives a 400 with the exception's message, which the page shows.
 */
public final class SignalingServer implements AutoCloseable {
    /** Turns an offer (JSON) into an answer (JSON); str0m's http-post starts a new Rtc per call. */
    @FunctionalInterface
    public interface OfferHandler {
        String answer(String offerJson) throws Exception;
    }

    private final HttpServer server;

    private SignalingServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving on {@code address} (port 0 picks a free one). */
    public static SignalingServer start(InetSocketAddress address, OfferHandler handler) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                route(exchange, handler);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new SignalingServer(server);
    }

    /** The bound address, with the real port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://HOST:PORT/}. */
    public String url() {
        return "http://" + address().getHostString() + ":" + address().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void route(HttpExchange exchange, OfferHandler handler) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                switch (path) {
                    case "/", "/index.html" -> resource(exchange, "index.html", "text/html; charset=utf-8");
                    case "/client.js" -> resource(exchange, "client.js", "text/javascript; charset=utf-8");
                    default -> send(exchange, 404, "text/plain", "not found: " + path);
                }
            }
            case "POST" -> {
                String offer = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    send(exchange, 200, "application/json", handler.answer(offer));
                } catch (Exception e) {
                    send(exchange, 400, "text/plain", "offer refused: " + e.getMessage());
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
