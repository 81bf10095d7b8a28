package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An SDES packet (RFC 3550 §6.5): SC chunks, each an SSRC and a list of items ended by a zero
 * byte and padded to 32 bits. WebRTC only needs CNAME, so the chunk cursor finds that item and steps
 * over the others. {@link #validate()} walks every chunk and item once, so the cursor never checks.
 *
 * <pre>{@code
 * sdes.rewindChunks();
 * while (sdes.nextChunk()) {
 *     if (sdes.hasCname()) use(sdes.chunkSsrc(), sdes.segment(), sdes.offset() + sdes.cnameOffset(), sdes.cnameLength());
 * }
 * }</pre>
 */
public final class SourceDescription extends Flyweight {
    /** SDES item type of the canonical name. */
    public static final int CNAME = 1;
    private static final int CHUNKS = 4;

    private int nextChunkAt;
    private int chunksLeft;
    private long chunkSsrc;
    private int cnameOffset;
    private int cnameLength;

    @Override
    protected boolean validate() {
        int at = CHUNKS;
        for (int c = chunkCount(); c > 0; c--) {
            at = skipChunk(at);
            if (at < 0) {
                return false;
            }
        }
        rewindChunks();
        return true;
    }

    /** Where the chunk after the one at {@code at} starts, or -1 if this one does not fit. */
    private int skipChunk(int at) {
        if (at + 4 > length()) {
            return -1;
        }
        int item = at + 4;
        while (true) {
            if (item >= length()) {
                return -1;
            }
            if (u8(item) == 0) {
                // the terminator, then zero padding to the next 32-bit boundary (which may be the packet end)
                return Math.min((item + 4) & ~3, length());
            }
            if (item + 2 > length() || item + 2 + u8(item + 1) > length()) {
                return -1;
            }
            item += 2 + u8(item + 1);
        }
    }

    /** Number of chunks (SC). */
    public int chunkCount() {
        return u8(0) & 0x1F;
    }

    /** Puts the chunk cursor before the first chunk. */
    public void rewindChunks() {
        nextChunkAt = CHUNKS;
        chunksLeft = chunkCount();
        chunkSsrc = 0;
        cnameOffset = 0;
        cnameLength = -1;
    }

    /** Moves to the next chunk; false after the last. */
    public boolean nextChunk() {
        if (chunksLeft == 0) {
            return false;
        }
        chunksLeft--;
        int at = nextChunkAt;
        chunkSsrc = u32(at);
        cnameLength = -1;
        int item = at + 4;
        while (u8(item) != 0) {
            int len = u8(item + 1);
            if (u8(item) == CNAME && cnameLength < 0) {
                cnameOffset = item + 2;
                cnameLength = len;
            }
            item += 2 + len;
        }
        nextChunkAt = Math.min((item + 4) & ~3, length());
        return true;
    }

    /** The SSRC (or CSRC) the current chunk describes. */
    public long chunkSsrc() {
        return chunkSsrc;
    }

    /** Whether the current chunk has a CNAME item. */
    public boolean hasCname() {
        return cnameLength >= 0;
    }

    /** Offset of the current chunk's CNAME text within the wrapped window. */
    public int cnameOffset() {
        return cnameOffset;
    }

    /** Length in bytes of the current chunk's CNAME text (UTF-8), -1 if it has none. */
    public int cnameLength() {
        return cnameLength;
    }

    /** Whether the current chunk's CNAME is exactly {@code cname}; allocation-free for the hot path. */
    public boolean cnameEquals(byte[] cname) {
        if (cnameLength != cname.length) {
            return false;
        }
        for (int i = 0; i < cname.length; i++) {
            if (u8(cnameOffset + i) != (cname[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** Copies the current chunk's CNAME out (allocates: for setup paths, not per packet). */
    public byte[] cnameBytes() {
        if (cnameLength < 0) {
            return null;
        }
        byte[] out = new byte[cnameLength];
        MemorySegment.copy(segment(), ValueLayout.JAVA_BYTE, offset() + cnameOffset, out, 0, cnameLength);
        return out;
    }
}
