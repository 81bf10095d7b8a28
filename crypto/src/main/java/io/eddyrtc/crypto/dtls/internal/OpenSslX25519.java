package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.internal.LibCrypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * X25519 agreement on OpenSSL's libcrypto through the FFM linker: about 30 against BouncyCastle's 50 µs
 * here (libcrypto's field arithmetic is assembly). Our key goes in as a key pair, private and public key both:
 * given the private key alone ({@code EVP_PKEY_new_raw_private_key}) OpenSSL 3 computes the public key
 * again, which costs as much as the agreement saves. The key pair itself stays BouncyCastle's (its
 * fixed-base multiplication is faster than libcrypto's through the provider API). Native copies of the
 * private key and the secret are cleared; without libcrypto ({@link #isAvailable()} false) BouncyCastle agrees.
 */
final class OpenSslX25519 {
    static final int KEY_SIZE = 32;
    private static final int EVP_PKEY_X25519 = 1034;
    private static final int EVP_PKEY_KEYPAIR = 0x87;
    private static final int OSSL_PARAM_OCTET_STRING = 5;
    /** OpenSSL's {@code OSSL_PARAM}: one named parameter of a key given to {@code EVP_PKEY_fromdata}. */
    private static final StructLayout PARAM = MemoryLayout.structLayout(ADDRESS.withName("key"), JAVA_INT.withName("data_type"),
            MemoryLayout.paddingLayout(4), ADDRESS.withName("data"), JAVA_LONG.withName("data_size"), JAVA_LONG.withName("return_size"));
    private static final long KEY_AT = PARAM.byteOffset(MemoryLayout.PathElement.groupElement("key"));
    private static final long DATA_TYPE_AT = PARAM.byteOffset(MemoryLayout.PathElement.groupElement("data_type"));
    private static final long DATA_AT = PARAM.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    private static final long DATA_SIZE_AT = PARAM.byteOffset(MemoryLayout.PathElement.groupElement("data_size"));
    private static final long RETURN_SIZE_AT = PARAM.byteOffset(MemoryLayout.PathElement.groupElement("return_size"));

    private static final String UNAVAILABLE;
    private static final MethodHandle CTX_FROM_NAME;
    private static final MethodHandle FROMDATA_INIT;
    private static final MethodHandle FROMDATA;
    private static final MethodHandle PUBLIC_KEY;
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle DERIVE_INIT;
    private static final MethodHandle SET_PEER;
    private static final MethodHandle DERIVE;
    private static final MethodHandle KEY_FREE;
    private static final MethodHandle CTX_FREE;
    private static final MemorySegment NAME;
    private static final MemorySegment PRIVATE_PARAM;
    private static final MemorySegment PUBLIC_PARAM;

    static {
        MethodHandle[] h = new MethodHandle[10];
        MemorySegment[] names = new MemorySegment[3];
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = LibCrypto.load();
            h[0] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_CTX_new_from_name"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            h[1] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_fromdata_init"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[2] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_fromdata"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
            h[3] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_new_raw_public_key"),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            h[4] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_CTX_new"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
            h[5] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_derive_init"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[6] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_derive_set_peer_ex"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            h[7] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_derive"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            h[8] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[9] = linker.downcallHandle(LibCrypto.find(lib, "EVP_PKEY_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS));
            names[0] = Arena.global().allocateFrom("X25519");
            names[1] = Arena.global().allocateFrom("priv"); // OSSL_PKEY_PARAM_PRIV_KEY
            names[2] = Arena.global().allocateFrom("pub"); // OSSL_PKEY_PARAM_PUB_KEY
        } catch (RuntimeException | LinkageError e) {
            why = e.toString();
        }
        UNAVAILABLE = why;
        CTX_FROM_NAME = h[0];
        FROMDATA_INIT = h[1];
        FROMDATA = h[2];
        PUBLIC_KEY = h[3];
        CTX_NEW = h[4];
        DERIVE_INIT = h[5];
        SET_PEER = h[6];
        DERIVE = h[7];
        KEY_FREE = h[8];
        CTX_FREE = h[9];
        NAME = names[0];
        PRIVATE_PARAM = names[1];
        PUBLIC_PARAM = names[2];
    }

    private OpenSslX25519() {
    }

    /** libcrypto was found, and the {@code eddy.dtls.ec} property does not ask for BouncyCastle. */
    static boolean isAvailable() {
        return UNAVAILABLE == null && !OpenSslEc.bouncyCastleAsked();
    }

    /**
     * The shared secret of our key pair ({@code privateKey}, {@code publicKey}) and the peer's public key,
     * into {@code secret}; false if libcrypto did not give one: the peer's key is of low order (the secret
     * would be all zeros, which OpenSSL refuses) or libcrypto failed. All four arrays are 32 bytes.
     */
    static boolean agree(byte[] privateKey, byte[] publicKey, byte[] peer, byte[] secret) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(4L * KEY_SIZE); // ours (private, public), the peer's, the secret
            MemorySegment ours = MemorySegment.NULL;
            MemorySegment theirs = MemorySegment.NULL;
            MemorySegment ctx = MemorySegment.NULL;
            try {
                MemorySegment.copy(privateKey, 0, keys, JAVA_BYTE, 0, KEY_SIZE);
                MemorySegment.copy(publicKey, 0, keys, JAVA_BYTE, KEY_SIZE, KEY_SIZE);
                MemorySegment.copy(peer, 0, keys, JAVA_BYTE, 2 * KEY_SIZE, KEY_SIZE);
                ours = keyPair(arena, keys.asSlice(0, KEY_SIZE), keys.asSlice(KEY_SIZE, KEY_SIZE));
                theirs = (MemorySegment) PUBLIC_KEY.invokeExact(EVP_PKEY_X25519, MemorySegment.NULL, keys.asSlice(2 * KEY_SIZE, KEY_SIZE),
                        (long) KEY_SIZE);
                if (ours.equals(MemorySegment.NULL) || theirs.equals(MemorySegment.NULL)) {
                    return false;
                }
                ctx = (MemorySegment) CTX_NEW.invokeExact(ours, MemorySegment.NULL);
                if (ctx.equals(MemorySegment.NULL)) {
                    return false;
                }
                MemorySegment out = keys.asSlice(3 * KEY_SIZE, KEY_SIZE);
                MemorySegment length = arena.allocate(JAVA_LONG);
                length.set(JAVA_LONG, 0, KEY_SIZE);
                // no check of the peer's key at set_peer (an X25519 key is any 32 bytes): the derivation refuses a low-order one
                if ((int) DERIVE_INIT.invokeExact(ctx) != 1 || (int) SET_PEER.invokeExact(ctx, theirs, 0) != 1
                        || (int) DERIVE.invokeExact(ctx, out, length) != 1 || length.get(JAVA_LONG, 0) != KEY_SIZE) {
                    return false;
                }
                MemorySegment.copy(out, JAVA_BYTE, 0, secret, 0, KEY_SIZE);
                return true;
            } finally {
                keys.fill((byte) 0);
                CTX_FREE.invokeExact(ctx); // each of these takes NULL
                KEY_FREE.invokeExact(theirs); // OpenSSL clears the private key it held when it frees it
                KEY_FREE.invokeExact(ours);
            }
        } catch (Throwable t) {
            return false;
        }
    }

    /** An X25519 {@code EVP_PKEY} of both halves, or NULL. */
    private static MemorySegment keyPair(Arena arena, MemorySegment privateKey, MemorySegment publicKey) throws Throwable {
        MemorySegment ctx = (MemorySegment) CTX_FROM_NAME.invokeExact(MemorySegment.NULL, NAME, MemorySegment.NULL);
        if (ctx.equals(MemorySegment.NULL)) {
            return MemorySegment.NULL;
        }
        try {
            MemorySegment params = arena.allocate(PARAM, 3); // the third, all zeros, ends the list
            param(params.asSlice(0, PARAM.byteSize()), PRIVATE_PARAM, privateKey);
            param(params.asSlice(PARAM.byteSize(), PARAM.byteSize()), PUBLIC_PARAM, publicKey);
            MemorySegment key = arena.allocate(ADDRESS);
            if ((int) FROMDATA_INIT.invokeExact(ctx) != 1 || (int) FROMDATA.invokeExact(ctx, key, EVP_PKEY_KEYPAIR, params) != 1) {
                return MemorySegment.NULL;
            }
            return key.get(ADDRESS, 0);
        } finally {
            CTX_FREE.invokeExact(ctx);
        }
    }

    private static void param(MemorySegment at, MemorySegment name, MemorySegment value) {
        at.set(ADDRESS, KEY_AT, name);
        at.set(JAVA_INT, DATA_TYPE_AT, OSSL_PARAM_OCTET_STRING);
        at.set(ADDRESS, DATA_AT, value);
        at.set(JAVA_LONG, DATA_SIZE_AT, value.byteSize());
        at.set(JAVA_LONG, RETURN_SIZE_AT, -1L); // OSSL_PARAM_UNMODIFIED
    }
}
