package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The agent where it matters: connected to a real peer, then fed fuzz input as STUN its peer
 * authenticated (requests and answers from the peer's address, signed with the right password, with
 * any type, transaction id and attributes, answers also to a check of ours the peer never saw) and as
 * raw bytes and wrongly signed STUN from strangers, while the real peer goes on checking consent.
 * Whatever comes, the agent stays connected to its peer, never throws, keeps its deadline ahead, sends
 * only well-formed STUN, and sends nothing to a stranger.
 */
class ConnectedAgentFuzzTest {
    static final long MS = 1_000_000L;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);
    static final InetSocketAddress[] STRANGERS = {
        new InetSocketAddress("10.0.1.1", 6001), new InetSocketAddress("10.9.9.9", 6000),
        new InetSocketAddress("2001:db8::1", 6000)
    };

    @FuzzTest(maxDuration = "60s")
    void connectedAgentStaysWithItsPeer(FuzzedDataProvider data) {
        new Call().fuzz(data); // a fresh pair of agents for every input, so each input replays alone
    }

    /** Two agents on a lossless, instant link, and the fuzz input played against the first. */
    static final class Call {
        final IceAgent a = IceNode.seededAgent(IceConfig.defaults(), true, 1);
        final IceAgent b = IceNode.seededAgent(IceConfig.defaults(), false, 2);
        private final StunMessage sent = new StunMessage();
        private final HmacSha1 mac = new HmacSha1();
        private final StunWriter writer = new StunWriter();
        private final byte[] out = new byte[1280];
        private long now;
        /** The last request A sent B. */
        private int lastTxHigh;
        private long lastTxLow;
        /** Keep A's next request from B (lost on the way), so a fuzzed answer can take the place of B's. */
        private boolean interceptNextRequest;

        void fuzz(FuzzedDataProvider data) {
            connect();
            // At most 25 s of fuzzing, inside the 30 s consent timeout: only input could disconnect A.
            long end = now + 25_000 * MS;
            int rounds = data.consumeInt(1, 12);
            for (int i = 0; i < rounds && data.remainingBytes() > 0 && now < end; i++) {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> fromPeer(authenticatedRequest(data));
                    case 1 -> fromPeer(authenticatedAnswer(data, end));
                    case 2 -> fromStranger(data, data.consumeBytes(data.consumeInt(0, 600)));
                    default -> fromStranger(data, wronglySigned(data));
                }
                run(Math.min(end, now + data.consumeLong(0, 2_000 * MS)));
                assertTrue(connected(a), () -> "A lost its peer: " + a);
                assertEquals(B, a.dataDestination());
            }
        }

        private void connect() {
            IceNode.introduce(a, A, b, B);
            run(2_000 * MS);
            assertTrue(connected(a) && connected(b), () -> "the set-up did not connect: " + a + " / " + b);
        }

        private static boolean connected(IceAgent agent) {
            return agent.state() == IceConnectionState.CONNECTED || agent.state() == IceConnectionState.COMPLETED;
        }

        /** Runs both agents until {@code until}, or until a request was intercepted; A's datagrams are checked on the way. */
        private void run(long until) {
            int atThisInstant = 0;
            while (true) {
                boolean intercepted = exchange();
                long next = Math.min(a.nextDeadline(), b.nextDeadline());
                if (intercepted || next > until) {
                    now = Math.max(now, intercepted ? now : until);
                    return;
                }
                atThisInstant = next <= now ? atThisInstant + 1 : 0;
                assertTrue(atThisInstant < 1000, "the agents keep asking for a timeout at the same instant");
                now = Math.max(now, next);
                a.handleTimeout(now);
                b.handleTimeout(now);
                assertTrue(a.nextDeadline() >= now, "A's deadline is in the past after its timeout ran");
            }
        }

        /** Delivers datagrams both ways until none are left; true if one of A's requests was intercepted. */
        private boolean exchange() {
            boolean intercepted = false;
            boolean moved = true;
            while (moved) {
                moved = false;
                StunTransmit t;
                while ((t = a.pollTransmit()) != null) {
                    byte[] d = t.toByteArray();
                    assertTrue(sent.wrap(MemorySegment.ofArray(d)) && sent.verifyFingerprint(), "A sent malformed STUN");
                    assertEquals(B, t.destination(), "A sent a datagram to someone other than its peer");
                    if (sent.isRequest()) {
                        lastTxHigh = sent.transactionHigh();
                        lastTxLow = sent.transactionLow();
                        if (interceptNextRequest) {
                            interceptNextRequest = false;
                            intercepted = true;
                            continue;
                        }
                    }
                    b.handleReceive(now, A, B, MemorySegment.ofArray(d));
                    moved = true;
                }
                while ((t = b.pollTransmit()) != null) {
                    a.handleReceive(now, B, A, MemorySegment.ofArray(t.toByteArray()));
                    moved = true;
                }
            }
            while (a.pollEvent() != null || b.pollEvent() != null) {
                // states are read from the agents
            }
            return intercepted;
        }

        private void fromPeer(byte[] datagram) {
            a.handleReceive(now, B, A, MemorySegment.ofArray(datagram));
        }

        private void fromStranger(FuzzedDataProvider data, byte[] datagram) {
            a.handleReceive(now, STRANGERS[data.consumeInt(0, STRANGERS.length - 1)], A, MemorySegment.ofArray(datagram));
        }

        /** A Binding request (or whatever type the input says) that B signed: our ufrag, B's, A's password. */
        private byte[] authenticatedRequest(FuzzedDataProvider data) {
            StunWriter w = begin(data, data.consumeBoolean() ? Stun.BINDING_REQUEST : data.consumeInt(0, 0x3FFF));
            w.addUsername(utf8(a.localUfrag()), utf8(b.localUfrag()));
            if (data.consumeBoolean()) {
                w.addPriority(data.consumeInt() & 0xFFFF_FFFFL);
            }
            switch (data.consumeInt(0, 2)) {
                case 0 -> w.addIceControlling(data.consumeLong());
                case 1 -> w.addIceControlled(data.consumeLong());
                default -> { }
            }
            if (data.consumeBoolean()) {
                w.addUseCandidate();
            }
            return sign(data, w, a.localPassword());
        }

        /**
         * An answer B signed (with its own password, as answers to A's checks are): to A's next request,
         * which B then never sees, or to a transaction id from the input.
         */
        private byte[] authenticatedAnswer(FuzzedDataProvider data, long end) {
            boolean success = data.consumeBoolean();
            int type = success ? Stun.BINDING_SUCCESS : Stun.BINDING_ERROR;
            StunWriter w;
            if (data.consumeBoolean()) {
                interceptNextRequest = true;
                run(end);
                interceptNextRequest = false;
                w = writer.begin(MemorySegment.ofArray(out), 0, out.length, type, lastTxHigh, lastTxLow);
            } else {
                w = begin(data, type);
            }
            if (success) {
                byte[] ip = data.consumeBoolean() ? new byte[] {10, 0, 0, 1} : data.consumeBytes(data.consumeBoolean() ? 4 : 16);
                if (ip.length == 4 || ip.length == 16) {
                    w.addXorMappedAddress(ip, data.consumeInt(0, 0xFFFF));
                }
            } else {
                w.addErrorCode(data.consumeBoolean() ? Stun.ERROR_ROLE_CONFLICT : data.consumeInt(300, 699),
                        data.consumeBytes(data.consumeInt(0, 40)));
            }
            return sign(data, w, b.localPassword());
        }

        /** STUN with A's ufrag in it (it travels in the clear) but signed without knowing a password. */
        private byte[] wronglySigned(FuzzedDataProvider data) {
            StunWriter w = begin(data, data.consumeBoolean() ? Stun.BINDING_REQUEST : Stun.BINDING_SUCCESS);
            w.addUsername(utf8(a.localUfrag()), utf8(b.localUfrag()));
            return sign(data, w, data.consumeString(40) + "-not-the-password");
        }

        private StunWriter begin(FuzzedDataProvider data, int type) {
            return writer.begin(MemorySegment.ofArray(out), 0, out.length, type, data.consumeInt(), data.consumeLong());
        }

        /** Any further attributes the input holds, then MESSAGE-INTEGRITY and, mostly, FINGERPRINT. */
        private byte[] sign(FuzzedDataProvider data, StunWriter w, String password) {
            int extra = data.consumeInt(0, 3);
            for (int i = 0; i < extra && w.length() < 900; i++) {
                w.addBytes(data.consumeInt(0, 0xFFFF), data.consumeBytes(data.consumeInt(0, 64)));
            }
            w.addMessageIntegrity(mac, utf8(password));
            if (data.consumeInt(0, 7) != 0) {
                w.addFingerprint();
            }
            return Arrays.copyOf(out, w.length());
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
