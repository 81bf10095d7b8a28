package io.eddyrtc.examples.sfu;

import io.eddyrtc.examples.httppost.ServerOptions;
import io.eddyrtc.examples.jfr.FlightRecording;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code ./eddy sfu} is set up: the example servers' options ({@link ServerOptions}) and the bearer token WHIP and
 * WHEP requests must carry. ({@code --jfr} is taken off the command line first, by {@link FlightRecording}.)
 *
 * @param server the HTTP address, host candidate, HTTPS and peer limits
 * @param token  the bearer token, or null when requests need none
 */
public record SfuOptions(ServerOptions server, String token) {

    public SfuOptions {
        if (server == null) {
            throw new IllegalArgumentException("server options are required; start from ServerOptions.defaults()");
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new IllegalArgumentException("a token is printable ASCII without spaces, as an Authorization header carries it");
        }
    }

    public static String usage() {
        return ServerOptions.usage("sfu") + "\n" + " ".repeat("usage: ./eddy sfu ".length()) + "[--token SECRET] "
                + FlightRecording.usage();
    }

    /** Parses the command line: {@code --token}, the rest as {@link ServerOptions#parse}. */
    public static SfuOptions parse(String[] args) throws IOException {
        String token = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--token needs a value\n" + usage());
                }
                token = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        try {
            return new SfuOptions(ServerOptions.parse("sfu", rest.toArray(String[]::new)), token);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int usage = message.indexOf("\nusage:");
            throw new IllegalArgumentException((usage < 0 ? message : message.substring(0, usage)) + "\n" + usage());
        }
    }
}
