package io.eddyrtc.examples.httppost;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The text the example servers read from a request and put in an error answer, bounded in both directions. */
public final class HttpText {
    private static final int MAX_MESSAGE_CHARS = 200;

    private HttpText() {
    }

    /** The body as text, or null when it is larger than {@code maxBytes} (then it is not read). */
    public static String readBody(HttpExchange exchange, int maxBytes) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxBytes) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null; // the JDK server rejects these before us; refusing is the safe answer anyway
            }
        }
        byte[] body = exchange.getRequestBody().readNBytes(maxBytes + 1);
        return body.length > maxBytes ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** One line of at most 200 characters: an error message may quote the whole offer. */
    public static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("[\\r\\n]+", " ");
        return line.length() <= MAX_MESSAGE_CHARS ? line : line.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
