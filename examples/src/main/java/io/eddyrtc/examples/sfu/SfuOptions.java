package io.eddyrtc.examples.sfu;

import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code ./eddy sfu} is set up: the example servers' options ({@link ServerOptions}), the bearer token WHIP and
 * WHEP requests must carry, and where a JFR recording goes.
 *
 * @param server the HTTP address, host candidate, HTTPS and peer limits
 * @param token  the bearer token, or null when requests need none
 * @param jfr    the file a flight recording is written to on exit, or null for none
 */
public record SfuOptions(ServerOptions server, String token, Path jfr) {

    public SfuOptions {
        if (server == null) {
            throw new IllegalArgumentException("server options are required; start from ServerOptions.defaults()");
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new IllegalArgumentException("a token is printable ASCII without spaces, as an Authorization header carries it");
        }
    }

    public static String usage() {
        return ServerOptions.usage("sfu") + "\n" + " ".repeat("usage: ./eddy sfu ".length()) + "[--token SECRET] [--jfr FILE]";
    }

    /** Parses the command line: {@code --token} and {@code --jfr}, the rest as {@link ServerOptions#parse}. */
    public static SfuOptions parse(String[] args) throws IOException {
        String token = null;
        Path jfr = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--token", "--jfr" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value\n" + usage());
                    }
                    if (args[i].equals("--token")) {
                        token = args[++i];
                    } else {
                        jfr = Path.of(args[++i]);
                    }
                }
                default -> rest.add(args[i]);
            }
        }
        try {
            return new SfuOptions(ServerOptions.parse("sfu", rest.toArray(String[]::new)), token, jfr);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int usage = message.indexOf("\nusage:");
            throw new IllegalArgumentException((usage < 0 ? message : message.substring(0, usage)) + "\n" + usage());
        }
    }
}
