package io.eddyrtc.examples.httppost;

import io.eddyrtc.examples.jfr.FlightRecording;
import io.eddyrtc.net.PeerLimits;
import io.eddyrtc.ice.IceConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a browser-facing example ({@code http-post}, {@code chat}) is set up: where the page is served, the
 * UDP host candidate, HTTPS, and the limits on peers.
 *
 * @param http           where the page is served; loopback unless {@code --bind} says otherwise
 * @param hostIp         the UDP socket's address, given to browsers as the host candidate
 * @param tls            the HTTPS identity, or null for plain HTTP
 * @param limits         how many peers, and when a peer that does not connect or went away is removed
 * @param consentTimeout how long a peer may stay silent before ICE calls it disconnected (RFC 7675's 30 s)
 * @param tcpPort        the TCP port at {@code hostIp} browsers may reach over ICE-TCP when UDP is blocked (a passive
 *                       TCP candidate for every peer); 0 picks one, -1 (the default) listens on none
 */
public record ServerOptions(InetSocketAddress http, InetAddress hostIp, TlsIdentity tls, PeerLimits limits,
                            Duration consentTimeout, int tcpPort) {

    /** RFC 7675's consent interval, the ICE default. */
    private static final Duration CONSENT_INTERVAL = Duration.ofNanos(IceConfig.defaults().consentIntervalNanos());

    public ServerOptions {
        if (http == null || hostIp == null || limits == null) {
            throw new IllegalArgumentException("http, hostIp and limits are required; start from ServerOptions.defaults()");
        }
        if (consentTimeout == null || consentTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("consentTimeout must be at least 1 s, got " + consentTimeout);
        }
        if (tcpPort < -1 || tcpPort > 65_535) {
            throw new IllegalArgumentException("tcpPort is a port (0 picks one) or -1 for no ICE-TCP, got " + tcpPort);
        }
    }

    /** Port 3000 on loopback, the machine's address as the host candidate, plain HTTP, default limits. */
    public static ServerOptions defaults() {
        return new ServerOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3000), defaultHostIp(), null,
                PeerLimits.defaults(), Duration.ofSeconds(30), -1);
    }

    /** Everything on loopback, the HTTP port picked by the system: for tests. */
    public static ServerOptions loopback() {
        return defaults().withHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withHostIp(InetAddress.getLoopbackAddress());
    }

    public ServerOptions withHttp(InetSocketAddress value) {
        return new ServerOptions(value, hostIp, tls, limits, consentTimeout, tcpPort);
    }

    public ServerOptions withHostIp(InetAddress value) {
        return new ServerOptions(http, value, tls, limits, consentTimeout, tcpPort);
    }

    public ServerOptions withTls(TlsIdentity value) {
        return new ServerOptions(http, hostIp, value, limits, consentTimeout, tcpPort);
    }

    public ServerOptions withLimits(PeerLimits value) {
        return new ServerOptions(http, hostIp, tls, value, consentTimeout, tcpPort);
    }

    public ServerOptions withConsentTimeout(Duration value) {
        return new ServerOptions(http, hostIp, tls, limits, value, tcpPort);
    }

    /** ICE-TCP on {@code port} at the host address (0 picks one, -1 none). */
    public ServerOptions withTcpPort(int port) {
        return new ServerOptions(http, hostIp, tls, limits, consentTimeout, port);
    }

    /** Where the ICE-TCP listener binds, or null for none. */
    public InetSocketAddress tcp() {
        return tcpPort < 0 ? null : new InetSocketAddress(hostIp, tcpPort);
    }

    /** ICE for the server's peers: default timers, consent checked every 5 s (or a third of the timeout) and lost after {@link #consentTimeout}. */
    public IceConfig ice() {
        Duration interval = consentTimeout.dividedBy(3).compareTo(CONSENT_INTERVAL) < 0 ? consentTimeout.dividedBy(3) : CONSENT_INTERVAL;
        return IceConfig.defaults().withConsent(interval.toNanos(), consentTimeout.toNanos());
    }

    /** The command line's usage, as {@code ./eddy help} shows it. */
    public static String usage(String command) {
        String indent = " ".repeat(("usage: ./eddy " + command + " ").length());
        return "usage: ./eddy " + command + " [--port 3000] [--bind 127.0.0.1] [--host-ip ADDR] [--https | --cert FILE --key FILE]\n"
                + indent + "[--max-peers 100] [--connect-timeout 15] [--disconnected-timeout 10] [--tcp PORT] "
                + FlightRecording.usage();
    }

    /** {@link #parse}, or the problem and the usage on stderr and exit code 2: for {@code main}. */
    public static ServerOptions parseOrExit(String command, String[] args) throws IOException {
        try {
            return parse(command, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    /**
     * Parses the command line of {@code command}.
     *
     * @throws IllegalArgumentException naming what is wrong and the usage, for anything it does not know
     * @throws IOException              when {@code --cert}/{@code --key} cannot be read
     */
    public static ServerOptions parse(String command, String[] args) throws IOException {
        int port = 3000;
        InetAddress bind = InetAddress.getLoopbackAddress();
        InetAddress hostIp = null;
        boolean https = false;
        Path cert = null;
        Path key = null;
        PeerLimits limits = PeerLimits.defaults();
        int tcpPort = -1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("--https") && i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + usage(command));
            }
            try {
                switch (option) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--bind" -> bind = InetAddress.getByName(args[++i]);
                    case "--host-ip" -> hostIp = InetAddress.getByName(args[++i]);
                    case "--https" -> https = true;
                    case "--cert" -> cert = Path.of(args[++i]);
                    case "--key" -> key = Path.of(args[++i]);
                    case "--max-peers" -> limits = limits.withMaxPeers(Integer.parseInt(args[++i]));
                    case "--connect-timeout" -> limits = limits.withConnectTimeout(Duration.ofSeconds(Long.parseLong(args[++i])));
                    case "--disconnected-timeout" -> limits = limits.withDisconnectedTimeout(Duration.ofSeconds(Long.parseLong(args[++i])));
                    case "--tcp" -> {
                        tcpPort = Integer.parseInt(args[++i]);
                        if (tcpPort < 0 || tcpPort > 65_535) {
                            throw new IllegalArgumentException("--tcp needs a port (0 picks one), got " + tcpPort + "\n" + usage(command));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + usage(command));
                }
            } catch (NumberFormatException | java.net.UnknownHostException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage() + "\n" + usage(command));
            }
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together\n" + usage(command));
        }
        ServerOptions options = defaults().withHttp(new InetSocketAddress(bind, port)).withLimits(limits).withTcpPort(tcpPort);
        if (hostIp != null) {
            options = options.withHostIp(hostIp);
        }
        if (cert != null) {
            return options.withTls(TlsIdentity.fromPem(cert, key));
        }
        return https ? options.withTls(TlsIdentity.selfSigned(List.of(bind, options.hostIp()))) : options;
    }

    /** The page's address for a person to open: the host candidate's address when the page is served on every interface. */
    public String pageUrl(int port) {
        InetAddress shown = http.getAddress().isAnyLocalAddress() ? hostIp : http.getAddress();
        String host = shown.isLoopbackAddress() ? "localhost" : shown.getHostAddress();
        return (tls != null ? "https" : "http") + "://" + host + ":" + port + "/";
    }

    /** What a person starting the server should know: who can reach it, its certificate, its limits. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        InetAddress bind = http.getAddress();
        out.append("  page served on ").append(bind.getHostAddress()).append(" over ").append(tls != null ? "HTTPS" : "HTTP");
        if (bind.isLoopbackAddress()) {
            out.append(" (this machine only; --bind 0.0.0.0 --https lets other machines in)");
        } else if (tls == null) {
            out.append(" (a browser on another machine opens the camera only over --https)");
        }
        out.append('\n');
        if (tls != null) {
            out.append("  TLS certificate SHA-256 ").append(tls.fingerprint()).append('\n');
        }
        if (tcpPort >= 0) {
            out.append("  ICE-TCP: a passive TCP candidate on port ").append(tcpPort == 0 ? "(picked at start)" : tcpPort)
                    .append(", for browsers whose UDP is blocked\n");
        }
        out.append("  at most ").append(limits.maxPeers()).append(" peers; one not connected within ")
                .append(limits.connectTimeout().toSeconds()).append(" s, or disconnected for ")
                .append(limits.disconnectedTimeout().toSeconds()).append(" s, is removed\n");
        return out.toString();
    }

    /** The machine's first usable non-loopback IPv4 address, else 127.0.0.1. */
    public static InetAddress defaultHostIp() {
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : nic.inetAddresses().toList()) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list the network interfaces; pass --host-ip", e);
        }
        return InetAddress.getLoopbackAddress();
    }
}
