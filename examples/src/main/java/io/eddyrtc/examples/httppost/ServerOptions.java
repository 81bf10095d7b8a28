package io.eddyrtc.examples.httppost;

import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The command line of the browser-facing examples ({@code http-post}, {@code chat}): {@code --port} for the
 * page (3000 by default) and {@code --host-ip} for the UDP host candidate (the machine's first usable
 * non-loopback IPv4 address by default).
 */
public record ServerOptions(int port, InetAddress hostIp) {

    /** Parses {@code args}; on anything else prints the usage of {@code command} and exits with 2. */
    public static ServerOptions parse(String command, String[] args) throws UnknownHostException, SocketException {
        int port = 3000;
        InetAddress hostIp = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host-ip" -> hostIp = InetAddress.getByName(args[++i]);
                default -> {
                    System.err.println("usage: ./eddy " + command + " [--port 3000] [--host-ip ADDR]");
                    System.exit(2);
                }
            }
        }
        return new ServerOptions(port, hostIp != null ? hostIp : HttpPostServer.defaultHostIp());
    }
}
