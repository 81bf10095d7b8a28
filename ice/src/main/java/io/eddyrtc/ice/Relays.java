package io.eddyrtc.ice;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The agent's TURN client: one {@link TurnAllocation} per configured server and local base of its address
 * family, the relayed candidates they yield, and the way datagrams cross them. Out, a datagram from a relayed
 * candidate is framed for its server (ChannelData or a Send indication) and readdressed to it; in, what a server
 * sends is either an answer for its allocation or data a peer sent to our relayed address, which is unwrapped in
 * place. Nothing is allocated per datagram once the allocations exist; relayed application data is copied once,
 * into the frame for the server.
 */
final class Relays {
    /** Room for a datagram of a pool slot (2 KiB) behind the longest Send indication header. */
    private static final int RELAY_CAPACITY = 2048 + 64;

    private final IceConfig config;
    private final StunOutbox outbox;
    private final HmacSha1 mac;
    private final RandomGenerator secrets;
    private final DropCounter<IceDropReason> drops;
    private final Consumer<IceEvent> events;
    private final Consumer<TurnAllocation> allocated;
    private final List<TurnAllocation> allocations = new ArrayList<>();
    /** Allocations whose relayed candidate the agent has been given. */
    private final List<TurnAllocation> announced = new ArrayList<>();
    private final StunMessage message = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final RelayedDatagram received = new RelayedDatagram();
    private final List<String> failures = new ArrayList<>(1);
    private StunTransmit relayTransmit;

    /**
     * @param allocated told when an allocation succeeds, so the agent adds its relayed candidate and pairs it
     */
    Relays(IceConfig config, StunOutbox outbox, HmacSha1 mac, RandomGenerator secrets, DropCounter<IceDropReason> drops,
           Consumer<IceEvent> events, Consumer<TurnAllocation> allocated) {
        this.config = config;
        this.outbox = outbox;
        this.mac = mac;
        this.secrets = secrets;
        this.drops = drops;
        this.events = events;
        this.allocated = allocated;
    }

    /** A UDP host candidate's base: an allocation on each configured server of its address family, made at the next timer. */
    void baseAdded(Candidate host) {
        if (host.type() != CandidateType.HOST || host.transport() != TransportProtocol.UDP) {
            return;
        }
        for (TurnServer server : config.turnServers()) {
            boolean sameFamily = server.address().getAddress().getAddress().length == host.base().getAddress().getAddress().length;
            if (sameFamily && find(server.address(), host.base()) == null) {
                allocations.add(new TurnAllocation(server, host.base(), config.maxRelayPeers(), outbox, mac, secrets));
            }
        }
    }

    private TurnAllocation find(InetSocketAddress server, InetSocketAddress base) {
        for (int i = 0; i < allocations.size(); i++) {
            TurnAllocation a = allocations.get(i);
            if (a.server.address().equals(server) && a.base.equals(base)) {
                return a;
            }
        }
        return null;
    }

    /** The allocation whose relayed address is {@code relayed}, or null. */
    TurnAllocation byRelayed(InetSocketAddress relayed) {
        for (int i = 0; i < allocations.size(); i++) {
            TurnAllocation a = allocations.get(i);
            if (relayed.equals(a.relayed())) {
                return a;
            }
        }
        return null;
    }

    /**
     * Whether {@code source} is the server of an allocation made from {@code destination} (from any base when null):
     * what it sends is the TURN client's.
     */
    boolean isServer(InetSocketAddress source, InetSocketAddress destination) {
        for (int i = 0; i < allocations.size(); i++) {
            TurnAllocation a = allocations.get(i);
            if (a.server.address().equals(source) && (destination == null || a.base.equals(destination))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code local} is the relayed candidate of one of our allocations (rather than one a caller relays itself). */
    boolean owns(Candidate local) {
        return local.type() == CandidateType.RELAYED && byRelayed(local.base()) != null;
    }

    /** A permission and channel for {@code remote} on {@code local}'s allocation; false past the cap (counted). */
    boolean permit(Candidate local, InetSocketAddress remote) {
        TurnAllocation a = byRelayed(local.base());
        if (a == null || a.permit(remote)) {
            return true;
        }
        drops.count(IceDropReason.RELAY_PEER_LIMIT, remote);
        return false;
    }

    // ---------------------------------------------------------------- in

    /**
     * A datagram from one of our servers ({@link #isServer}): an answer for its allocation (handled), data a peer sent
     * to our relayed address (returned as a view into the datagram), or something to drop (counted). Null unless data.
     */
    RelayedDatagram receive(long now, InetSocketAddress source, InetSocketAddress destination, MemorySegment segment, long offset,
                            int length) {
        TurnAllocation a = find(source, destination);
        if (a == null) {
            return null;
        }
        if (length >= Stun.CHANNEL_DATA_HEADER) {
            int first = BigEndian.u8(segment, offset);
            if (first >= 0x40 && first <= 0x4F) {
                int dataLength = BigEndian.u16(segment, offset + 2);
                if (Stun.CHANNEL_DATA_HEADER + dataLength > length) {
                    drops.count(IceDropReason.RELAY_MALFORMED, source);
                    return null;
                }
                InetSocketAddress peer = a.isUsable() ? a.channelPeer(BigEndian.u16(segment, offset)) : null;
                if (peer == null) {
                    drops.count(IceDropReason.RELAY_UNKNOWN_PEER, source);
                    return null;
                }
                return received.set(peer, a.relayed(), segment, offset + Stun.CHANNEL_DATA_HEADER, dataLength);
            }
        }
        if (!Stun.looksLikeStun(segment, offset, length) || !message.wrap(segment, offset, length)) {
            drops.count(IceDropReason.RELAY_MALFORMED, source);
            return null;
        }
        try {
            if (message.hasFingerprint() && !message.verifyFingerprint()) {
                drops.count(IceDropReason.BAD_FINGERPRINT, source);
                return null;
            }
            if (message.messageType() == Stun.typeOf(Stun.METHOD_DATA, Stun.CLASS_INDICATION)) {
                return dataIndication(a, source, segment, offset);
            }
            if (message.isSuccessResponse() || message.isErrorResponse()) {
                IceDropReason dropped = a.onAnswer(now, message, failures);
                if (dropped != null) {
                    drops.count(dropped, source);
                }
                afterAnswer(a);
                return null;
            }
            drops.count(IceDropReason.RELAY_MALFORMED, source); // a request or another indication: servers send neither
            return null;
        } finally {
            message.unwrap();
        }
    }

    private RelayedDatagram dataIndication(TurnAllocation a, InetSocketAddress source, MemorySegment segment, long offset) {
        int at = message.find(Stun.DATA);
        if (!a.isUsable() || at < 0) {
            drops.count(a.isUsable() ? IceDropReason.RELAY_MALFORMED : IceDropReason.RELAY_UNKNOWN_PEER, source);
            return null;
        }
        InetSocketAddress peer = a.dataIndicationPeer(message);
        if (peer == null) {
            drops.count(IceDropReason.RELAY_UNKNOWN_PEER, source);
            return null;
        }
        return received.set(peer, a.relayed(), segment, offset + at, message.attributeLength(at));
    }

    /** What an answer changed: a new relayed candidate, or a failed allocation. */
    private void afterAnswer(TurnAllocation a) {
        if (a.isUsable() && a.relayed() != null && !announced.contains(a)) {
            announced.add(a);
            allocated.accept(a);
        }
        reportFailures(a);
    }

    private void reportFailures(TurnAllocation a) {
        for (int i = 0; i < failures.size(); i++) {
            events.accept(new IceEvent.RelayFailed(a.server, failures.get(i)));
        }
        failures.clear();
    }

    // ---------------------------------------------------------------- out

    /**
     * Frames a datagram the outbox wrote from a relayed candidate for its server, in place. True when it may go
     * (wrapped, or not from one of our relayed candidates at all); false when it cannot be sent (counted).
     */
    boolean wrapOutgoing(StunTransmit t) {
        TurnAllocation a = byRelayed(t.source);
        if (a == null) {
            return true;
        }
        TurnAllocation.Peer peer = a.isUsable() ? a.peer(t.destination) : null;
        if (peer == null) {
            drops.count(IceDropReason.RELAY_UNSENDABLE, t.destination);
            return false;
        }
        int header = TurnAllocation.headerLength(peer);
        MemorySegment.copy(t.segment, 0, t.segment, header, t.length); // overlapping: copied as if through a buffer
        if (!a.frame(t, peer, t.length, writer)) {
            drops.count(IceDropReason.RELAY_UNSENDABLE, t.destination);
            return false;
        }
        return true;
    }

    /**
     * Application data on a relayed pair: framed for the server in a transmit of its own (valid until the next call
     * into the agent), or null when it cannot go (counted).
     */
    StunTransmit relay(CandidatePair pair, MemorySegment segment, long offset, int length) {
        TurnAllocation a = byRelayed(pair.local.base());
        TurnAllocation.Peer peer = a != null && a.isUsable() ? a.peer(pair.remote.address()) : null;
        if (peer == null) {
            drops.count(IceDropReason.RELAY_UNSENDABLE, pair.remote.address());
            return null;
        }
        if (relayTransmit == null) {
            relayTransmit = new StunTransmit(Arena.ofAuto(), RELAY_CAPACITY);
        }
        int header = TurnAllocation.headerLength(peer);
        if (header + length + 3 > RELAY_CAPACITY) {
            drops.count(IceDropReason.RELAY_UNSENDABLE, pair.remote.address());
            return null;
        }
        MemorySegment.copy(segment, offset, relayTransmit.segment, header, length);
        if (!a.frame(relayTransmit, peer, length, writer)) {
            drops.count(IceDropReason.RELAY_UNSENDABLE, pair.remote.address());
            return null;
        }
        return relayTransmit;
    }

    // ---------------------------------------------------------------- timers

    long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < allocations.size(); i++) {
            d = Math.min(d, allocations.get(i).nextDeadline());
        }
        return d;
    }

    void handleTimeout(long now) {
        for (int i = 0; i < allocations.size(); i++) {
            TurnAllocation a = allocations.get(i);
            String failed = a.handleTimeout(now);
            if (failed != null) {
                failures.add(failed);
            }
            reportFailures(a);
        }
    }

    /** Releases every allocation (the agent closes). */
    void releaseAll(long now) {
        for (int i = 0; i < allocations.size(); i++) {
            allocations.get(i).release(now);
        }
    }

    /** The allocations, for tests and diagnostics. */
    List<TurnAllocation> allocations() {
        return List.copyOf(allocations);
    }
}
