package io.eddyrtc.ice;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One TURN allocation (RFC 8656) made from a local base on one server: the Allocate with long-term credentials
 * (an unauthenticated first try, the 401 that names realm and nonce, a 438 that renews the nonce), its Refresh
 * before the lifetime runs out, one permission and channel per peer (a ChannelBind installs both, and refreshing it
 * every 4 minutes keeps both), and the release (a Refresh with lifetime 0). Requests are retransmitted over UDP
 * (500 ms doubling, 7 transmits, RFC 8489 §6.2.1) and sent once over TCP (39.5 s to answer).
 *
 * <p>Outgoing data to a peer is framed here (ChannelData once its channel is bound, a Send indication before);
 * {@link Relays} routes it. What the server sends is checked here: answers must match a request in flight and,
 * once authenticated, carry MESSAGE-INTEGRITY with the long-term key; anything else is dropped and counted.
 */
final class TurnAllocation {
    enum State { ALLOCATING, ALLOCATED, FAILED, RELEASED }

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long INITIAL_RTO = 500 * MS;
    private static final long MAX_RTO = 8 * S;
    private static final int UDP_TRANSMITS = 7;
    private static final long TCP_ANSWER_TIMEOUT = 39_500 * MS;
    /** A permission lasts 300 s and a channel 600 s (RFC 8656 §9, §12); a ChannelBind refreshes both. */
    private static final long CHANNEL_REFRESH = 240 * S;
    private static final long RETRY_AFTER = 5 * S;
    /** 401s and 438s a request may meet before we give it up: enough to learn a realm and renew a nonce. */
    private static final int MAX_AUTH_RETRIES = 3;
    private static final long REFRESH_LIFETIME_SECONDS = 600;
    private static final long NEVER = Long.MAX_VALUE;

    /** One request in flight (or none: {@code method == 0}) with its retransmission schedule. */
    static final class Request {
        int method;
        int txHigh;
        long txLow;
        int transmits;
        long rto;
        long retransmitAt = NEVER;
        int authRetries;
        long lifetime;
        /** The peer a ChannelBind is for; null otherwise. */
        final Peer peer;

        Request(Peer peer) {
            this.peer = peer;
        }

        boolean inFlight() {
            return method != 0;
        }

        boolean matches(int high, long low) {
            return method != 0 && txHigh == high && txLow == low;
        }

        void end() {
            method = 0;
            retransmitAt = NEVER;
        }
    }

    /** A peer we hold a permission and a channel for on this allocation. */
    static final class Peer {
        final InetSocketAddress address;
        final byte[] ip;
        final int channel;
        boolean bound;
        long bindAt;
        final Request bind = new Request(this);

        Peer(InetSocketAddress address, int channel, long bindAt) {
            this.address = address;
            this.ip = address.getAddress().getAddress();
            this.channel = channel;
            this.bindAt = bindAt;
        }
    }

    final TurnServer server;
    final InetSocketAddress base;
    private final byte[] username;
    private final byte[] password;
    private final int maxPeers;
    private final StunOutbox outbox;
    private final HmacSha1 mac;
    private final RandomGenerator secrets;
    private final int indicationId;
    private long indications;

    private byte[] realm;
    private byte[] nonce;
    private byte[] key;
    private State state = State.ALLOCATING;
    private boolean started;
    private String failure;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;
    private long expiresAt = NEVER;
    private long refreshAt = NEVER;
    private final Request control = new Request(null);
    private final List<Peer> peers = new ArrayList<>();
    private int nextChannel = Stun.FIRST_CHANNEL;
    private final byte[] scratch = new byte[16];

    TurnAllocation(TurnServer server, InetSocketAddress base, int maxPeers, StunOutbox outbox, HmacSha1 mac,
                   RandomGenerator secrets) {
        this.server = server;
        this.base = base;
        this.username = server.username().getBytes(StandardCharsets.UTF_8);
        this.password = server.password().getBytes(StandardCharsets.UTF_8);
        this.maxPeers = maxPeers;
        this.outbox = outbox;
        this.mac = mac;
        this.secrets = secrets;
        this.indicationId = secrets.nextInt();
    }

    State state() {
        return state;
    }

    /** Why the allocation failed, or null. */
    String failure() {
        return failure;
    }

    /** Our relayed address, or null before the Allocate succeeded. */
    InetSocketAddress relayed() {
        return relayed;
    }

    /** Our address as the server saw it, or null before the Allocate succeeded. */
    InetSocketAddress mapped() {
        return mapped;
    }

    boolean isUsable() {
        return state == State.ALLOCATED;
    }

    // ---------------------------------------------------------------- peers

    Peer peer(InetSocketAddress address) {
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).address.equals(address)) {
                return peers.get(i);
            }
        }
        return null;
    }

    private Peer peerByChannel(int channel) {
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            if (p.channel == channel && p.bound) {
                return p;
            }
        }
        return null;
    }

    /**
     * A permission and channel for {@code address}, asked for at the next timer; false when this allocation
     * already holds its {@code maxPeers} (or has no channel number left).
     */
    boolean permit(InetSocketAddress address) {
        if (peer(address) != null) {
            return true;
        }
        if (peers.size() >= maxPeers || nextChannel > Stun.LAST_CHANNEL || address.isUnresolved()) {
            return false;
        }
        peers.add(new Peer(address, nextChannel++, Long.MIN_VALUE));
        return true;
    }

    // ---------------------------------------------------------------- timers

    long nextDeadline() {
        if (state == State.FAILED || state == State.RELEASED) {
            return NEVER;
        }
        if (!started) {
            return Long.MIN_VALUE;
        }
        long d = Math.min(control.retransmitAt, state == State.ALLOCATED && !control.inFlight() ? refreshAt : NEVER);
        d = Math.min(d, expiresAt);
        if (state == State.ALLOCATED) {
            for (int i = 0; i < peers.size(); i++) {
                Peer p = peers.get(i);
                d = Math.min(d, p.bind.inFlight() ? p.bind.retransmitAt : p.bindAt);
            }
        }
        return d;
    }

    /** Runs what is due; returns a failure reason when the allocation failed now, else null. */
    String handleTimeout(long now) {
        if (state == State.FAILED || state == State.RELEASED) {
            return null;
        }
        if (!started) {
            started = true;
            begin(now, control, Stun.METHOD_ALLOCATE, 0);
            return null;
        }
        if (state == State.ALLOCATED && now >= expiresAt) {
            return fail("the allocation expired: no refresh got through");
        }
        if (control.inFlight() && now >= control.retransmitAt) {
            if (!retransmit(now, control)) {
                Request r = control;
                int method = r.method;
                r.end();
                if (method == Stun.METHOD_ALLOCATE) {
                    return fail("no answer to the Allocate from " + server.address());
                }
                refreshAt = Math.min(expiresAt, now + RETRY_AFTER); // a lost refresh: try again before expiry
            }
        }
        if (state == State.ALLOCATED && !control.inFlight() && now >= refreshAt) {
            begin(now, control, Stun.METHOD_REFRESH, REFRESH_LIFETIME_SECONDS);
        }
        if (state == State.ALLOCATED) {
            for (int i = 0; i < peers.size(); i++) {
                Peer p = peers.get(i);
                if (p.bind.inFlight() && now >= p.bind.retransmitAt && !retransmit(now, p.bind)) {
                    p.bind.end();
                    p.bindAt = now + RETRY_AFTER;
                }
                if (!p.bind.inFlight() && now >= p.bindAt) {
                    begin(now, p.bind, Stun.METHOD_CHANNEL_BIND, 0);
                    p.bindAt = NEVER;
                }
            }
        }
        return null;
    }

    private void begin(long now, Request r, int method, long lifetime) {
        if (r.method != method) {
            r.authRetries = 0;
        }
        r.method = method;
        r.lifetime = lifetime;
        r.txHigh = secrets.nextInt();
        r.txLow = secrets.nextLong();
        r.transmits = 1;
        r.rto = server.transport() == Transport.UDP ? INITIAL_RTO : TCP_ANSWER_TIMEOUT;
        r.retransmitAt = now + r.rto;
        write(r);
    }

    /** One more transmit of {@code r} (UDP only); false when it has run out of them. */
    private boolean retransmit(long now, Request r) {
        if (server.transport() != Transport.UDP || r.transmits >= UDP_TRANSMITS) {
            return false;
        }
        r.transmits++;
        r.rto = Math.min(r.rto * 2, MAX_RTO);
        r.retransmitAt = now + r.rto;
        write(r);
        return true;
    }

    /** Releases the allocation (a Refresh with lifetime 0, sent once: a lost one leaves it to expire at the server). */
    void release(long now) {
        if (state == State.ALLOCATED) {
            control.end();
            begin(now, control, Stun.METHOD_REFRESH, 0);
            control.end();
        }
        if (state != State.FAILED) {
            state = State.RELEASED;
        }
    }

    private String fail(String reason) {
        state = State.FAILED;
        failure = reason;
        control.end();
        for (int i = 0; i < peers.size(); i++) {
            peers.get(i).bind.end();
        }
        return reason;
    }

    // ---------------------------------------------------------------- requests out

    private void write(Request r) {
        StunTransmit t = outbox.open(base, server.address(), server.transport());
        if (t == null) {
            return; // every slot waits to be polled: as if lost, the retransmission comes
        }
        StunWriter w = outbox.writer();
        w.begin(t.segment, 0, StunTransmit.CAPACITY, Stun.typeOf(r.method, Stun.CLASS_REQUEST), r.txHigh, r.txLow);
        switch (r.method) {
            case Stun.METHOD_ALLOCATE -> w.addRequestedTransport(Stun.PROTOCOL_UDP);
            case Stun.METHOD_REFRESH -> w.addU32(Stun.LIFETIME, r.lifetime);
            case Stun.METHOD_CHANNEL_BIND -> w.addChannelNumber(r.peer.channel)
                    .addXorAddress(Stun.XOR_PEER_ADDRESS, r.peer.ip, r.peer.address.getPort());
            default -> throw new IllegalStateException("no TURN request of method " + r.method);
        }
        if (key != null) {
            w.addBytes(Stun.USERNAME, username).addBytes(Stun.REALM, realm).addBytes(Stun.NONCE, nonce)
                    .addMessageIntegrity(mac, key);
        }
        w.addFingerprint();
        outbox.close(t);
    }

    // ---------------------------------------------------------------- what the server sends

    /** The outcome of an answer: null when taken, else why it was dropped. */
    IceDropReason onAnswer(long now, StunMessage m, List<String> failures) {
        Request r = control.matches(m.transactionHigh(), m.transactionLow()) ? control : null;
        for (int i = 0; r == null && i < peers.size(); i++) {
            if (peers.get(i).bind.matches(m.transactionHigh(), m.transactionLow())) {
                r = peers.get(i).bind;
            }
        }
        if (r == null) {
            return IceDropReason.RELAY_UNKNOWN_TRANSACTION;
        }
        if (m.isErrorResponse()) {
            int code = m.errorCode();
            if (code == Stun.ERROR_UNAUTHORIZED || code == Stun.ERROR_STALE_NONCE) {
                // Unauthenticated by their nature (RFC 8489 §9.2.4): a forged one costs a bounded number of retries.
                byte[] newNonce = m.attributeBytes(Stun.NONCE);
                byte[] newRealm = m.attributeBytes(Stun.REALM);
                if (newNonce == null || (newRealm == null && realm == null) || r.authRetries >= MAX_AUTH_RETRIES) {
                    return endRequest(now, r, "the server refused our credentials (" + code + ")", failures);
                }
                r.authRetries++;
                nonce = newNonce;
                if (newRealm != null && !Arrays.equals(newRealm, realm)) {
                    realm = newRealm;
                    key = longTermKey(username, realm, password);
                }
                begin(now, r, r.method, r.lifetime); // a new transaction, with the new nonce
                return null;
            }
            if (m.hasMessageIntegrity() && (key == null || !m.verifyIntegrity(mac, key))) {
                return IceDropReason.RELAY_BAD_INTEGRITY;
            }
            return endRequest(now, r, "the server answered " + code + " " + reasonOf(m), failures);
        }
        if (!m.isSuccessResponse()) {
            return IceDropReason.RELAY_MALFORMED;
        }
        if (key == null || !m.hasMessageIntegrity() || !m.verifyIntegrity(mac, key)) {
            return IceDropReason.RELAY_BAD_INTEGRITY; // the real answer may still come: the request stays in flight
        }
        switch (r.method) {
            case Stun.METHOD_ALLOCATE -> {
                InetSocketAddress relayedAddress = address(m, Stun.XOR_RELAYED_ADDRESS);
                if (relayedAddress == null) {
                    return IceDropReason.RELAY_MALFORMED;
                }
                r.end();
                relayed = relayedAddress;
                mapped = address(m, Stun.XOR_MAPPED_ADDRESS);
                state = State.ALLOCATED;
                lifetime(now, m);
            }
            case Stun.METHOD_REFRESH -> {
                r.end();
                lifetime(now, m);
            }
            case Stun.METHOD_CHANNEL_BIND -> {
                r.end();
                r.peer.bound = true;
                r.peer.bindAt = now + CHANNEL_REFRESH;
            }
            default -> {
                return IceDropReason.RELAY_MALFORMED;
            }
        }
        return null;
    }

    /** A request the server refused for good: the allocation fails with an Allocate or Refresh, a ChannelBind is tried again later. */
    private IceDropReason endRequest(long now, Request r, String reason, List<String> failures) {
        int method = r.method;
        r.end();
        if (method == Stun.METHOD_CHANNEL_BIND) {
            r.peer.bindAt = now + RETRY_AFTER;
            return IceDropReason.ERROR_RESPONSE;
        }
        failures.add(fail((method == Stun.METHOD_ALLOCATE ? "Allocate" : "Refresh") + " failed: " + reason));
        return IceDropReason.ERROR_RESPONSE;
    }

    private void lifetime(long now, StunMessage m) {
        long seconds = m.u32Attribute(Stun.LIFETIME);
        if (seconds <= 0) {
            seconds = REFRESH_LIFETIME_SECONDS;
        }
        seconds = Math.min(seconds, 3600);
        expiresAt = now + seconds * S;
        // refresh a minute early (half way for short lifetimes), so a lost refresh has time for retransmissions
        refreshAt = now + Math.max(seconds - 60, seconds / 2) * S;
    }

    private InetSocketAddress address(StunMessage m, int type) {
        int n = m.xorAddress(type, scratch);
        int port = m.xorPort(type);
        if (n == 0 || port < 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(scratch, n)), port);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    private static String reasonOf(StunMessage m) {
        String reason = m.errorReason();
        return reason == null ? "" : reason.length() > 80 ? reason.substring(0, 80) : reason;
    }

    /** RFC 8489 §9.2.2: MD5(username ":" realm ":" password), the key of MESSAGE-INTEGRITY with long-term credentials. */
    static byte[] longTermKey(byte[] username, byte[] realm, byte[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(username);
            md5.update((byte) ':');
            md5.update(realm);
            md5.update((byte) ':');
            md5.update(password);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no MD5, which TURN's long-term credentials need", e);
        }
    }

    /**
     * The peer a Data indication came from: one we hold a permission for, matched by address without allocating;
     * a permitted IP at a port we did not know (a peer-reflexive address) gets an address object made for it.
     * Null when its IP has no permission here.
     */
    InetSocketAddress dataIndicationPeer(StunMessage m) {
        int n = m.xorAddress(Stun.XOR_PEER_ADDRESS, scratch);
        int port = m.xorPort(Stun.XOR_PEER_ADDRESS);
        if (n == 0 || port < 0) {
            return null;
        }
        Peer sameIp = null;
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            if (p.ip.length == n && equalPrefix(p.ip, scratch, n)) {
                if (p.address.getPort() == port) {
                    return p.address;
                }
                sameIp = p;
            }
        }
        return sameIp == null ? null : new InetSocketAddress(sameIp.address.getAddress(), port);
    }

    /** The peer ChannelData on {@code channel} came from, or null when no bound channel has that number. */
    InetSocketAddress channelPeer(int channel) {
        Peer p = peerByChannel(channel);
        return p == null ? null : p.address;
    }

    private static boolean equalPrefix(byte[] a, byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- data out

    /** How many bytes go before a datagram to {@code peer}: the ChannelData header, or a Send indication's header and attributes. */
    static int headerLength(Peer peer) {
        return peer.bound ? Stun.CHANNEL_DATA_HEADER : Stun.HEADER_LENGTH + 4 + (peer.ip.length == 4 ? 8 : 20) + 4;
    }

    /**
     * Frames the {@code length} bytes already at {@link #headerLength} of {@code t}'s segment for {@code peer} and
     * readdresses {@code t} to the server. False when the framed message does not fit the segment.
     */
    boolean frame(StunTransmit t, Peer peer, int length, StunWriter writer) {
        MemorySegment s = t.segment;
        if (peer.bound) {
            int padded = server.transport() == Transport.TURN_TCP ? (length + 3) & ~3 : length; // RFC 8656 §12.5
            if (Stun.CHANNEL_DATA_HEADER + padded > s.byteSize()) {
                return false;
            }
            BigEndian.putU16(s, 0, peer.channel);
            BigEndian.putU16(s, 2, length);
            for (int i = length; i < padded; i++) {
                s.set(ValueLayout.JAVA_BYTE, Stun.CHANNEL_DATA_HEADER + i, (byte) 0);
            }
            t.length = Stun.CHANNEL_DATA_HEADER + padded;
        } else {
            int header = headerLength(peer);
            if (header + ((length + 3) & ~3) > s.byteSize()) {
                return false;
            }
            // The data is already where DATA's value goes, so addBytes copies it onto itself.
            writer.begin(s, 0, (int) s.byteSize(), Stun.typeOf(Stun.METHOD_SEND, Stun.CLASS_INDICATION), indicationId, indications++)
                    .addXorAddress(Stun.XOR_PEER_ADDRESS, peer.ip, peer.address.getPort())
                    .addBytes(Stun.DATA, s, header, length);
            t.length = writer.length();
        }
        t.source = base;
        t.destination = server.address();
        t.transport = server.transport();
        return true;
    }

    @Override
    public String toString() {
        return "TurnAllocation[" + server + " from " + base + ", " + state + (relayed != null ? ", relayed " + relayed : "")
                + (failure != null ? ", " + failure : "") + "]";
    }
}
