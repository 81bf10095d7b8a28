package io.eddyrtc.engine.stream;

import io.eddyrtc.buffers.SequenceNumbers;

/**
 * Packs missing sequence numbers into the PID/BLP pairs of a generic NACK (RFC 4585 §6.2.1): a PID and a
 * 16-bit mask of which of the 16 following numbers are also lost. Each pair is returned as one int,
 * {@code pid << 16 | blp}.
 */
public final class NackPairs {
    private NackPairs() {
    }

    /**
     * Packs {@code seqs[0, count)} (in ascending serial order, as {@link ReceiveStream#pollNacks} writes them)
     * into {@code out}.
     *
     * @return pairs written; stops early if {@code out} is full
     */
    public static int pack(int[] seqs, int count, int[] out) {
        int pairs = 0;
        int i = 0;
        while (i < count && pairs < out.length) {
            int pid = seqs[i] & 0xFFFF;
            int blp = 0;
            i++;
            while (i < count) {
                int d = SequenceNumbers.diff16(seqs[i] & 0xFFFF, pid);
                if (d < 1 || d > 16) {
                    break;
                }
                blp |= 1 << (d - 1);
                i++;
            }
            out[pairs++] = pid << 16 | blp;
        }
        return pairs;
    }

    public static int pid(int pair) {
        return pair >>> 16;
    }

    public static int blp(int pair) {
        return pair & 0xFFFF;
    }

    /**
     * Unpacks received pairs into the sequence numbers they name (for a send stream answering a NACK).
     *
     * @return numbers written; stops early if {@code out} is full
     */
    public static int unpack(int pid, int blp, int[] out, int offset) {
        int n = offset;
        if (n < out.length) {
            out[n++] = pid & 0xFFFF;
        }
        for (int bit = 0; bit < 16 && n < out.length; bit++) {
            if ((blp & (1 << bit)) != 0) {
                out[n++] = (pid + bit + 1) & 0xFFFF;
            }
        }
        return n - offset;
    }
}
