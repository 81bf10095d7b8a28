package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.SequenceNumbers;
import java.util.Arrays;

/**
 * The receive side's memory of sequence numbers (RFC 3550 A.1 and A.3): extends 16-bit numbers to 64 bits,
 * remembers which of the last {@value #RING} arrived (duplicate detection, NACK), counts expected, received
 * and lost, and keeps per-number NACK tries. Preallocated arrays indexed by extended number modulo the ring;
 * allocates nothing per packet.
 */
final class SequenceRegister {
    /** Sequence numbers remembered; a power of two, larger than any NACK window and reorder depth. */
    static final int RING = 1024;
    private static final int MASK = RING - 1;
    /** RFC 3550 A.1: a forward jump beyond this is a probable source restart, not loss. */
    static final int MAX_DROPOUT = 3000;
    /**
     * Extended numbers start one cycle up, so packets reordered before the very first one do not go
     * negative; reports subtract it again.
     */
    private static final long FIRST_CYCLE = 1L << 16;

    private final long[] arrived = new long[RING]; // extended number + 1 when arrived, else stale
    private final byte[] tries = new byte[RING];
    private final long[] lastNackAt = new long[RING];
    /** When each missing number was first known missing (a later one arrived): the reorder grace counts from here. */
    private final long[] missingSince = new long[RING];

    private boolean started;
    private long base;
    private long max;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private int badSeq = -1;
    private long duplicates;
    private long restarts;

    /** The extended number of the last packet passed to {@link #update}, valid when it returned NEW or LATE. */
    private long lastExtended;
    private boolean justRestarted;
    private boolean openedGap;
    /** After {@link #pollNacks}: when the next number becomes due, {@link Long#MAX_VALUE} if none. */
    private long nextDue = Long.MAX_VALUE;

    /** True if the last {@link #update} skipped numbers (new candidates for a NACK). */
    boolean openedGap() {
        return openedGap;
    }

    long nextDueAfterPoll() {
        return nextDue;
    }

    /** True if the last {@link #update} started the sequence afresh (first packet, or a source restart). */
    boolean justRestarted() {
        return justRestarted;
    }

    /** Accounts sequence number {@code seq} arriving at {@code now}. */
    ReceiveOutcome update(int seq, long now) {
        seq &= 0xFFFF;
        justRestarted = false;
        openedGap = false;
        if (!started) {
            restart(seq);
            return ReceiveOutcome.NEW;
        }
        long ext = SequenceNumbers.extend16(max, seq);
        long delta = ext - max;
        if (delta > MAX_DROPOUT || delta <= -RING) {
            if (seq == badSeq) {
                restarts++;
                restart(seq);
                return ReceiveOutcome.NEW;
            }
            badSeq = (seq + 1) & 0xFFFF;
            return delta > 0 ? ReceiveOutcome.JUMP : ReceiveOutcome.TOO_OLD;
        }
        badSeq = -1;
        if (delta == 0) {
            duplicates++;
            return ReceiveOutcome.DUPLICATE;
        }
        if (delta > 0) {
            // Forget the state of the numbers the ring slots are now reused for.
            long from = Math.max(max + 1, ext - RING + 1);
            for (long e = from; e < ext; e++) {
                int i = (int) (e & MASK);
                arrived[i] = 0;
                tries[i] = 0;
                missingSince[i] = now;
            }
            openedGap = ext > max + 1;
            max = ext;
            mark(ext);
            return ReceiveOutcome.NEW;
        }
        int i = (int) (ext & MASK);
        if (arrived[i] == ext + 1) {
            duplicates++;
            return ReceiveOutcome.DUPLICATE;
        }
        if (ext < base) {
            base = ext;
        }
        mark(ext);
        return ReceiveOutcome.LATE;
    }

    private void mark(long ext) {
        int i = (int) (ext & MASK);
        arrived[i] = ext + 1;
        tries[i] = 0;
        received++;
        lastExtended = ext;
    }

    private void restart(int seq) {
        started = true;
        justRestarted = true;
        long ext = FIRST_CYCLE + seq;
        base = ext;
        max = ext;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        badSeq = -1;
        Arrays.fill(arrived, 0);
        Arrays.fill(tries, (byte) 0);
        mark(ext);
    }

    boolean started() {
        return started;
    }

    long lastExtended() {
        return lastExtended - FIRST_CYCLE;
    }

    /** RFC 3550's extended highest sequence number: cycles in the high 16 bits (from 0), as a u32. */
    long extendedHighest() {
        return (max - FIRST_CYCLE) & 0xFFFF_FFFFL;
    }

    long expected() {
        return started ? max - base + 1 : 0;
    }

    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    long restarts() {
        return restarts;
    }

    /** Cumulative lost, clamped to the 24-bit signed field of a report block. */
    int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.clamp(lost, -0x80_0000L, 0x7F_FFFFL);
    }

    /** RFC 3550 A.3's fraction lost since the previous call, as the 8-bit fixed point of a report block. */
    int fractionLostSinceLastReport() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /**
     * Writes up to {@code out.length} missing sequence numbers (16-bit) that are due a NACK: within the last
     * {@code window} numbers, missing for at least {@code graceNanos} (a packet merely reordered arrives
     * within it and costs no NACK), asked fewer than {@code maxTries} times, not asked in the last
     * {@code intervalNanos}. Each one written counts as a try.
     *
     * @return how many were written
     */
    int pollNacks(long now, int window, int maxTries, long intervalNanos, long graceNanos, int[] out) {
        if (!started) {
            return 0;
        }
        long from = Math.max(base, max - Math.min(window, RING) + 1);
        int n = 0;
        long next = Long.MAX_VALUE;
        for (long e = from; e < max; e++) {
            int i = (int) (e & MASK);
            if (arrived[i] == e + 1 || tries[i] >= maxTries) {
                continue;
            }
            if (tries[i] > 0 && now - lastNackAt[i] < intervalNanos) {
                next = Math.min(next, lastNackAt[i] + intervalNanos);
                continue;
            }
            if (tries[i] == 0 && now - missingSince[i] < graceNanos) {
                next = Math.min(next, missingSince[i] + graceNanos);
                continue;
            }
            if (n == out.length) {
                next = now; // more are due than fit: due again at once
                break;
            }
            tries[i]++;
            lastNackAt[i] = now;
            out[n++] = (int) (e & 0xFFFF);
            if (tries[i] < maxTries) {
                next = Math.min(next, now + intervalNanos);
            }
        }
        nextDue = next;
        return n;
    }

    /** Missing numbers in the window: asked for and not (yet) arrived, or not asked yet. */
    int missingInWindow(int window) {
        if (!started) {
            return 0;
        }
        long from = Math.max(base, max - Math.min(window, RING) + 1);
        int n = 0;
        for (long e = from; e < max; e++) {
            if (arrived[(int) (e & MASK)] != e + 1) {
                n++;
            }
        }
        return n;
    }
}
