package io.eddyrtc.engine.route;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.buffers.SocketAddressView;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.RouteKeys;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.stun.StunMessage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Many {@link Rtc}s behind one socket, sans-I/O: which one a datagram is for, in O(1) and without allocating.
 * A STUN request goes to the peer whose local ufrag its USERNAME names; everything else (DTLS, SRTP, STUN
 * answers) by its source address, among the addresses each peer's ICE agent learnt: the candidates it was
 * signalled, the peer-reflexive ones authenticated checks taught it, and so a NAT's new mapping once the peer's
 * check from it arrived. The router learns them from each {@code Rtc} ({@link Rtc#routeKeys()}) after every call
 * it makes into one, and after {@link #refresh} for calls it did not make; an unchanged
 * {@link Rtc#routeVersion()} costs one comparison.
 *
 * <p>An address two peers claim goes to the one that proved it its own with an authenticated check (a NAT may
 * hand a departed peer's mapping to another), the latest such proof winning; an address only signalled never
 * takes one another peer proved, so a peer cannot draw someone else's media to itself by signalling their
 * address. When its holder lets an address go, a peer still claiming it gets it. The {@code Rtc} checks every
 * datagram again itself (STUN integrity, DTLS and SRTP only from verified addresses): routing decides whose
 * checks run, not whether they pass.
 *
 * <p>Peers are numbered by small int ids, reused after {@link #remove}: a loop keeps its per-peer state in
 * arrays by id, and a {@link DeadlineQueue} uses the same ids. One remote address reaches one peer: two peer
 * connections from one remote socket (another server multiplexing its own peers on one port) cannot be told
 * apart after their checks, here as in any 5-tuple router; the local side is the socket's.
 *
 * <p>Not thread-safe: it belongs to the thread that drives its {@code Rtc}s.
 */
public final class RtcRouter {
    private static final System.Logger LOG = System.getLogger(RtcRouter.class.getName());

    /** One peer: its Rtc and the keys last read from it. */
    private static final class Peer {
        final Rtc rtc;
        long version = Long.MIN_VALUE;
        byte[] ufrag;
        Set<InetSocketAddress> proven = Set.of();
        Set<InetSocketAddress> signalled = Set.of();

        Peer(Rtc rtc) {
            this.rtc = rtc;
        }

        boolean claims(InetSocketAddress address) {
            return proven.contains(address) || signalled.contains(address);
        }
    }

    private Peer[] peers = new Peer[16];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;
    private int size;
    private final Map<Rtc, Integer> ids = new IdentityHashMap<>();
    private final AddressTable addresses = new AddressTable(64);
    private final UfragTable ufrags = new UfragTable(16);
    /** Addresses a peer claims but another holds, and who else wants each: rare (NAT reuse, misbehaving peers). */
    private final Map<InetSocketAddress, List<Integer>> contested = new HashMap<>();
    private final StunMessage stun = new StunMessage();
    private final DropCounter<RouteDropReason> drops = new DropCounter<>(RouteDropReason.class, LOG, "router");
    /** The interned source of the datagram {@link #route} last routed, or null when it came from an address no peer holds. */
    private InetSocketAddress routedSource;

    /**
     * Puts {@code rtc} behind the router and returns its id; its keys are read at once. Add it once its ICE
     * credentials are final (after the offer or answer, or the DirectApi set-up): a later change is picked up
     * by the next call through the router or {@link #refresh}.
     */
    public int add(Rtc rtc) {
        Objects.requireNonNull(rtc, "rtc");
        if (ids.containsKey(rtc)) {
            throw new IllegalArgumentException("this Rtc is behind the router already, as id " + ids.get(rtc));
        }
        int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
        if (id >= peers.length) {
            peers = Arrays.copyOf(peers, peers.length * 2);
        }
        peers[id] = new Peer(rtc);
        ids.put(rtc, id);
        size++;
        refresh(id);
        return id;
    }

    /** Takes peer {@code id} off the router; its addresses and ufrag route nowhere (or to a peer still claiming them). */
    public void remove(int id) {
        Peer p = peer(id);
        for (InetSocketAddress a : p.proven) {
            release(id, a);
        }
        for (InetSocketAddress a : p.signalled) {
            release(id, a);
        }
        if (p.ufrag != null) {
            ufrags.remove(p.ufrag, id);
        }
        peers[id] = null;
        ids.remove(p.rtc);
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[freeCount++] = id;
        size--;
    }

    /** The {@code Rtc} of peer {@code id}. */
    public Rtc rtc(int id) {
        return peer(id).rtc;
    }

    /** Peers behind the router. */
    public int size() {
        return size;
    }

    /** One more than the largest id in use: the length per-peer arrays indexed by id need. */
    public int idLimit() {
        return nextId;
    }

    /**
     * The id of the peer a datagram from {@code source} is for, or -1 (counted by {@link RouteDropReason}).
     * Reads the datagram (a STUN message's USERNAME), allocates nothing, never throws on its content.
     */
    public int route(SocketAddressView source, MemorySegment segment, long offset, int length) {
        routedSource = null;
        if (IceAgent.accepts(segment, offset, length)) {
            if (!stun.wrap(segment, offset, length)) {
                drops.count(RouteDropReason.MALFORMED_STUN, source);
                return -1;
            }
            if (stun.isRequest()) {
                int id = byUfrag(segment, offset);
                stun.unwrap();
                if (id >= 0) {
                    int entry = addresses.find(source);
                    routedSource = entry >= 0 ? addresses.address(entry) : null;
                }
                return id;
            }
            stun.unwrap();
        }
        int entry = addresses.find(source);
        if (entry < 0) {
            drops.count(RouteDropReason.UNKNOWN_ADDRESS, source);
            return -1;
        }
        routedSource = addresses.address(entry);
        return addresses.owner(entry);
    }

    /** The peer whose ufrag the wrapped request's USERNAME ({@code ours:theirs}) begins with, or -1 (counted). */
    private int byUfrag(MemorySegment segment, long offset) {
        int at = stun.usernameOffset();
        int n = stun.usernameLength();
        int colon = -1;
        for (int i = 0; i < n; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, offset + at + i) == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            drops.count(RouteDropReason.NO_USERNAME, null);
            return -1;
        }
        int id = ufrags.find(segment, offset + at, colon);
        if (id < 0) {
            drops.count(RouteDropReason.UNKNOWN_UFRAG, null);
        }
        return id;
    }

    /**
     * Routes a datagram and hands it to its peer's {@code Rtc} ({@link Rtc#handleReceive}) with the source as the
     * {@code InetSocketAddress} its ICE agent holds, then picks up what the call taught the agent. Returns the
     * peer's id, or -1 when the datagram is for no peer (counted). Allocates nothing for a datagram from an
     * address a peer holds; a check from an address no peer holds yet gets a new {@code InetSocketAddress}.
     * Poll the peer's outputs afterwards.
     */
    public int receive(long now, SocketAddressView source, InetSocketAddress destination, MemorySegment segment, long offset,
                       int length) {
        return receive(now, Transport.UDP, source, destination, segment, offset, length);
    }

    /**
     * {@link #receive(long, SocketAddressView, InetSocketAddress, MemorySegment, long, int)} for a datagram that came over
     * {@code transport}: {@link Transport#TCP} for one cut from an ICE-TCP connection (RFC 4571), whose remote address
     * routes it as a UDP source would.
     */
    public int receive(long now, Transport transport, SocketAddressView source, InetSocketAddress destination, MemorySegment segment,
                       long offset, int length) {
        int id = route(source, segment, offset, length);
        if (id < 0) {
            return -1;
        }
        InetSocketAddress from = routedSource != null ? routedSource : source.toInetSocketAddress();
        Peer p = peers[id];
        p.rtc.handleReceive(now, transport, from, destination, segment, offset, length);
        if (p.rtc.routeVersion() != p.version) {
            update(id, p);
        }
        return id;
    }

    /**
     * Picks up a change to peer {@code id}'s keys after calls the router did not make: its timers (an ICE
     * restart, consent), signalling (a trickled candidate, a new offer). Costs one comparison when nothing
     * changed. Returns whether something did.
     */
    public boolean refresh(int id) {
        Peer p = peer(id);
        if (p.rtc.routeVersion() == p.version) {
            return false;
        }
        update(id, p);
        return true;
    }

    /** Datagrams routed to no peer for {@code reason}. */
    public long dropped(RouteDropReason reason) {
        return drops.dropped(reason);
    }

    /** Datagrams routed to no peer. */
    public long droppedTotal() {
        return drops.total();
    }

    /** The peer holding {@code address} now, or -1 (tests and diagnostics; reads the address's bytes). */
    public int holderOf(InetSocketAddress address) {
        int entry = addresses.find(address);
        return entry < 0 ? -1 : addresses.owner(entry);
    }

    private Peer peer(int id) {
        Peer p = id >= 0 && id < peers.length ? peers[id] : null;
        if (p == null) {
            throw new IllegalArgumentException("no peer has id " + id + " on this router; use an id add() returned, before remove()");
        }
        return p;
    }

    /** Reads the peer's keys again and brings the tables in line with them. */
    private void update(int id, Peer p) {
        RouteKeys keys = p.rtc.routeKeys();
        p.version = keys.version();
        updateUfrag(id, p, keys.localUfrag().getBytes(StandardCharsets.UTF_8));
        Set<InetSocketAddress> oldProven = p.proven;
        Set<InetSocketAddress> oldSignalled = p.signalled;
        p.proven = new HashSet<>(keys.proven());
        p.signalled = new HashSet<>(keys.signalled());
        for (InetSocketAddress a : oldProven) {
            if (!p.claims(a)) {
                release(id, a);
            }
        }
        for (InetSocketAddress a : oldSignalled) {
            if (!p.claims(a)) {
                release(id, a);
            }
        }
        for (InetSocketAddress a : p.proven) {
            claim(id, a, true, !oldProven.contains(a));
        }
        for (InetSocketAddress a : p.signalled) {
            claim(id, a, false, false);
        }
    }

    private void updateUfrag(int id, Peer p, byte[] ufrag) {
        if (Arrays.equals(ufrag, p.ufrag)) {
            return;
        }
        if (p.ufrag != null) {
            ufrags.remove(p.ufrag, id);
        }
        p.ufrag = ufrag;
        int holder = ufrags.find(ufrag);
        if (holder < 0) {
            ufrags.add(ufrag, id);
        } else if (LOG.isLoggable(WARNING)) {
            LOG.log(WARNING, "two Rtcs on one router have the local ufrag {0}: checks keep going to the first (id {1}), "
                    + "not to id {2}; let each Rtc make its own ICE credentials", new String(ufrag, StandardCharsets.UTF_8), holder, id);
        }
    }

    /**
     * Peer {@code id} claims {@code address}: it gets it when nobody holds it, or when it proved it and the holder
     * had not, or its proof is {@code fresh} (a NAT gave the holder's old mapping to this peer). Otherwise it waits.
     */
    private void claim(int id, InetSocketAddress address, boolean proven, boolean fresh) {
        int entry = addresses.find(address);
        if (entry < 0) {
            addresses.add(address, id, proven);
            return;
        }
        int holder = addresses.owner(entry);
        if (holder == id) {
            addresses.setOwner(entry, id, proven, address);
        } else if (proven && (fresh || !addresses.proven(entry))) {
            if (LOG.isLoggable(DEBUG)) {
                LOG.log(DEBUG, "router: {0} moves from peer {1} to peer {2}, which proved it its own", address, holder, id);
            }
            waitFor(address, holder);
            unwait(address, id);
            addresses.setOwner(entry, id, true, address);
        } else {
            waitFor(address, id);
        }
    }

    /** Peer {@code id} no longer claims {@code address}: if it held it, the next peer still claiming it gets it. */
    private void release(int id, InetSocketAddress address) {
        unwait(address, id);
        int entry = addresses.find(address);
        if (entry < 0 || addresses.owner(entry) != id) {
            return;
        }
        int next = nextClaimant(address);
        if (next < 0) {
            addresses.remove(entry);
        } else {
            unwait(address, next);
            addresses.setOwner(entry, next, peers[next].proven.contains(address), address);
        }
    }

    /** Of the peers waiting for {@code address} and still claiming it, one that proved it, else any; or -1. */
    private int nextClaimant(InetSocketAddress address) {
        List<Integer> waiting = contested.get(address);
        if (waiting == null) {
            return -1;
        }
        int any = -1;
        for (int id : waiting) {
            Peer p = peers[id];
            if (p != null && p.proven.contains(address)) {
                return id;
            }
            if (p != null && p.signalled.contains(address) && any < 0) {
                any = id;
            }
        }
        return any;
    }

    private void waitFor(InetSocketAddress address, int id) {
        List<Integer> waiting = contested.computeIfAbsent(address, a -> new ArrayList<>(2));
        if (!waiting.contains(id)) {
            waiting.add(id);
        }
    }

    private void unwait(InetSocketAddress address, int id) {
        List<Integer> waiting = contested.get(address);
        if (waiting != null && waiting.remove(Integer.valueOf(id)) && waiting.isEmpty()) {
            contested.remove(address);
        }
    }

    @Override
    public String toString() {
        return "RtcRouter[" + size + " peers, " + addresses.size() + " addresses, " + ufrags.size() + " ufrags]";
    }
}
