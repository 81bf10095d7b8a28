package io.eddyrtc.crypto.srtp;

import java.lang.foreign.MemorySegment;

/**
 * What the AES-GCM engines on a C library share: the library works on raw addresses, so every range is checked
 * here before it reaches C, and a heap packet goes through a native scratch buffer (made on the first one: a
 * server reading into native buffers never has one). Subclasses seal and open at the packet's address.
 */
abstract sealed class NativeAesGcm extends NativeEngine implements AesGcm permits OpenSslAesGcm, GcryptAesGcm {
    private static final int SCRATCH = 4096;

    private MemorySegment scratch;

    /** {@link #seal} on native memory at {@code base}, every range already checked. */
    abstract void sealAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset,
                         int dataLength, long tagOffset);

    /** {@link #open} on native memory at {@code base}, every range already checked. */
    abstract boolean openAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset,
                            int dataLength, long tagOffset);

    @Override
    public final void seal(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                           long dataOffset, int dataLength, long tagOffset) {
        checkBounds(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        if (packet.isNative()) {
            sealAt(iv, packet.address(), aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
            return;
        }
        long start = spanStart(aad1Offset, aad2Offset, aad2Length, dataOffset, tagOffset);
        long end = spanEnd(aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        MemorySegment window = scratchFor(start, end);
        MemorySegment.copy(packet, start, window, 0, end - start);
        // an empty second AAD may sit anywhere (offset 0 of a packet read at an offset): it must not point before the window
        sealAt(iv, window.address(), aad1Offset - start, aad1Length, aad2Length > 0 ? aad2Offset - start : 0, aad2Length,
                dataOffset - start, dataLength, tagOffset - start);
        MemorySegment.copy(window, 0, packet, start, end - start);
    }

    @Override
    public final boolean open(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                              long dataOffset, int dataLength, long tagOffset) {
        checkBounds(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        if (packet.isNative()) {
            return openAt(iv, packet.address(), aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        }
        long start = spanStart(aad1Offset, aad2Offset, aad2Length, dataOffset, tagOffset);
        long end = spanEnd(aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        MemorySegment window = scratchFor(start, end);
        MemorySegment.copy(packet, start, window, 0, end - start);
        boolean ok = openAt(iv, window.address(), aad1Offset - start, aad1Length, aad2Length > 0 ? aad2Offset - start : 0, aad2Length,
                dataOffset - start, dataLength, tagOffset - start);
        if (ok) {
            MemorySegment.copy(window, dataOffset - start, packet, dataOffset, dataLength);
        }
        return ok;
    }

    /** Native calls get raw addresses, so every range is checked first: a bad offset must never reach C. */
    private static void checkBounds(MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                                    long dataOffset, int dataLength, long tagOffset) {
        long size = packet.byteSize();
        if (aad1Offset < 0 || aad1Length < 0 || aad1Offset + aad1Length > size
                || aad2Offset < 0 || aad2Length < 0 || aad2Offset + aad2Length > size
                || dataOffset < 0 || dataLength < 0 || dataOffset + dataLength > size
                || tagOffset < 0 || tagOffset + TAG_LENGTH > size) {
            throw new IndexOutOfBoundsException("AES-GCM range outside the packet segment of " + size + " bytes");
        }
    }

    /** The first byte of the packet that AAD, text or tag touch. */
    private static long spanStart(long aad1Offset, long aad2Offset, int aad2Length, long dataOffset, long tagOffset) {
        return Math.min(Math.min(aad1Offset, aad2Length > 0 ? aad2Offset : aad1Offset), Math.min(dataOffset, tagOffset));
    }

    /** One past the last byte of the packet that AAD, text or tag touch. */
    private static long spanEnd(long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                                long dataOffset, int dataLength, long tagOffset) {
        return Math.max(Math.max(aad1Offset + aad1Length, aad2Offset + aad2Length), Math.max(dataOffset + dataLength, tagOffset + TAG_LENGTH));
    }

    private MemorySegment scratchFor(long start, long end) {
        if (end - start > SCRATCH) {
            throw new IllegalArgumentException("packet span of " + (end - start) + " bytes exceeds the " + SCRATCH + "-byte scratch");
        }
        if (scratch == null) {
            scratch = arena.allocate(SCRATCH, 16);
        }
        return scratch; // whole, not a slice: a slice is a new object per packet, and offsets are checked anyway
    }
}
