package io.eddyrtc.examples.httppost;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The text the example servers read from a request and put in an error answer, bounded in both directions. */
public final class HttpText {
    private static final int MAX_MESSAGE_CHARS = 200;

    private HttpText() {
    }

    /** The body as text, or null when it is larger than {@code maxBytes} (then it is not read). */
    public static String readBody(HttpExchange exchange, int maxBytes) throws IOException {
        if (declaredLength(exchange) > maxBytes) {
            return null;
        }
        byte[] body = exchange.getRequestBody().readNBytes(maxBytes + 1);
        return body.length > maxBytes ? null : new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Reads and drops what is left of the body, at most {@code maxBytes}; a body declared larger is left alone (the
     * server then closes the connection). Memory stays at one small buffer whatever the client sends.
     */
    public static void discardUnread(HttpExchange exchange, int maxBytes) throws IOException {
        if (declaredLength(exchange) > maxBytes) {
            return;
        }
        byte[] sink = new byte[8192];
        InputStream body = exchange.getRequestBody();
        long left = maxBytes;
        int read;
        while (left > 0 && (read = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= read;
        }
    }

    /** The Content-Length the client declared: 0 without one, {@code Long.MAX_VALUE} when it does not parse. */
    private static long declaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return 0;
        }
        try {
            return Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // the JDK server rejects these before us; refusing is the safe answer anyway
        }
    }

    /** One line of at most 200 characters: an error message may quote the whole offer. */
    public static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("[\\r\\n]+", " ");
        return line.length() <= MAX_MESSAGE_CHARS ? line : line.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
