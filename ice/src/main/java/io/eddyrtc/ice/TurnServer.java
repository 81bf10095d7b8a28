package io.eddyrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TURN server the agent allocates relayed candidates on (RFC 8656), with the long-term credentials it asks
 * for. The address is resolved: this module does no DNS, so a caller with a {@code turn:} URI naming a host
 * resolves it and calls {@link #of(TurnUri, InetAddress, String, String)}.
 *
 * @param address   where the server listens
 * @param transport {@link Transport#UDP}, or {@link Transport#TURN_TCP} for a TCP connection to it (the relayed
 *                  side is UDP either way; RFC 6062's TCP relays are not supported)
 * @param username  the long-term credential's user name
 * @param password  its password (kept for the key; never logged)
 */
public record TurnServer(InetSocketAddress address, Transport transport, String username, String password) {

    public TurnServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport: Transport.UDP or Transport.TURN_TCP");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("resolve the TURN server's host first (this module does no DNS): " + address);
        }
        if (transport == Transport.TCP) {
            throw new IllegalArgumentException("a TURN server over TCP is Transport.TURN_TCP (its messages frame themselves), not TCP");
        }
        if (username == null || username.isEmpty() || password == null) {
            throw new IllegalArgumentException("a TURN server needs the user name and password of its long-term credentials");
        }
    }

    /**
     * The server of a parsed URI at {@code resolved}.
     *
     * @throws IllegalArgumentException for a {@code turns:} URI: TLS to the TURN server is not implemented yet;
     *     use {@code turn:} over UDP or TCP
     */
    public static TurnServer of(TurnUri uri, InetAddress resolved, String username, String password) {
        if (uri.secure()) {
            throw new IllegalArgumentException("turns: needs TLS to the TURN server, which eddy's TURN client does not speak yet; "
                    + "use turn:" + uri.host() + "?transport=tcp or ?transport=udp");
        }
        return new TurnServer(new InetSocketAddress(resolved, uri.port()), uri.transport(), username, password);
    }

    /**
     * The server of a {@code turn:} URI whose host is an IP address (a name would need DNS: resolve it and use
     * {@link #of(TurnUri, InetAddress, String, String)}).
     */
    public static TurnServer parse(String uri, String username, String password) {
        TurnUri parsed = TurnUri.parse(uri);
        InetSocketAddress literal = Candidate.address(parsed.host(), parsed.port());
        if (literal.isUnresolved()) {
            throw new IllegalArgumentException("'" + parsed.host() + "' is a host name; resolve it (this module does no DNS) "
                    + "and use TurnServer.of(TurnUri.parse(uri), address, username, password)");
        }
        return of(parsed, literal.getAddress(), username, password);
    }

    @Override
    public String toString() {
        return "TurnServer[" + address + " " + transport + ", user " + username + "]"; // never the password
    }
}
