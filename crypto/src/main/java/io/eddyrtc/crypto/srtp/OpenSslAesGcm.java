package io.eddyrtc.crypto.srtp;

import io.eddyrtc.crypto.internal.LibCrypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * AES-GCM from OpenSSL's libcrypto (Debian's {@code libssl3}), called through the FFM linker. Each engine
 * keeps one encrypting and one decrypting {@code EVP_CIPHER_CTX} with the key schedule set up once; a
 * packet costs a re-init with the new IV, the AAD and text updates, and the tag — all on the packet's
 * own native memory (pointers are passed as addresses, so no segment object is made per call), with no
 * allocation. Heap segments are copied through a native scratch buffer, made on the first one.
 */
final class OpenSslAesGcm implements AesGcm {
    private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int EVP_CTRL_GCM_SET_TAG = 0x11;
    private static final int SCRATCH = 4096;
    private static final Cleaner CLEANER = Cleaner.create();

    private static final String UNAVAILABLE;
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle AES_128_GCM;
    private static final MethodHandle AES_256_GCM;
    private static final MethodHandle ENCRYPT_INIT;
    private static final MethodHandle DECRYPT_INIT;
    private static final MethodHandle ENCRYPT_UPDATE;
    private static final MethodHandle DECRYPT_UPDATE;
    private static final MethodHandle ENCRYPT_FINAL;
    private static final MethodHandle DECRYPT_FINAL;
    private static final MethodHandle CTX_CTRL;

    static {
        MethodHandle[] h = new MethodHandle[11];
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = LibCrypto.load();
            Linker.Option critical = Linker.Option.critical(false); // short calls that never call back into Java
            FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);
            FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            h[0] = linker.downcallHandle(LibCrypto.find(lib, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(JAVA_LONG));
            h[1] = linker.downcallHandle(LibCrypto.find(lib, "EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(JAVA_LONG));
            h[2] = linker.downcallHandle(LibCrypto.find(lib, "EVP_aes_128_gcm"), FunctionDescriptor.of(JAVA_LONG));
            h[3] = linker.downcallHandle(LibCrypto.find(lib, "EVP_aes_256_gcm"), FunctionDescriptor.of(JAVA_LONG));
            h[4] = linker.downcallHandle(LibCrypto.find(lib, "EVP_EncryptInit_ex"), init, critical);
            h[5] = linker.downcallHandle(LibCrypto.find(lib, "EVP_DecryptInit_ex"), init, critical);
            h[6] = linker.downcallHandle(LibCrypto.find(lib, "EVP_EncryptUpdate"), update, critical);
            h[7] = linker.downcallHandle(LibCrypto.find(lib, "EVP_DecryptUpdate"), update, critical);
            h[8] = linker.downcallHandle(LibCrypto.find(lib, "EVP_EncryptFinal_ex"), fin, critical);
            h[9] = linker.downcallHandle(LibCrypto.find(lib, "EVP_DecryptFinal_ex"), fin, critical);
            h[10] = linker.downcallHandle(LibCrypto.find(lib, "EVP_CIPHER_CTX_ctrl"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), critical);
        } catch (RuntimeException | LinkageError e) {
            why = e.toString();
        }
        UNAVAILABLE = why;
        CTX_NEW = h[0];
        CTX_FREE = h[1];
        AES_128_GCM = h[2];
        AES_256_GCM = h[3];
        ENCRYPT_INIT = h[4];
        DECRYPT_INIT = h[5];
        ENCRYPT_UPDATE = h[6];
        DECRYPT_UPDATE = h[7];
        ENCRYPT_FINAL = h[8];
        DECRYPT_FINAL = h[9];
        CTX_CTRL = h[10];
    }

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "available" : UNAVAILABLE;
    }

    private final Arena arena = Arena.ofShared();
    private final long encrypt;
    private final long decrypt;
    private final long ivAddress;
    private final long outLengthAddress;
    private final MemorySegment ivSegment;
    /** For heap packets only, so made on the first: a server reading into native buffers never has one. */
    private MemorySegment scratch;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    OpenSslAesGcm(byte[] key) {
        if (!isAvailable()) {
            throw new IllegalStateException("libcrypto is not available: " + UNAVAILABLE);
        }
        try {
            long cipher = key.length == 32 ? (long) AES_256_GCM.invokeExact() : (long) AES_128_GCM.invokeExact();
            if (key.length != 16 && key.length != 32) {
                throw new IllegalArgumentException("AES-GCM keys are 16 or 32 bytes, not " + key.length);
            }
            MemorySegment keySegment = arena.allocate(key.length);
            MemorySegment.copy(key, 0, keySegment, ValueLayout.JAVA_BYTE, 0, key.length);
            long enc = (long) CTX_NEW.invokeExact();
            long dec = (long) CTX_NEW.invokeExact();
            if (enc == 0 || dec == 0) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
            }
            check((int) ENCRYPT_INIT.invokeExact(enc, cipher, 0L, keySegment.address(), 0L), "EVP_EncryptInit_ex");
            check((int) DECRYPT_INIT.invokeExact(dec, cipher, 0L, keySegment.address(), 0L), "EVP_DecryptInit_ex");
            keySegment.fill((byte) 0);
            this.encrypt = enc;
            this.decrypt = dec;
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        this.ivSegment = arena.allocate(IV_LENGTH);
        this.ivAddress = ivSegment.address();
        this.outLengthAddress = arena.allocate(JAVA_INT).address();
        long enc = encrypt;
        long dec = decrypt;
        Arena owned = arena;
        this.cleanable = CLEANER.register(this, () -> free(enc, dec, owned));
    }

    private static void free(long enc, long dec, Arena arena) {
        try {
            CTX_FREE.invokeExact(enc);
            CTX_FREE.invokeExact(dec);
        } catch (Throwable ignored) {
            // nothing sensible to do while freeing
        }
        arena.close();
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException(call + " failed (" + result + ")");
        }
    }

    @Override
    public void seal(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                     long dataOffset, int dataLength, long tagOffset) {
        if (!packet.isNative()) {
            sealThroughScratch(iv, packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
            return;
        }
        checkBounds(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        long base = packet.address();
        MemorySegment.copy(iv, 0, ivSegment, ValueLayout.JAVA_BYTE, 0, IV_LENGTH);
        try {
            check((int) ENCRYPT_INIT.invokeExact(encrypt, 0L, 0L, 0L, ivAddress), "EVP_EncryptInit_ex");
            if (aad1Length > 0) {
                check((int) ENCRYPT_UPDATE.invokeExact(encrypt, 0L, outLengthAddress, base + aad1Offset, aad1Length), "EVP_EncryptUpdate(aad)");
            }
            if (aad2Length > 0) {
                check((int) ENCRYPT_UPDATE.invokeExact(encrypt, 0L, outLengthAddress, base + aad2Offset, aad2Length), "EVP_EncryptUpdate(aad)");
            }
            if (dataLength > 0) {
                long data = base + dataOffset;
                check((int) ENCRYPT_UPDATE.invokeExact(encrypt, data, outLengthAddress, data, dataLength), "EVP_EncryptUpdate");
            }
            check((int) ENCRYPT_FINAL.invokeExact(encrypt, base + dataOffset + dataLength, outLengthAddress), "EVP_EncryptFinal_ex");
            check((int) CTX_CTRL.invokeExact(encrypt, EVP_CTRL_GCM_GET_TAG, TAG_LENGTH, base + tagOffset), "EVP_CTRL_GCM_GET_TAG");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean open(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                        long dataOffset, int dataLength, long tagOffset) {
        if (!packet.isNative()) {
            return openThroughScratch(iv, packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        }
        checkBounds(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        long base = packet.address();
        MemorySegment.copy(iv, 0, ivSegment, ValueLayout.JAVA_BYTE, 0, IV_LENGTH);
        try {
            check((int) DECRYPT_INIT.invokeExact(decrypt, 0L, 0L, 0L, ivAddress), "EVP_DecryptInit_ex");
            if (aad1Length > 0) {
                check((int) DECRYPT_UPDATE.invokeExact(decrypt, 0L, outLengthAddress, base + aad1Offset, aad1Length), "EVP_DecryptUpdate(aad)");
            }
            if (aad2Length > 0) {
                check((int) DECRYPT_UPDATE.invokeExact(decrypt, 0L, outLengthAddress, base + aad2Offset, aad2Length), "EVP_DecryptUpdate(aad)");
            }
            if (dataLength > 0) {
                long data = base + dataOffset;
                check((int) DECRYPT_UPDATE.invokeExact(decrypt, data, outLengthAddress, data, dataLength), "EVP_DecryptUpdate");
            }
            check((int) CTX_CTRL.invokeExact(decrypt, EVP_CTRL_GCM_SET_TAG, TAG_LENGTH, base + tagOffset), "EVP_CTRL_GCM_SET_TAG");
            return (int) DECRYPT_FINAL.invokeExact(decrypt, base + dataOffset + dataLength, outLengthAddress) > 0;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Native calls get raw addresses, so the Java side checks every range first: a bad offset must never reach C. */
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

    /** Heap packets: the span they touch goes through native scratch (a copy each way). */
    private void sealThroughScratch(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                                    long dataOffset, int dataLength, long tagOffset) {
        long start = spanStart(aad1Offset, aad2Offset, aad2Length, dataOffset, tagOffset);
        long end = spanEnd(aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        MemorySegment window = scratchFor(start, end);
        MemorySegment.copy(packet, start, window, 0, end - start);
        // an empty second AAD may sit anywhere (offset 0 of a packet read at an offset): it must not point before the window
        seal(iv, window, aad1Offset - start, aad1Length, aad2Length > 0 ? aad2Offset - start : 0, aad2Length, dataOffset - start,
                dataLength, tagOffset - start);
        MemorySegment.copy(window, 0, packet, start, end - start);
    }

    private boolean openThroughScratch(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                                       long dataOffset, int dataLength, long tagOffset) {
        long start = spanStart(aad1Offset, aad2Offset, aad2Length, dataOffset, tagOffset);
        long end = spanEnd(aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength, tagOffset);
        MemorySegment window = scratchFor(start, end);
        MemorySegment.copy(packet, start, window, 0, end - start);
        boolean ok = open(iv, window, aad1Offset - start, aad1Length, aad2Length > 0 ? aad2Offset - start : 0, aad2Length,
                dataOffset - start, dataLength, tagOffset - start);
        if (ok) {
            MemorySegment.copy(window, dataOffset - start, packet, dataOffset, dataLength);
        }
        return ok;
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

    @Override
    public String engine() {
        return "openssl";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cleanable.clean();
        }
    }
}
