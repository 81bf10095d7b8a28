package io.eddyrtc.ice;

import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The agent's outgoing STUN: writes checks, success responses and error responses into reused
 * {@link StunTransmit} slots and queues them for {@link IceAgent#pollTransmit()}. Slots are allocated
 * on first use, up to {@link #SLOTS}; when all wait to be polled a write fails and the caller counts
 * the drop. Nothing is allocated once the slots exist.
 */
final class StunOutbox {
    /** Datagrams that can wait for {@link IceAgent#pollTransmit()}. */
    static final int SLOTS = 32;

    private final Arena arena = Arena.ofAuto();
    private final HmacSha1 mac;
    private final StunWriter writer = new StunWriter();
    private final ArrayDeque<StunTransmit> free = new ArrayDeque<>(SLOTS);
    private final ArrayDeque<StunTransmit> pending = new ArrayDeque<>(SLOTS);
    private int allocated;
    private StunTransmit lastPolled;
    private Relays relays;

    StunOutbox(HmacSha1 mac) {
        this.mac = mac;
    }

    /**
     * A Binding request from {@code pair}'s local base to its remote address (RFC 8445 §7.2.2).
     *
     * @return false if every slot is waiting to be polled
     */
    boolean writeCheck(CandidatePair pair, int txHigh, long txLow, Credentials credentials, boolean controlling, long tieBreaker,
                       boolean useCandidate) {
        StunTransmit t = start(pair.local.base(), pair.remote.address(), pair.transport());
        if (t == null) {
            return false;
        }
        writer.begin(t.segment, 0, StunTransmit.CAPACITY, Stun.BINDING_REQUEST, txHigh, txLow)
                .addUsername(credentials.remoteUfrag(), credentials.localUfrag())
                .addPriority(pair.local.peerReflexivePriority());
        if (controlling) {
            writer.addIceControlling(tieBreaker);
            if (useCandidate) {
                writer.addUseCandidate();
            }
        } else {
            writer.addIceControlled(tieBreaker);
        }
        writer.addMessageIntegrity(mac, credentials.remotePwd()).addFingerprint();
        finish(t);
        return true;
    }

    /** A Binding success answering {@code request}, whose XOR-MAPPED-ADDRESS is where the request came from. */
    boolean writeSuccess(InetSocketAddress from, InetSocketAddress to, Transport transport, StunMessage request, byte[] mappedIp,
                         byte[] localPwd) {
        StunTransmit t = start(from, to, transport);
        if (t == null) {
            return false;
        }
        writer.begin(t.segment, 0, StunTransmit.CAPACITY, Stun.BINDING_SUCCESS, request.transactionHigh(), request.transactionLow())
                .addXorMappedAddress(mappedIp, to.getPort())
                .addMessageIntegrity(mac, localPwd)
                .addFingerprint();
        finish(t);
        return true;
    }

    /** A Binding error answering {@code request}; {@code unknownCount} of {@code unknown} go in UNKNOWN-ATTRIBUTES (420 only). */
    boolean writeError(InetSocketAddress from, InetSocketAddress to, Transport transport, StunMessage request, int code,
                       byte[] reason, int[] unknown, int unknownCount, byte[] localPwd) {
        StunTransmit t = start(from, to, transport);
        if (t == null) {
            return false;
        }
        writer.begin(t.segment, 0, StunTransmit.CAPACITY, Stun.BINDING_ERROR, request.transactionHigh(), request.transactionLow())
                .addErrorCode(code, reason);
        if (unknownCount > 0) {
            writer.addUnknownAttributes(unknown, unknownCount);
        }
        writer.addMessageIntegrity(mac, localPwd).addFingerprint();
        finish(t);
        return true;
    }

    /** The next datagram to send, or null; the one polled before goes back to the free slots. */
    StunTransmit poll() {
        recyclePolled();
        lastPolled = pending.poll();
        return lastPolled;
    }

    /** The caller is done with the datagram it polled last (any call into the agent means that). */
    void recyclePolled() {
        if (lastPolled != null) {
            free.add(lastPolled);
            lastPolled = null;
        }
    }

    /**
     * A slot for a message of the agent's TURN client, to write with {@link #writer()} from {@code begin} on and hand
     * back with {@link #close}; null when every slot waits to be polled.
     */
    StunTransmit open(InetSocketAddress from, InetSocketAddress to, Transport transport) {
        return start(from, to, transport);
    }

    /** The writer {@link #open}'s slot is written with. */
    StunWriter writer() {
        return writer;
    }

    /** Queues a slot from {@link #open}, written. */
    void close(StunTransmit t) {
        finish(t);
    }

    /** Empties the queue without sending (the agent closed: only its farewells go out). */
    void discardPending() {
        for (StunTransmit t; (t = pending.poll()) != null; ) {
            free.add(t);
        }
    }

    private StunTransmit start(InetSocketAddress from, InetSocketAddress to, Transport transport) {
        StunTransmit t = free.poll();
        if (t == null && allocated < SLOTS) {
            t = new StunTransmit(arena);
            allocated++;
        }
        if (t == null) {
            return null;
        }
        t.source = from;
        t.destination = to;
        t.transport = transport;
        return t;
    }

    private void finish(StunTransmit t) {
        t.length = writer.length();
        if (relays != null && !relays.wrapOutgoing(t)) {
            free.add(t); // from a relayed candidate whose allocation cannot take it: counted by the relays
            return;
        }
        pending.add(t);
    }

    /** Wraps what leaves from a relayed candidate for its TURN server; set once by the agent. */
    void relayThrough(Relays value) {
        this.relays = value;
    }
}
