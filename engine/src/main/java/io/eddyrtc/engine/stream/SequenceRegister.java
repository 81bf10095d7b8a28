package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.SequenceNumbers;
import java.util.Arrays;

/**
 * The receive side's memory of sequence numbers (RFC 3550 A.1 and A.3): extends 16-bit numbers to 64 bits,
 * remembers which of the last {@value #RING} arrived (duplicate detection, NACK), counts expected, received
 * and lost, and keeps per-number NACK state (tries, last NACK, missing since) for the NACK window.
 *
 * <p>Sized by need: arrivals are one bit per number ({@value #RING} bits, 128 bytes); the NACK state, about
 * 17 bytes per number of the window, is made when the first gap opens (a stream that loses nothing never has
 * it) and charged to the {@link MemoryBudget} — refused, the stream goes without NACKs and says so
 * ({@link #nackRefused()}). Indexed by extended number modulo the ring; allocates nothing per packet.
 */
final class SequenceRegister {
    /** Sequence numbers remembered; a power of two, larger than any NACK window and reorder depth. */
    static final int RING = 1024;
    private static final int MASK = RING - 1;
    /** Heap bytes of NACK state per number of its ring: tries, last NACK, missing since. */
    static final int NACK_ENTRY_BYTES = 1 + 8 + 8;
    /** RFC 3550 A.1: a forward jump beyond this is a probable source restart, not loss. */
    static final int MAX_DROPOUT = 3000;
    /**
     * Extended numbers start one cycle up, so packets reordered before the very first one do not go
     * negative; reports subtract it again.
     */
    private static final long FIRST_CYCLE = 1L << 16;

    /** Bit {@code e & MASK}: number {@code e} arrived, for {@code e} in {@code (max - RING, max]}. */
    private final long[] arrived = new long[RING / 64];
    private final MemoryBudget memory;
    /** The NACK state's ring: a power of two at least the NACK window, 0 until the first gap. */
    private final int nackRing;
    private byte[] tries;
    private long[] lastNackAt;
    /** When each missing number was first known missing (a later one arrived): the reorder grace counts from here. */
    private long[] missingSince;
    private boolean nackRefused;

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

    /**
     * {@code nackWindow}: the newest numbers NACKs look back over (0: no NACKs, no NACK state); the state for
     * them is charged to {@code memory} when first needed.
     */
    SequenceRegister(int nackWindow, MemoryBudget memory) {
        this.nackRing = nackWindow <= 0 ? 0 : Integer.highestOneBit(Math.max(2, nackWindow) - 1) << 1;
        this.memory = memory;
    }

    /** Heap bytes of the NACK state, 0 until a gap made it. */
    long nackStateBytes() {
        return tries == null ? 0 : (long) nackRing * NACK_ENTRY_BYTES;
    }

    /** True if the NACK state was needed and the budget had no room for it: this stream sends no NACKs. */
    boolean nackRefused() {
        return nackRefused;
    }

    /** Gives the NACK state's bytes back to the budget (the stream is going away). */
    void close() {
        if (tries != null) {
            memory.release(nackStateBytes());
            tries = null;
            lastNackAt = null;
            missingSince = null;
        }
    }

    private boolean arrived(long e) {
        int i = (int) (e & MASK);
        return (arrived[i >>> 6] & (1L << i)) != 0;
    }

    private void clearArrived(long e) {
        int i = (int) (e & MASK);
        arrived[i >>> 6] &= ~(1L << i);
    }

    /** The NACK state exists, or is made now if the budget allows. */
    private boolean nackState() {
        if (tries != null) {
            return true;
        }
        if (nackRing == 0 || nackRefused) {
            return false;
        }
        if (!memory.tryCharge((long) nackRing * NACK_ENTRY_BYTES)) {
            nackRefused = true;
            return false;
        }
        tries = new byte[nackRing];
        lastNackAt = new long[nackRing];
        missingSince = new long[nackRing];
        return true;
    }

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
            if (delta >= RING) {
                Arrays.fill(arrived, 0);
            } else {
                for (long e = max + 1; e < ext; e++) {
                    clearArrived(e);
                }
            }
            openedGap = ext > max + 1;
            if (openedGap && nackState()) {
                int nackMask = nackRing - 1;
                for (long e = Math.max(max + 1, ext - nackRing + 1); e < ext; e++) {
                    int i = (int) (e & nackMask);
                    tries[i] = 0;
                    missingSince[i] = now;
                }
            }
            max = ext;
            mark(ext);
            return ReceiveOutcome.NEW;
        }
        if (arrived(ext)) {
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
        arrived[i >>> 6] |= 1L << i;
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
        if (tries != null) {
            Arrays.fill(tries, (byte) 0);
        }
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
        if (!started || tries == null) {
            nextDue = Long.MAX_VALUE; // no gap ever opened (or no room for NACK state): nothing to ask for
            return 0;
        }
        long from = Math.max(base, max - Math.min(window, nackRing) + 1);
        int nackMask = nackRing - 1;
        int n = 0;
        long next = Long.MAX_VALUE;
        for (long e = from; e < max; e++) {
            int i = (int) (e & nackMask);
            if (arrived(e) || tries[i] >= maxTries) {
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
            if (!arrived(e)) {
                n++;
            }
        }
        return n;
    }
}
