package io.eddyrtc.ice;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What tells one agent's datagrams apart from another's on a socket many agents share: our ufrag, which every
 * check sent to us names, and the peer's addresses. {@code proven} are the addresses the peer has shown to be
 * its own with a check or an answer authenticated by the password only the two of us know (peer-reflexive
 * ones included, and the address media uses); {@code signalled} the rest of its candidates, which anyone
 * could send from. A snapshot, made when asked: {@link IceAgent#routeVersion()} says when it changed.
 *
 * @param version the {@link IceAgent#routeVersion()} this snapshot was taken at
 * @param localUfrag our ice-ufrag, the part of a check's USERNAME before the colon
 * @param proven the peer's addresses proven by authenticated STUN
 * @param signalled the peer's other candidate addresses, from signalling
 */
public record RouteKeys(long version, String localUfrag, List<InetSocketAddress> proven, List<InetSocketAddress> signalled) {
    public RouteKeys {
        proven = List.copyOf(proven);
        signalled = List.copyOf(signalled);
    }
}
