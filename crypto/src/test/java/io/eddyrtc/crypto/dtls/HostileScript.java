package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte string read as a hostile conversation with a pair of DTLS endpoints (both speaking DTLS 1.2, or
 * both 1.3), and the checks that must hold whatever it says. The Jazzer targets of {@link DtlsFuzzTest} feed it the fuzzer's bytes;
 * {@link DtlsMutationTest} feeds it scripts built from a seed. A script is a list of steps, each
 * {@code op (1 byte), payload length (2 bytes), payload}; a short last step takes what is left.
 *
 * <p>{@link #afterTheHandshake}: a connected pair (every byte fixed from run to run), then input to one
 * side: raw datagrams, records sealed with the peer's real write keys (any content type, any content),
 * sealed records with one bit flipped, replays, unauthentic epoch-1 records (in 1.3, half of those steps are
 * a real KeyUpdate of the peer instead), application data, time. The side stays connected unless a protected
 * close_notify or fatal alert ended it. In 1.3 a sealed record's content type is what the receiver reads:
 * the last non-zero byte of content and type (RFC 8446 §5.2); and since post-handshake messages are read
 * on, a handshake message the peer sealed but never sent itself can take a message_seq its own KeyUpdate
 * later needs: from then on the script checks only that nothing breaks, not that data still arrives.
 *
 * <p>{@link #duringTheHandshake}: the handshake's real datagrams, delivered, lost, duplicated, reordered,
 * truncated or with a bit flipped, with raw datagrams and time in between. Whatever happens, nothing is
 * thrown, nothing is sent above the MTU, two connected sides hold the same keys, and a side that connected
 * ends only if its peer ended too (only the peer's protected alert can end it).
 */
final class HostileScript {
    static final int RAW = 0;
    static final int SEALED = 1;
    static final int SEALED_ONE_BIT_FLIPPED = 2;
    static final int REPLAY = 3;
    static final int TIME = 4;
    static final int SWAP_SIDES = 5;
    static final int APPLICATION_DATA = 6;
    static final int UNAUTHENTIC_EPOCH_1 = 7;

    static final int DELIVER = 1;
    static final int FLIP_A_BIT = 2;
    static final int DUPLICATE = 3;
    static final int LOSE = 4;
    static final int WAIT = 5;
    static final int TRUNCATE = 6;
    static final int REORDER = 7;
    /** Op bit for {@link #duringTheHandshake}: the step concerns what goes to the client (else to the server). */
    static final int TO_CLIENT = 8;

    private static final long MS = 1_000_000L;
    private static final int MAX_CONTENT = 16_384;

    private static DtlsConfig config(DtlsVersion version) {
        return DtlsPair.only(version).withCookies(false);
    }

    record Step(int op, byte[] payload) {
        @Override
        public String toString() {
            return "op " + op + " with " + payload.length + " bytes";
        }

        int u8(int i) {
            return i < payload.length ? payload[i] & 0xFF : 0;
        }

        byte[] from(int i) {
            return i < payload.length ? Arrays.copyOfRange(payload, i, Math.min(payload.length, i + MAX_CONTENT)) : new byte[0];
        }
    }

    private HostileScript() {
    }

    static List<Step> steps(byte[] script, int from) {
        List<Step> steps = new ArrayList<>();
        int at = from;
        while (at < script.length) {
            int op = script[at] & 0xFF;
            int length = at + 2 < script.length ? (script[at + 1] & 0xFF) << 8 | (script[at + 2] & 0xFF) : 0;
            int start = Math.min(script.length, at + 3);
            int end = Math.min(script.length, start + length);
            steps.add(new Step(op, Arrays.copyOfRange(script, start, end)));
            at = end == start && length > 0 ? script.length : end;
        }
        return steps;
    }

    /** Writes scripts. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer step(int op, byte[] payload) {
            out.write(op);
            out.write(payload.length >>> 8);
            out.write(payload.length);
            out.writeBytes(payload);
            return this;
        }

        Writer raw(int b) {
            out.write(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------ after the handshake

    /** Runs the script against a connected pair; true if a protected alert ended the connection. */
    static boolean afterTheHandshake(DtlsVersion version, byte[] script) {
        boolean dtls13 = version == DtlsVersion.DTLS_1_3;
        DtlsPair p = DtlsPair.fixed(config(version));
        p.client.start(0);
        p.exchange();
        assertTrue(p.client.isConnected() && p.server.isConnected(), "the fixed pair connects");
        DtlsEndpoint target = p.server;
        DtlsEndpoint peer = p.client;
        long now = 0;
        byte[] lastSealed = null;
        boolean keysMayDiffer = false;
        for (Step s : steps(script, 0)) {
            Class<? extends DtlsEvent> ending = null;
            byte[] expectedData = null;
            InetSocketAddress from = peer.isClient() ? DtlsPair.CLIENT_ADDRESS : DtlsPair.SERVER_ADDRESS;
            switch (s.op() & 7) {
                case RAW -> target.handleReceive(now, from, s.payload());
                case SEALED -> {
                    int type = s.u8(0);
                    byte[] content = s.from(1);
                    lastSealed = peer.sealRecord(type, content);
                    target.handleReceive(now, from, lastSealed);
                    if (dtls13) {
                        // the receiver reads the inner plaintext: the content type is its last non-zero byte
                        byte[] inner = Arrays.copyOf(content, content.length + 1);
                        inner[content.length] = (byte) type;
                        int last = inner.length - 1;
                        while (last >= 0 && inner[last] == 0) {
                            last--;
                        }
                        type = last < 0 ? 0 : inner[last] & 0xFF;
                        content = Arrays.copyOf(inner, Math.max(0, last));
                        // a handshake message the peer sealed but never sent itself takes a message_seq its real
                        // messages (a KeyUpdate) later need, or moves the target's read epoch on alone
                        keysMayDiffer |= type == Wire.HANDSHAKE;
                    }
                    if (type == Wire.ALERT && content.length >= 2 && (content[1] == 0 || content[0] == 2)) {
                        ending = content[1] == 0 ? DtlsEvent.Closed.class : DtlsEvent.Failed.class;
                    } else if (type == Wire.APPLICATION_DATA) {
                        expectedData = content;
                    }
                }
                case SEALED_ONE_BIT_FLIPPED -> {
                    byte[] record = peer.sealRecord(s.u8(0), s.from(4));
                    int i = (s.u8(1) << 8 | s.u8(2)) % record.length;
                    record[i] ^= (byte) (1 << (s.u8(3) & 7));
                    target.handleReceive(now, from, record);
                }
                case REPLAY -> {
                    if (lastSealed != null) {
                        target.handleReceive(now, from, lastSealed);
                    }
                }
                case TIME -> {
                    now += (1 + s.u8(0)) * 100 * MS;
                    target.handleTimeout(now);
                    peer.handleTimeout(now);
                }
                case SWAP_SIDES -> {
                    DtlsEndpoint t = target;
                    target = peer;
                    peer = t;
                    lastSealed = null;
                }
                case APPLICATION_DATA -> {
                    byte[] data = Arrays.copyOf(s.payload(), Math.min(s.payload().length, 1000));
                    peer.send(now, data, 0, data.length);
                    for (byte[] d; (d = peer.pollTransmit()) != null; ) {
                        target.handleReceive(now, from, d);
                    }
                    expectedData = data;
                }
                case UNAUTHENTIC_EPOCH_1 -> {
                    if (dtls13 && (s.u8(0) & 1) == 1) {
                        peerKeyUpdate(p, peer, target, now, s.u8(1) % 2 == 1); // a real KeyUpdate, both ways
                    } else {
                        target.handleReceive(now, from, Wire.record(s.u8(0), 1, s.u8(1), s.from(2)));
                    }
                }
                default -> throw new AssertionError();
            }
            List<DtlsEvent> events = drain(target);
            assertSentWithinTheMtu(target, version);
            if (ending != null) {
                assertTrue(target.isDone(), "a protected alert ended it");
                assertEquals(1, events.size(), "" + events);
                assertTrue(ending.isInstance(events.get(0)), "" + events);
                return true;
            }
            assertTrue(target.isConnected(), "step " + s + " left " + target + " with " + events);
            assertTrue(events.size() <= (expectedData == null ? 0 : 1), "only what was sent comes out: " + events);
            if (expectedData != null && !keysMayDiffer) {
                assertEquals(1, events.size(), "the data arrived once");
                assertArrayEquals(expectedData, ((DtlsEvent.ApplicationData) events.get(0)).data());
            }
        }
        if (!keysMayDiffer) {
            peer.send(now, new byte[] {1, 2, 3}, 0, 3);
            for (byte[] d; (d = peer.pollTransmit()) != null; ) {
                target.handleReceive(now, DtlsPair.CLIENT_ADDRESS, d);
            }
            assertArrayEquals(new byte[] {1, 2, 3}, ((DtlsEvent.ApplicationData) target.pollEvent()).data(), "data still flows");
        }
        return false;
    }

    /** The peer updates its keys (asking the target to update its own, or not) and the two trade datagrams until quiet. */
    private static void peerKeyUpdate(DtlsPair p, DtlsEndpoint peer, DtlsEndpoint target, long now, boolean request) {
        drain(target);
        for (byte[] d; (d = target.pollTransmit()) != null; ) {
            peer.handleReceive(now, DtlsPair.SERVER_ADDRESS, d); // what the target had to say (ACKs) first
        }
        peer.updateKeys(now, request);
        p.now = now;
        p.exchange();
        p.clientEvents.clear();
        p.serverEvents.clear();
    }

    // ------------------------------------------------------------------ during the handshake

    /** Runs the script against a handshake; true if both sides connected in the end. */
    static boolean duringTheHandshake(DtlsVersion version, byte[] script) {
        DtlsConfig config = config(version);
        DtlsPair p = DtlsPair.fixed(config);
        Side client = new Side(p.client, DtlsPair.CLIENT_ADDRESS, config.mtu());
        Side server = new Side(p.server, DtlsPair.SERVER_ADDRESS, config.mtu());
        client.peer = server;
        server.peer = client;
        p.client.start(0);
        long now = 0;
        for (Step s : steps(script, 0)) {
            client.collect();
            server.collect();
            Side to = (s.op() & TO_CLIENT) != 0 ? client : server;
            byte[] next = to.inbound.peek();
            switch (s.op() & 7) {
                case RAW -> to.receive(now, s.payload());
                case DELIVER -> {
                    if (next != null) {
                        to.receive(now, to.inbound.poll());
                    }
                }
                case FLIP_A_BIT -> {
                    if (next != null) {
                        byte[] d = to.inbound.poll().clone();
                        d[(s.u8(0) << 8 | s.u8(1)) % d.length] ^= (byte) (1 << (s.u8(2) & 7));
                        to.receive(now, d);
                    }
                }
                case DUPLICATE -> {
                    if (next != null) {
                        to.receive(now, next);
                        to.receive(now, to.inbound.poll());
                    }
                }
                case LOSE -> to.inbound.poll();
                case WAIT -> {
                    now += (1 + s.u8(0)) * 50 * MS;
                    client.timeout(now);
                    server.timeout(now);
                }
                case TRUNCATE -> {
                    if (next != null) {
                        to.receive(now, Arrays.copyOf(to.inbound.poll(), s.u8(0) % next.length));
                    }
                }
                case REORDER -> {
                    if (next != null) {
                        to.inbound.add(to.inbound.poll());
                    }
                }
                default -> throw new AssertionError();
            }
            client.check();
            server.check();
        }
        // then a quiet network: everything delivered, time moving, until nothing changes
        for (int round = 0; round < 60 && !(client.settled() && server.settled()); round++) {
            client.collect();
            server.collect();
            if (client.inbound.isEmpty() && server.inbound.isEmpty()) {
                now += 1_000 * MS;
                client.timeout(now);
                server.timeout(now);
            }
            while (!client.inbound.isEmpty()) {
                client.receive(now, client.inbound.poll());
            }
            while (!server.inbound.isEmpty()) {
                server.receive(now, server.inbound.poll());
            }
            client.check();
            server.check();
        }
        if (client.connected != null && server.connected != null) {
            assertArrayEquals(client.connected.srtp().localKey(), server.connected.srtp().remoteKey(), "both hold the same keys");
            assertArrayEquals(client.connected.srtp().remoteSalt(), server.connected.srtp().localSalt());
            assertEquals(DtlsPair.FIXED_SERVER_CERT.fingerprint(), client.connected.peerFingerprint());
            assertEquals(DtlsPair.FIXED_CLIENT_CERT.fingerprint(), server.connected.peerFingerprint());
            return true;
        }
        return false;
    }

    /** One endpoint of the handshake under attack, with the datagrams on their way to it. */
    private static final class Side {
        final DtlsEndpoint endpoint;
        final InetSocketAddress address;
        final int mtu;
        final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        Side peer;
        DtlsEvent.Connected connected;
        boolean wasConnected;

        Side(DtlsEndpoint endpoint, InetSocketAddress address, int mtu) {
            this.endpoint = endpoint;
            this.address = address;
            this.mtu = mtu;
        }

        void receive(long now, byte[] datagram) {
            endpoint.handleReceive(now, peer.address, datagram);
        }

        void timeout(long now) {
            endpoint.handleTimeout(now);
        }

        /** What it sent goes on its way to the peer. */
        void collect() {
            for (byte[] d; (d = endpoint.pollTransmit()) != null; ) {
                assertTrue(d.length <= mtu, "sent " + d.length + " bytes, above the MTU");
                peer.inbound.add(d);
            }
        }

        void check() {
            for (DtlsEvent e : drain(endpoint)) {
                if (e instanceof DtlsEvent.Connected c) {
                    if (connected != null) {
                        fail("Connected twice: " + endpoint);
                    }
                    connected = c;
                }
            }
            if (endpoint.isConnected()) {
                wasConnected = true;
            } else if (wasConnected && endpoint.isDone() && !peer.endpoint.isDone()) {
                fail(endpoint + " was connected and ended while its peer " + peer.endpoint + " did not: only the peer's protected alert may end it");
            }
        }

        boolean settled() {
            return (endpoint.isConnected() || endpoint.isDone()) && inbound.isEmpty();
        }
    }

    private static List<DtlsEvent> drain(DtlsEndpoint endpoint) {
        List<DtlsEvent> events = new ArrayList<>();
        for (DtlsEvent e; (e = endpoint.pollEvent()) != null; ) {
            events.add(e);
        }
        return events;
    }

    private static void assertSentWithinTheMtu(DtlsEndpoint endpoint, DtlsVersion version) {
        for (byte[] d; (d = endpoint.pollTransmit()) != null; ) {
            assertTrue(d.length <= config(version).mtu(), "sent " + d.length + " bytes, above the MTU");
        }
    }
}
