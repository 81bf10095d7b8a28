package io.eddyrtc.crypto.srtp;

import io.eddyrtc.crypto.internal.LibGcrypt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * AES-CM + HMAC-SHA1 from libgcrypt ({@link LibGcrypt}): a counter-mode cipher handle and an HMAC-SHA1 handle per
 * engine, keys set once. Per packet: set the counter, encrypt or decrypt in place, and reset, feed and read or verify
 * the MAC — on the packet's own native memory, no copy and no allocation. The HMAC starts each packet from its
 * padded keys hashed once, two SHA-1 blocks fewer than the JDK engine; a heap packet goes through a native scratch.
 */
final class GcryptAesCmHmac extends NativeEngine implements AesCmHmac {
    private static final int COUNTER_LENGTH = 16;
    private static final int SCRATCH = 4096;
    private static final String UNAVAILABLE = LibGcrypt.unavailableReason();

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "available" : UNAVAILABLE;
    }

    private final long cipher;
    private final long mac;
    /** The counter block, then the suffix (4 bytes), then the MAC's length cell (8 bytes). */
    private final MemorySegment cells;
    private final long counterAddress;
    private final long suffixAddress;
    private final long lengthAddress;
    private MemorySegment scratch;

    GcryptAesCmHmac(byte[] key, byte[] authKey) {
        if (!isAvailable()) {
            arena.close();
            throw new IllegalStateException("libgcrypt is not available: " + UNAVAILABLE);
        }
        long c = 0;
        long m;
        try {
            c = LibGcrypt.openCipher(key.length == 32 ? LibGcrypt.CIPHER_AES256 : LibGcrypt.CIPHER_AES128, LibGcrypt.MODE_CTR, key, arena);
            m = LibGcrypt.openMac(LibGcrypt.MAC_HMAC_SHA1, authKey, arena);
        } catch (RuntimeException | Error e) {
            if (c != 0) {
                LibGcrypt.closeCipher(c);
            }
            arena.close();
            throw e;
        }
        this.cipher = c;
        this.mac = m;
        long cipherHandle = c;
        long macHandle = m;
        freeOnClose(() -> {
            LibGcrypt.closeCipher(cipherHandle);
            LibGcrypt.closeMac(macHandle);
        });
        this.cells = arena.allocate(COUNTER_LENGTH + 4 + 4 + JAVA_LONG.byteSize(), 8);
        this.counterAddress = cells.address();
        this.suffixAddress = counterAddress + COUNTER_LENGTH;
        this.lengthAddress = counterAddress + COUNTER_LENGTH + 8;
    }

    @Override
    public void seal(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
                     long tagOffset, int tagLength) {
        long start = Math.min(authOffset, dataOffset);
        long end = Math.max(authOffset + authLength, tagOffset + tagLength);
        long base = at(packet, start, end, dataOffset, dataLength, authLength, tagOffset, tagLength);
        crypt(iv, base + dataOffset, dataLength, true);
        authenticate(base + authOffset, authLength, suffix);
        cells.set(JAVA_LONG, COUNTER_LENGTH + 8, tagLength);
        LibGcrypt.macRead(mac, base + tagOffset, lengthAddress);
        if (!packet.isNative()) {
            MemorySegment.copy(scratch, 0, packet, start, end - start);
        }
    }

    @Override
    public boolean open(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
                        long tagOffset, int tagLength) {
        long start = Math.min(authOffset, dataOffset);
        long end = Math.max(authOffset + authLength, tagOffset + tagLength);
        long base = at(packet, start, end, dataOffset, dataLength, authLength, tagOffset, tagLength);
        authenticate(base + authOffset, authLength, suffix);
        if (!LibGcrypt.macVerify(mac, base + tagOffset, tagLength)) {
            return false;
        }
        crypt(iv, base + dataOffset, dataLength, false);
        if (!packet.isNative()) {
            MemorySegment.copy(scratch, dataOffset - start, packet, dataOffset, dataLength);
        }
        return true;
    }

    private void crypt(byte[] iv, long data, int length, boolean encrypt) {
        if (length == 0) {
            return;
        }
        MemorySegment.copy(iv, 0, cells, ValueLayout.JAVA_BYTE, 0, COUNTER_LENGTH);
        LibGcrypt.setCounter(cipher, counterAddress, COUNTER_LENGTH);
        LibGcrypt.crypt(cipher, data, length, encrypt);
    }

    private void authenticate(long data, int length, byte[] suffix) {
        LibGcrypt.macReset(mac);
        LibGcrypt.macWrite(mac, data, length);
        if (suffix != null) {
            MemorySegment.copy(suffix, 0, cells, ValueLayout.JAVA_BYTE, COUNTER_LENGTH, suffix.length);
            LibGcrypt.macWrite(mac, suffixAddress, suffix.length);
        }
    }

    /**
     * The address at which the packet's offset 0 lies for the calls: its own for native memory, else a native
     * scratch holding a copy of the span {@code [start, end)}. Every range is checked first: a bad offset must
     * never reach C.
     */
    private long at(MemorySegment packet, long start, long end, long dataOffset, int dataLength, int authLength, long tagOffset,
                    int tagLength) {
        if (start < 0 || end > packet.byteSize() || dataLength < 0 || authLength < 0 || tagLength < 0 || tagLength > 20
                || dataOffset + dataLength > end || tagOffset < start) {
            throw new IndexOutOfBoundsException("AES-CM range outside the packet segment of " + packet.byteSize() + " bytes");
        }
        if (packet.isNative()) {
            return packet.address();
        }
        if (end - start > SCRATCH) {
            throw new IllegalArgumentException("packet span of " + (end - start) + " bytes exceeds the " + SCRATCH + "-byte scratch");
        }
        if (scratch == null) {
            scratch = arena.allocate(SCRATCH, 16);
        }
        MemorySegment.copy(packet, start, scratch, 0, end - start);
        return scratch.address() - start;
    }

    @Override
    public String engine() {
        return "gcrypt";
    }

}
