package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.sctp.internal.SctpPacket;
import java.util.SplittableRandom;

/**
 * A hostile peer that knows the verification tag: it establishes an association by hand
 * ({@link ScriptedPeer}), lets it send a little of its own, then sends packets built from a stream of
 * choices — DATA near the TSNs expected, SACKs near what was sent, FORWARD-TSNs, stream resets and their
 * answers, DCEP, heartbeats, aborts and raw chunks — under the right tag with a correct checksum, so they
 * reach the chunk handlers. After every step it checks the association's promises: nothing held beyond
 * the caps, nothing sent above the MTU. An exception from the association reaches the caller and fails it.
 */
final class HostilePeerHarness {
    /** Small caps, so that a short input reaches them. */
    static final SctpConfig CONFIG = new SctpConfig(5000, 600, 4096, 8192, 16, 1_000_000_000L, 200_000_000L,
            60_000_000_000L, 10, 60_000_000_000L, 64, 4, 16);
    private static final int[] PPIDS = {50, 51, 53, 56, 57, 0, 52};

    /** Where the hostile choices come from: a fuzzer's input, or a seeded generator. */
    interface Choices {
        boolean more();

        int between(int min, int max);

        long between(long min, long max);

        boolean bit();

        byte[] bytes(int maxLength);
    }

    static Choices of(FuzzedDataProvider data) {
        return new Choices() {
            public boolean more() {
                return data.remainingBytes() > 0;
            }

            public int between(int min, int max) {
                return data.consumeInt(min, max);
            }

            public long between(long min, long max) {
                return data.consumeLong(min, max);
            }

            public boolean bit() {
                return data.consumeBoolean();
            }

            public byte[] bytes(int maxLength) {
                return data.consumeBytes(data.consumeInt(0, maxLength));
            }
        };
    }

    /** {@code steps} packets' worth of choices from a seeded generator. */
    static Choices seeded(long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Choices() {
            private int left = steps;

            public boolean more() {
                return left-- > 0;
            }

            public int between(int min, int max) {
                return random.nextInt(min, max + 1);
            }

            public long between(long min, long max) {
                return random.nextLong(min, max + 1);
            }

            public boolean bit() {
                return random.nextBoolean();
            }

            public byte[] bytes(int maxLength) {
                // mostly short, now and then long: lengths near the caps matter most
                byte[] b = new byte[random.nextInt(4) == 0 ? random.nextInt(maxLength + 1) : random.nextInt(Math.min(maxLength, 24) + 1)];
                random.nextBytes(b);
                return b;
            }
        };
    }

    private final Choices in;
    private final ScriptedPeer peer;
    private long now;
    private long nextOffset; // the peer's next TSN, as an offset from its initial one
    private long delivered;

    private HostilePeerHarness(Choices in, long seed) {
        this.in = in;
        this.peer = new ScriptedPeer(new SctpAssociation(CONFIG, new SplittableRandom(seed)), 0x5EED_7A90L, 0xFFFF_FFF0L);
    }

    /** What a run left: the association, and how many messages it delivered on the way. */
    record Outcome(SctpAssociation sctp, long delivered) {}

    /** Runs the choices against a fresh established association. */
    static Outcome run(Choices in, long seed) {
        HostilePeerHarness h = new HostilePeerHarness(in, seed);
        h.peer.establish(0);
        h.peer.channels.open(0, "ours", "", ChannelReliability.maxRetransmits(false, 1));
        for (int step = 0; step < 2000 && in.more() && !h.peer.sctp.isClosed(); step++) {
            h.step();
        }
        return new Outcome(h.peer.sctp, h.delivered);
    }

    private void step() {
        now += in.between(0L, 3_000_000_000L);
        boolean flood = in.between(0, 15) == 0; // many fragments at once, out of order: the caps' turn
        byte[][] chunks = new byte[flood ? in.between(20, 40) : in.between(1, 4)][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = flood ? data(53, in.between(0, 7), in.bytes(300)) : chunk();
        }
        peer.receive(now, peer.packet(chunks));
        if (in.bit()) {
            peer.timeout(now);
        }
        if (in.bit() && peer.sctp.canSend(1)) { // some of our own, so SACKs and FORWARD-TSNs have something to act on
            byte[] message = in.bytes(1500);
            peer.sctp.send(now, 1, 53, message.length == 0 ? new byte[1] : message, in.bit(), in.between(-1, 2), -1);
            peer.collect(now);
        }
        checkPromises();
    }

    private void checkPromises() {
        SctpAssociation sctp = peer.sctp;
        assertTrue(sctp.receiveBufferedFragments() <= 2 * CONFIG.maxPendingFragments(), () -> "held fragments " + sctp.receiveBufferedFragments());
        assertTrue(sctp.receiveBufferedBytes() <= (long) CONFIG.receiveWindow() + CONFIG.maxMessageSize(), () -> "held bytes " + sctp.receiveBufferedBytes());
        assertTrue(peer.channels.openChannels() <= CONFIG.maxChannels(), () -> "channels " + peer.channels.openChannels());
        for (byte[] p : peer.sent) {
            assertTrue(p.length <= CONFIG.mtu(), () -> "sent " + p.length + " bytes, above the MTU");
        }
        delivered += peer.events.stream().filter(e -> e instanceof SctpEvent.Message).count();
        peer.sent.clear();
        peer.events.clear();
        peer.channelEvents.clear();
    }

    private byte[] chunk() {
        int kind = in.between(0, 19);
        if (kind <= 6) {
            return data(PPIDS[in.between(0, PPIDS.length - 1)], in.between(0, 7), in.bytes(700));
        } else if (kind <= 9) {
            return sack();
        } else if (kind <= 11) {
            return forwardTsn();
        } else if (kind <= 13) {
            int[] streams = new int[in.between(1, 3)];
            for (int i = 0; i < streams.length; i++) {
                streams[i] = in.between(0, 20);
            }
            return peer.resetRequest(peer.initialTsn + in.between(-1, 3), nextOffset + in.between(-3, 3) - 1, streams);
        } else if (kind == 14) {
            return reconfigResponse();
        } else if (kind == 15) {
            return ScriptedPeer.chunk(SctpPacket.HEARTBEAT, in.bytes(700));
        } else if (kind <= 17) {
            return data(DataChannels.PPID_DCEP, SctpPacket.DATA_BEGIN | SctpPacket.DATA_END, dcep());
        } else if (kind == 18 || in.between(0, 63) != 0) {
            int type = in.between(0, 255);
            boolean ends = type == SctpPacket.ABORT || type == SctpPacket.SHUTDOWN || type == SctpPacket.SHUTDOWN_ACK
                    || type == SctpPacket.SHUTDOWN_COMPLETE;
            return SctpPacket.chunk(ends ? type | 0x80 : type, in.between(0, 255), in.bytes(100));
        }
        // seldom something that ends the association (and so the run)
        int[] rare = {SctpPacket.ABORT, SctpPacket.SHUTDOWN, SctpPacket.SHUTDOWN_ACK, SctpPacket.COOKIE_ECHO, SctpPacket.ERROR,
                SctpPacket.COOKIE_ACK, SctpPacket.INIT};
        int type = rare[in.between(0, rare.length - 1)];
        return type == SctpPacket.INIT ? ScriptedPeer.init(in.between(0L, 0xFFFF_FFFFL), 1) : ScriptedPeer.chunk(type, in.bytes(80));
    }

    /** DATA near the TSN expected next: repeats, the next one, or a little ahead. */
    private byte[] data(int ppid, int flags, byte[] payload) {
        if (payload.length == 0 && in.between(0, 63) != 0) {
            payload = new byte[1]; // seldom empty, which ends the association (RFC 9260 §6.2)
        }
        long offset = nextOffset + in.between(-3, 8);
        nextOffset = Math.max(nextOffset, offset + 1);
        return peer.data(offset, in.between(0, 20), in.between(0, 5), ppid, flags, payload);
    }

    private byte[] sack() {
        long cumAck = peer.associationInitialTsn - 1 + in.between(-3, 40);
        int[][] gaps = new int[in.between(0, 4)][];
        int end = 0;
        for (int i = 0; i < gaps.length; i++) {
            int start = in.bit() ? end + in.between(1, 5) : in.between(0, 30); // mostly in order, now and then not
            end = start + in.between(-2, 5);
            gaps[i] = new int[] {start & 0xFFFF, end & 0xFFFF};
        }
        long[] duplicates = new long[in.between(0, 3)];
        for (int i = 0; i < duplicates.length; i++) {
            duplicates[i] = peer.associationInitialTsn + in.between(0, 40);
        }
        return ScriptedPeer.sack(cumAck, in.between(0L, 1L << 20), gaps, duplicates);
    }

    private byte[] forwardTsn() {
        long newCumOffset = nextOffset - 1 + in.between(-5, 10);
        nextOffset = Math.max(nextOffset, newCumOffset + 1);
        byte[] v = new byte[4 + 4 * in.between(0, 3)];
        BigEndian.putU32(v, 0, peer.initialTsn + newCumOffset);
        for (int at = 4; at < v.length; at += 4) {
            BigEndian.putU16(v, at, in.between(0, 20));
            BigEndian.putU16(v, at + 2, in.between(0, 8));
        }
        return ScriptedPeer.chunk(SctpPacket.FORWARD_TSN, v);
    }

    private byte[] reconfigResponse() {
        byte[] v = new byte[12];
        BigEndian.putU16(v, 0, SctpPacket.PARAM_RECONFIG_RESPONSE);
        BigEndian.putU16(v, 2, 12);
        BigEndian.putU32(v, 4, peer.associationInitialTsn + in.between(-1, 3));
        BigEndian.putU32(v, 8, in.between(0, 7));
        return ScriptedPeer.chunk(SctpPacket.RE_CONFIG, v);
    }

    /** A DCEP message: mostly an OPEN (any channel type, labels around the cap), else an ACK or noise. */
    private byte[] dcep() {
        return switch (in.between(0, 5)) {
            case 0 -> new byte[] {0x02};
            case 1 -> in.bytes(40);
            default -> {
                byte[] label = in.bytes(24);
                byte[] protocol = in.bytes(24);
                byte[] m = new byte[12 + label.length + protocol.length];
                m[0] = 0x03;
                m[1] = (byte) in.between(0, 255);
                BigEndian.putU32(m, 4, in.between(0L, 0xFFFF_FFFFL));
                BigEndian.putU16(m, 8, in.bit() ? label.length : in.between(0, 0xFFFF));
                BigEndian.putU16(m, 10, protocol.length);
                System.arraycopy(label, 0, m, 12, label.length);
                System.arraycopy(protocol, 0, m, 12 + label.length, protocol.length);
                yield m;
            }
        };
    }
}
