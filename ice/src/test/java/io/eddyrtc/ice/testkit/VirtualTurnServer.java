package io.eddyrtc.ice.testkit;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.ice.Transport;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small TURN server (RFC 8656) on the {@link VirtualNetwork}, sans-I/O like everything there: long-term
 * credentials (an Allocate without them gets 401 with realm and nonce), Allocate, Refresh (lifetime 0 deletes),
 * CreatePermission, ChannelBind, Send and Data indications, ChannelData, permissions per peer IP, and lifetimes in
 * virtual time. Clients reach it over UDP, or over TCP through a {@link VirtualTcp}. It relays from an address of
 * its own per allocation. Tests tell it to misbehave ({@link #staleNonceOnce}) and read its counters.
 *
 * <p>Test code: allocates freely, and trusts nothing it receives either.
 */
public final class VirtualTurnServer implements SansIoNode {
    private static final long S = 1_000_000_000L;
    private static final long PERMISSION_LIFETIME = 300 * S;
    private static final long CHANNEL_LIFETIME = 600 * S;

    private record Out(Transport transport, InetSocketAddress from, InetSocketAddress to, byte[] datagram) {}

    private final class Allocation {
        final Transport transport;
        final InetSocketAddress client;
        final InetSocketAddress listening;
        final InetSocketAddress relayed;
        long expiresAt;
        int txHigh;
        long txLow;
        final Map<InetAddress, Long> permissions = new HashMap<>();
        final Map<Integer, InetSocketAddress> channels = new HashMap<>();
        final Map<InetSocketAddress, Integer> channelOf = new HashMap<>();
        final Map<Integer, Long> channelExpiry = new HashMap<>();

        Allocation(Transport transport, InetSocketAddress client, InetSocketAddress listening, InetSocketAddress relayed) {
            this.transport = transport;
            this.client = client;
            this.listening = listening;
            this.relayed = relayed;
        }

        boolean permits(InetAddress peer, long now) {
            Long until = permissions.get(peer);
            return until != null && now < until;
        }
    }

    private final InetSocketAddress address;
    private final InetSocketAddress tcpAddress;
    private final byte[] realm;
    private final byte[] key;
    private final byte[] username;
    private final VirtualTcp tcp;
    private VirtualNetwork net;
    private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();
    private final Map<InetSocketAddress, Allocation> byRelayed = new HashMap<>();
    private final List<Out> outbox = new ArrayList<>();
    private final HmacSha1 mac = new HmacSha1();
    private final StunMessage m = new StunMessage();
    private final Set<String> nonces = new HashSet<>();
    private String nonce = "nonce-1";
    private boolean staleOnce;
    private int nextRelayPort = 50_000;
    private long now;

    /** Counters the tests read. */
    public long allocations;
    public long releases;
    public long refreshes;
    public long channelBinds;
    public long unauthorized;
    public long staleNonces;
    public long relayedToPeers;
    public long relayedToClients;
    public long refusedNoPermission;

    /**
     * A server at {@code address} (UDP) and, when {@code tcp} is given, {@code tcpAddress} (TCP), with one user.
     */
    public VirtualTurnServer(InetSocketAddress address, InetSocketAddress tcpAddress, VirtualTcp tcp, String realm, String user,
                             String password) {
        this.address = address;
        this.tcpAddress = tcpAddress;
        this.tcp = tcp;
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
        this.username = user.getBytes(StandardCharsets.UTF_8);
        this.key = md5(user + ":" + realm + ":" + password);
        nonces.add(nonce);
    }

    /** Attaches the server to {@code network} (its UDP address, and its TCP one through the {@link VirtualTcp}). */
    public VirtualTurnServer attachTo(VirtualNetwork network) {
        this.net = network;
        network.attach(this, address);
        if (tcp != null) {
            tcp.listen(this, tcpAddress);
        }
        return this;
    }

    /** The next authenticated request gets 438 Stale Nonce with a new nonce, as servers rotate them. */
    public void staleNonceOnce() {
        staleOnce = true;
    }

    /** Allocations alive now. */
    public int liveAllocations() {
        byClient.values().removeIf(a -> net.now() >= a.expiresAt);
        return byClient.size();
    }

    /** Relayed addresses of the live allocations. */
    public List<InetSocketAddress> relayedAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Allocation a : byClient.values()) {
            out.add(a.relayed);
        }
        return out;
    }

    // ---------------------------------------------------------------- SansIoNode

    @Override
    public void receive(long t, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        now = t;
        if (tcp != null && tcp.carries(source, destination)) {
            for (VirtualTcp.Received r : tcp.receive(source, destination, datagram)) {
                fromClient(Transport.TURN_TCP, r.source(), r.destination(), r.datagram());
            }
            return;
        }
        Allocation relayedTo = byRelayed.get(destination);
        if (relayedTo != null) {
            fromPeer(relayedTo, source, datagram);
            return;
        }
        if (destination.equals(address)) {
            fromClient(Transport.UDP, source, destination, datagram);
        }
    }

    @Override
    public void timeout(long t) {
        now = t;
    }

    @Override
    public long nextDeadline() {
        return Long.MAX_VALUE;
    }

    @Override
    public void drainTransmits(long t, Transmitter out) {
        List<Out> pending = new ArrayList<>(outbox);
        outbox.clear();
        for (Out o : pending) {
            if (o.transport == Transport.TURN_TCP) {
                tcp.send(this, Transport.TURN_TCP, o.from, o.to, o.datagram);
            } else {
                out.send(o.from, o.to, o.datagram);
            }
        }
    }

    // ---------------------------------------------------------------- from clients

    private void fromClient(Transport transport, InetSocketAddress client, InetSocketAddress listening, byte[] d) {
        MemorySegment s = MemorySegment.ofArray(d);
        Allocation a = byClient.get(client);
        if (a != null && now >= a.expiresAt) {
            remove(a);
            a = null;
        }
        if (d.length >= 4 && (d[0] & 0xFF) >= 0x40 && (d[0] & 0xFF) <= 0x4F) {
            int channel = BigEndian.u16(s, 0);
            int length = BigEndian.u16(s, 2);
            if (a == null || 4 + length > d.length) {
                return;
            }
            InetSocketAddress peer = a.channels.get(channel);
            Long until = a.channelExpiry.get(channel);
            if (peer != null && until != null && now < until && a.permits(peer.getAddress(), now)) {
                relayedToPeers++;
                net.send(a.relayed, peer, Arrays.copyOfRange(d, 4, 4 + length));
            }
            return;
        }
        if (!m.wrap(s)) {
            return;
        }
        int type = m.messageType();
        if (type == Stun.typeOf(Stun.METHOD_SEND, Stun.CLASS_INDICATION)) {
            int at = m.find(Stun.DATA);
            InetSocketAddress peer = xor(Stun.XOR_PEER_ADDRESS);
            if (a != null && at >= 0 && peer != null && a.permits(peer.getAddress(), now)) {
                relayedToPeers++;
                net.send(a.relayed, peer, Arrays.copyOfRange(d, at, at + m.attributeLength(at)));
            } else {
                refusedNoPermission++;
            }
            return;
        }
        if (!m.isRequest()) {
            return;
        }
        int method = m.method();
        if (!m.hasMessageIntegrity()) {
            unauthorized++;
            error(transport, listening, client, method, 401, true);
            return;
        }
        String n = new String(orEmpty(m.attributeBytes(Stun.NONCE)), StandardCharsets.UTF_8);
        if (!Arrays.equals(orEmpty(m.attributeBytes(Stun.USERNAME)), username) || !m.verifyIntegrity(mac, key)) {
            unauthorized++;
            error(transport, listening, client, method, 401, true);
            return;
        }
        if (staleOnce || !nonce.equals(n)) {
            staleOnce = false;
            staleNonces++;
            nonce = "nonce-" + (nonces.size() + 1);
            nonces.add(nonce);
            error(transport, listening, client, method, 438, true);
            return;
        }
        switch (method) {
            case Stun.METHOD_ALLOCATE -> allocate(transport, client, listening, a);
            case Stun.METHOD_REFRESH -> {
                if (a == null) {
                    error(transport, listening, client, method, 437, false);
                    return;
                }
                long lifetime = m.u32Attribute(Stun.LIFETIME);
                if (lifetime == 0) {
                    releases++;
                    remove(a);
                } else {
                    refreshes++;
                    a.expiresAt = now + 600 * S;
                }
                success(transport, listening, client, method, w -> w.addU32(Stun.LIFETIME, lifetime == 0 ? 0 : 600));
            }
            case Stun.METHOD_CREATE_PERMISSION -> {
                InetSocketAddress peer = xor(Stun.XOR_PEER_ADDRESS);
                if (a == null || peer == null) {
                    error(transport, listening, client, method, a == null ? 437 : 400, false);
                    return;
                }
                a.permissions.put(peer.getAddress(), now + PERMISSION_LIFETIME);
                success(transport, listening, client, method, w -> { });
            }
            case Stun.METHOD_CHANNEL_BIND -> {
                InetSocketAddress peer = xor(Stun.XOR_PEER_ADDRESS);
                int channel = m.channelNumber();
                Integer existing = peer == null ? null : a == null ? null : a.channelOf.get(peer);
                if (a == null || peer == null || channel < Stun.FIRST_CHANNEL || channel > Stun.LAST_CHANNEL
                        || (existing != null && existing != channel)
                        || (a.channels.containsKey(channel) && !a.channels.get(channel).equals(peer))) {
                    error(transport, listening, client, method, a == null ? 437 : 400, false);
                    return;
                }
                channelBinds++;
                a.channels.put(channel, peer);
                a.channelOf.put(peer, channel);
                a.channelExpiry.put(channel, now + CHANNEL_LIFETIME);
                a.permissions.put(peer.getAddress(), now + PERMISSION_LIFETIME);
                success(transport, listening, client, method, w -> { });
            }
            default -> error(transport, listening, client, method, 400, false);
        }
    }

    private void allocate(Transport transport, InetSocketAddress client, InetSocketAddress listening, Allocation existing) {
        if (existing != null && existing.txHigh == m.transactionHigh() && existing.txLow == m.transactionLow()) {
            allocated(transport, client, listening, existing); // a retransmission whose answer was lost: the same answer
            return;
        }
        if (existing != null) {
            error(transport, listening, client, Stun.METHOD_ALLOCATE, 437, false);
            return;
        }
        InetSocketAddress relayed = new InetSocketAddress(address.getAddress(), nextRelayPort++);
        Allocation a = new Allocation(transport, client, listening, relayed);
        a.expiresAt = now + 600 * S;
        byClient.put(client, a);
        byRelayed.put(relayed, a);
        net.attach(this, relayed);
        allocations++;
        a.txHigh = m.transactionHigh();
        a.txLow = m.transactionLow();
        allocated(transport, client, listening, a);
    }

    private void allocated(Transport transport, InetSocketAddress client, InetSocketAddress listening, Allocation a) {
        InetSocketAddress relayed = a.relayed;
        success(transport, listening, client, Stun.METHOD_ALLOCATE, w -> w
                .addXorAddress(Stun.XOR_RELAYED_ADDRESS, relayed.getAddress().getAddress(), relayed.getPort())
                .addXorAddress(Stun.XOR_MAPPED_ADDRESS, client.getAddress().getAddress(), client.getPort())
                .addU32(Stun.LIFETIME, 600));
    }

    private void remove(Allocation a) {
        byClient.remove(a.client);
        byRelayed.remove(a.relayed);
        net.detach(a.relayed);
    }

    // ---------------------------------------------------------------- from peers

    private void fromPeer(Allocation a, InetSocketAddress peer, byte[] d) {
        if (now >= a.expiresAt) {
            remove(a);
            return;
        }
        if (!a.permits(peer.getAddress(), now)) {
            refusedNoPermission++;
            return;
        }
        relayedToClients++;
        Integer channel = a.channelOf.get(peer);
        Long until = channel == null ? null : a.channelExpiry.get(channel);
        byte[] out;
        if (channel != null && until != null && now < until) {
            int padded = a.transport == Transport.TURN_TCP ? (d.length + 3) & ~3 : d.length;
            out = new byte[4 + padded];
            MemorySegment s = MemorySegment.ofArray(out);
            BigEndian.putU16(s, 0, channel);
            BigEndian.putU16(s, 2, d.length);
            System.arraycopy(d, 0, out, 4, d.length);
        } else {
            byte[] buf = new byte[d.length + 64];
            StunWriter w = new StunWriter();
            w.begin(MemorySegment.ofArray(buf), 0, buf.length, Stun.typeOf(Stun.METHOD_DATA, Stun.CLASS_INDICATION), 7, now)
                    .addXorAddress(Stun.XOR_PEER_ADDRESS, peer.getAddress().getAddress(), peer.getPort())
                    .addBytes(Stun.DATA, d);
            out = Arrays.copyOf(buf, w.length());
        }
        outbox.add(new Out(a.transport, a.listening, a.client, out));
    }

    // ---------------------------------------------------------------- answers

    private interface Attributes {
        void add(StunWriter w);
    }

    private void success(Transport transport, InetSocketAddress from, InetSocketAddress to, int method, Attributes attributes) {
        byte[] buf = new byte[512];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(buf), 0, buf.length, Stun.typeOf(method, Stun.CLASS_SUCCESS), m.transactionHigh(),
                m.transactionLow());
        attributes.add(w);
        w.addMessageIntegrity(mac, key).addFingerprint();
        outbox.add(new Out(transport, from, to, Arrays.copyOf(buf, w.length())));
    }

    private void error(Transport transport, InetSocketAddress from, InetSocketAddress to, int method, int code, boolean challenge) {
        byte[] buf = new byte[512];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(buf), 0, buf.length, Stun.typeOf(method, Stun.CLASS_ERROR), m.transactionHigh(),
                m.transactionLow())
                .addErrorCode(code, ("error " + code).getBytes(StandardCharsets.US_ASCII));
        if (challenge) {
            w.addBytes(Stun.REALM, realm).addBytes(Stun.NONCE, nonce.getBytes(StandardCharsets.UTF_8));
        } else {
            w.addMessageIntegrity(mac, key);
        }
        w.addFingerprint();
        outbox.add(new Out(transport, from, to, Arrays.copyOf(buf, w.length())));
    }

    private InetSocketAddress xor(int type) {
        byte[] ip = new byte[16];
        int n = m.xorAddress(type, ip);
        int port = m.xorPort(type);
        if (n == 0 || port < 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(ip, n)), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "VirtualTurnServer[" + address + ", " + byClient.size() + " allocations]";
    }
}
