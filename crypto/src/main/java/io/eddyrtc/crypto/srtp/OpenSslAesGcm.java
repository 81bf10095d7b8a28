package io.eddyrtc.crypto.srtp;

import io.eddyrtc.crypto.internal.LibCrypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * AES-GCM from OpenSSL's libcrypto (Debian's {@code libssl3}), called through the FFM linker. Each engine
 * keeps one encrypting and one decrypting {@code EVP_CIPHER_CTX} with the key schedule set up once; a
 * packet costs a re-init with the new IV, the AAD and text updates, and the tag — all on the packet's
 * own native memory (pointers are passed as addresses, so no segment object is made per call), with no
 * allocation.
 *
 * <p>The tag goes through {@code EVP_CIPHER_CTX_get_params}/{@code set_params} with an {@code OSSL_PARAM} array
 * built once, its data pointer moved to each packet's tag, rather than {@code EVP_CIPHER_CTX_ctrl}: OpenSSL 3
 * turns a ctrl into such an array on every call, and the lookups by name cost about 20 ns a packet each way.
 * A libcrypto without those calls (1.1) counts as unavailable, and the JDK's GCM serves.
 */
final class OpenSslAesGcm extends NativeAesGcm {

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
    private static final MethodHandle CTX_GET_PARAMS;
    private static final MethodHandle CTX_SET_PARAMS;
    /** {@code OSSL_PARAM}: key, data_type (and padding), data, data_size, return_size; an array ends with a null key. */
    private static final long PARAM_SIZE = 40;
    private static final long PARAM_DATA_TYPE = 8;
    private static final long PARAM_DATA = 16;
    private static final long PARAM_DATA_SIZE = 24;
    private static final long PARAM_RETURN_SIZE = 32;
    private static final int OSSL_PARAM_OCTET_STRING = 5;
    private static final long OSSL_PARAM_UNMODIFIED = -1L;

    static {
        MethodHandle[] h = new MethodHandle[12];
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
            FunctionDescriptor params = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG);
            h[10] = linker.downcallHandle(LibCrypto.find(lib, "EVP_CIPHER_CTX_get_params"), params, critical);
            h[11] = linker.downcallHandle(LibCrypto.find(lib, "EVP_CIPHER_CTX_set_params"), params, critical);
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
        CTX_GET_PARAMS = h[10];
        CTX_SET_PARAMS = h[11];
    }

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "available" : UNAVAILABLE;
    }

    private final long encrypt;
    private final long decrypt;
    private final long ivAddress;
    private final long outLengthAddress;
    private final MemorySegment ivSegment;
    /** One {@code OSSL_PARAM} named "tag" and the end of its array. */
    private final MemorySegment tagParam;
    private final long tagParamAddress;

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
        this.tagParam = tagParam(arena);
        this.tagParamAddress = tagParam.address();
        this.outLengthAddress = arena.allocate(JAVA_INT).address();
        long enc = encrypt;
        long dec = decrypt;
        freeOnClose(() -> free(enc, dec));
    }

    /** {@code {OSSL_PARAM_octet_string("tag", data, 16), OSSL_PARAM_END}}; the data pointer is set per packet. */
    private static MemorySegment tagParam(Arena arena) {
        MemorySegment name = arena.allocateFrom("tag");
        MemorySegment params = arena.allocate(2 * PARAM_SIZE, 8); // zeroed: the second is the end
        params.set(JAVA_LONG, 0, name.address());
        params.set(JAVA_INT, PARAM_DATA_TYPE, OSSL_PARAM_OCTET_STRING);
        params.set(JAVA_LONG, PARAM_DATA_SIZE, TAG_LENGTH);
        params.set(JAVA_LONG, PARAM_RETURN_SIZE, OSSL_PARAM_UNMODIFIED);
        return params;
    }

    private static void free(long enc, long dec) {
        try {
            CTX_FREE.invokeExact(enc);
            CTX_FREE.invokeExact(dec);
        } catch (Throwable ignored) {
            // nothing sensible to do while freeing
        }
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException(call + " failed (" + result + ")");
        }
    }

    @Override
    void sealAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset, int dataLength,
                long tagOffset) {
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
            tagParam.set(JAVA_LONG, PARAM_DATA, base + tagOffset);
            check((int) CTX_GET_PARAMS.invokeExact(encrypt, tagParamAddress), "EVP_CIPHER_CTX_get_params(tag)");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    boolean openAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset, int dataLength,
                   long tagOffset) {
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
            tagParam.set(JAVA_LONG, PARAM_DATA, base + tagOffset);
            check((int) CTX_SET_PARAMS.invokeExact(decrypt, tagParamAddress), "EVP_CIPHER_CTX_set_params(tag)");
            return (int) DECRYPT_FINAL.invokeExact(decrypt, base + dataOffset + dataLength, outLengthAddress) > 0;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String engine() {
        return "openssl";
    }

}
