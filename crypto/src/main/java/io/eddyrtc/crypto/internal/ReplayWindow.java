package io.eddyrtc.crypto.internal;

import java.util.Arrays;

/**
 * A sliding replay window (RFC 3711 §3.3.2 for SRTP and SRTCP, RFC 6347 §4.1.2.6 for DTLS records): the
 * highest index accepted so far and a bitmap of which of the {@code size} indices below it were seen. The
 * bitmap is circular (bit {@code i mod size} stands for index {@code i}), so moving the window forward only
 * clears the words it passes over. Checking changes nothing; an index is accepted only after its packet
 * authenticated, so forged packets cannot move the window.
 */
public final class ReplayWindow {
    public static final int FRESH = 0;
    public static final int REPLAYED = 1;
    public static final int TOO_OLD = 2;

    private final int size;
    private final long[] bits;
    private long highest = -1;

    /** {@code size}: a power of two from 64 to 32768. */
    public ReplayWindow(int size) {
        if (size < 64 || size > 32768 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("replay window must be a power of two from 64 to 32768, was " + size);
        }
        this.size = size;
        this.bits = new long[size / 64];
    }

    /** {@link #FRESH}, {@link #REPLAYED} or {@link #TOO_OLD} for {@code index}; changes nothing. */
    public int check(long index) {
        if (highest < 0 || index > highest) {
            return FRESH;
        }
        if (highest - index >= size) {
            return TOO_OLD;
        }
        return isSet(index) ? REPLAYED : FRESH;
    }

    /** Records {@code index} as seen (after it authenticated), moving the window if it is the newest. */
    public void accept(long index) {
        if (index > highest) {
            long advance = highest < 0 ? size : index - highest;
            if (advance >= size) {
                Arrays.fill(bits, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    clear(i); // indices skipped over have not been seen (yet)
                }
            }
            highest = index;
        }
        set(index);
    }

    /** The highest index accepted, or -1 before the first. */
    public long highest() {
        return highest;
    }

    private boolean isSet(long index) {
        int bit = (int) (index & (size - 1));
        return (bits[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long index) {
        int bit = (int) (index & (size - 1));
        bits[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long index) {
        int bit = (int) (index & (size - 1));
        bits[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
