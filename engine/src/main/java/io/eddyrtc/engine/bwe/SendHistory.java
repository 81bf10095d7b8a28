package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.engine.rtcp.TwccReport;

/**
 * Every packet we sent, by transport-wide sequence number: when it left, its size on the wire and the probe
 * cluster it belonged to, in a ring of {@link #CAPACITY}. Transport-wide feedback from the peer is matched
 * against it, and each packet it reports for the first time goes to a {@link Listener} in sequence order:
 * received (with the arrival time on the peer's clock) or lost. A packet reported twice is passed on once;
 * one reported lost and later received (it was only late) is passed on again as received. Allocates nothing.
 */
final class SendHistory {
    /** Packets remembered: about 4 s of 10 Mbit/s in 1200-byte packets, far more than one round trip holds. */
    static final int CAPACITY = 4096;
    private static final int MASK = CAPACITY - 1;
    /** Not a packet we sent (or one older than the ring). */
    private static final byte EMPTY = 0;
    private static final byte SENT = 1;
    private static final byte LOST = 2;
    private static final byte RECEIVED = 3;
    /** The feedback's reference time counts 64 ms units in 24 bits. */
    private static final int REFERENCE_BITS = 24;

    /** What feedback says about the packets we sent, one packet at a time. */
    interface Listener {
        /** Packet {@code sequence} ({@code bytes} long, sent at {@code sentAt}) arrived at {@code arrivedAt}. */
        void received(long sequence, long sentAt, long arrivedAt, int bytes, int probeCluster, boolean reportedLostBefore);

        /** Packet {@code sequence} did not arrive (so far: a later feedback may still report it received). */
        void lost(long sequence, long sentAt, int bytes);
    }

    private final long[] sendTimes = new long[CAPACITY];
    private final char[] sizes = new char[CAPACITY];
    private final short[] clusters = new short[CAPACITY];
    private final byte[] states = new byte[CAPACITY];
    private boolean started;
    /** The highest extended sequence number sent. */
    private long highest;
    private boolean referenceKnown;
    /** The last feedback's reference time, unwrapped past its 24 bits. */
    private long reference;

    /**
     * We sent packet {@code sequence} (the 16-bit transport-wide number it carries) of {@code bytes} at
     * {@code now}; {@code probeCluster} is its probe cluster's id, or -1.
     */
    void onSent(long now, int sequence, int bytes, int probeCluster) {
        long ext;
        if (!started) {
            started = true;
            ext = (1L << 16) + (sequence & 0xFFFF); // one cycle up, so numbers just before the first stay positive
            highest = ext;
        } else {
            ext = SequenceNumbers.extend16(highest, sequence);
            if (ext <= highest - CAPACITY) {
                return; // older than the ring: nothing will match it
            }
            for (long e = Math.max(highest + 1, ext - CAPACITY + 1); e < ext; e++) {
                states[(int) (e & MASK)] = EMPTY; // numbers skipped: their slots hold packets of a ring ago
            }
            highest = Math.max(highest, ext);
        }
        int slot = (int) (ext & MASK);
        sendTimes[slot] = now;
        sizes[slot] = (char) Math.min(bytes, Character.MAX_VALUE);
        clusters[slot] = (short) probeCluster;
        states[slot] = SENT;
    }

    /** The highest transport-wide number sent, extended to 64 bits; -1 before the first. */
    long highestSent() {
        return started ? highest : -1;
    }

    /**
     * Matches one feedback against what we sent, in sequence order, telling {@code listener} about each packet
     * it reports for the first time (or reports received after it was reported lost). Numbers we never sent,
     * or older than the ring, are skipped. Returns how many packets were passed on.
     */
    int onFeedback(TwccReport report, Listener listener) {
        if (!started) {
            return 0;
        }
        long ticks = unwrapReference(report.referenceTime()) * (TwccReport.REFERENCE_NANOS / TwccReport.TICK_NANOS);
        long base = SequenceNumbers.extend16(highest, report.baseSequence());
        int passed = 0;
        for (int i = 0, n = report.packetCount(); i < n; i++) {
            boolean received = report.received(i);
            if (received) {
                ticks += report.deltaTicks(i);
            }
            long ext = base + i;
            if (ext > highest || ext <= highest - CAPACITY) {
                continue;
            }
            int slot = (int) (ext & MASK);
            byte state = states[slot];
            if (received && (state == SENT || state == LOST)) {
                states[slot] = RECEIVED;
                listener.received(ext, sendTimes[slot], ticks * TwccReport.TICK_NANOS, sizes[slot], clusters[slot], state == LOST);
                passed++;
            } else if (!received && state == SENT) {
                states[slot] = LOST;
                listener.lost(ext, sendTimes[slot], sizes[slot]);
                passed++;
            }
        }
        return passed;
    }

    /** The 24-bit reference time extended past its wrap, nearest to the last one seen. */
    private long unwrapReference(int referenceTime) {
        long value = referenceTime & ((1L << REFERENCE_BITS) - 1);
        if (!referenceKnown) {
            referenceKnown = true;
            reference = (1L << REFERENCE_BITS) + value;
            return reference;
        }
        long half = 1L << (REFERENCE_BITS - 1);
        long diff = ((value - reference) & ((1L << REFERENCE_BITS) - 1));
        if (diff >= half) {
            diff -= 1L << REFERENCE_BITS;
        }
        long unwrapped = reference + diff;
        reference = Math.max(reference, unwrapped); // a reordered older feedback does not move it back
        return unwrapped;
    }
}
