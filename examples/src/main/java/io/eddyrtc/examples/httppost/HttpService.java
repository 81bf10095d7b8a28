package io.eddyrtc.examples.httppost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server as the example servers run it: HTTP or HTTPS on one address, every request to one handler on
 * a virtual thread of its own, each exchange closed after its handler.
 */
public final class HttpService implements AutoCloseable {
    /** What answers a request; the exchange is closed after it returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String scheme;

    private HttpService(HttpServer server, ExecutorService handlers, String scheme) {
        this.server = server;
        this.handlers = handlers;
        this.scheme = scheme;
    }

    /** Serves on {@code address} (port 0 picks one): HTTPS with {@code tls}, plain HTTP when it is null. */
    public static HttpService start(InetSocketAddress address, TlsIdentity tls, int backlog, Handler handler) throws IOException {
        HttpServer server;
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, backlog);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            server = https;
        } else {
            server = HttpServer.create(address, backlog);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(handlers);
        server.start();
        return new HttpService(server, handlers, tls != null ? "https" : "http");
    }

    /** The bound address, with the real port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://HOST:PORT}, or {@code https://...}, without a trailing slash. */
    public String origin() {
        return scheme + "://" + address().getHostString() + ":" + address().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdown();
    }
}
