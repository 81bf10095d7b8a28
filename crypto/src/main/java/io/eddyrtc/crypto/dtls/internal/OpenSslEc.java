package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.internal.LibCrypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The NIST curves on OpenSSL's libcrypto through the FFM linker, for the two expensive steps of ECDSA:
 * verification (43–48 against BouncyCastle's 117–131 µs here for P-256 with a key new to it, allocating almost
 * nothing on the heap where BouncyCastle allocates about 80 KB) and, for our signatures, the nonce's point
 * k·G on P-256 (8 µs; {@link EcdsaP256} keeps the RFC 6979 nonce and the scalar arithmetic on BouncyCastle, so a
 * signature stays byte for byte what BouncyCastle alone makes and handshakes stay reproducible from the
 * {@code SecureRandom} given). It uses libcrypto's {@code EC_KEY}/{@code EC_POINT} functions, which skip
 * OpenSSL 3's provider machinery ({@code d2i_PUBKEY} and {@code EVP_DigestVerify} cost as much as
 * BouncyCastle), on one {@code EC_GROUP} per curve made once: making one per call costs 8 µs.
 * Without libcrypto ({@link #isAvailable()} false) BouncyCastle does both.
 */
final class OpenSslEc {
    private static final int NID_P256 = 415; // NID_X9_62_prime256v1
    private static final int NID_P384 = 715; // NID_secp384r1
    private static final int NID_P521 = 716; // NID_secp521r1

    private static final String UNAVAILABLE;
    private static final MethodHandle KEY_NEW;
    private static final MethodHandle KEY_SET_GROUP;
    private static final MethodHandle KEY_FREE;
    private static final MethodHandle POINT_FROM_OCTETS;
    private static final MethodHandle VERIFY;
    private static final MethodHandle BN_FROM_BYTES;
    private static final MethodHandle BN_TO_BYTES;
    private static final MethodHandle BN_NEW;
    private static final MethodHandle BN_CLEAR_FREE;
    private static final MethodHandle BN_CTX_NEW;
    private static final MethodHandle BN_CTX_FREE;
    private static final MethodHandle POINT_NEW;
    private static final MethodHandle POINT_CLEAR_FREE;
    private static final MethodHandle POINT_MUL;
    private static final MethodHandle POINT_AFFINE;
    /** The curves' groups: shared read-only by every call and thread, never freed. */
    private static final MemorySegment P256;
    private static final MemorySegment P384;
    private static final MemorySegment P521;

    static {
        MethodHandle[] h = new MethodHandle[15];
        MemorySegment[] groups = new MemorySegment[3];
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = LibCrypto.load();
            h[0] = linker.downcallHandle(LibCrypto.find(lib, "EC_KEY_new"), FunctionDescriptor.of(ADDRESS));
            h[1] = linker.downcallHandle(LibCrypto.find(lib, "EC_KEY_set_group"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            h[2] = linker.downcallHandle(LibCrypto.find(lib, "EC_KEY_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[3] = linker.downcallHandle(LibCrypto.find(lib, "o2i_ECPublicKey"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
            h[4] = linker.downcallHandle(LibCrypto.find(lib, "ECDSA_verify"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            h[5] = linker.downcallHandle(LibCrypto.find(lib, "BN_bin2bn"), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
            h[6] = linker.downcallHandle(LibCrypto.find(lib, "BN_bn2binpad"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            h[7] = linker.downcallHandle(LibCrypto.find(lib, "BN_new"), FunctionDescriptor.of(ADDRESS));
            h[8] = linker.downcallHandle(LibCrypto.find(lib, "BN_clear_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[9] = linker.downcallHandle(LibCrypto.find(lib, "BN_CTX_new"), FunctionDescriptor.of(ADDRESS));
            h[10] = linker.downcallHandle(LibCrypto.find(lib, "BN_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[11] = linker.downcallHandle(LibCrypto.find(lib, "EC_POINT_new"), FunctionDescriptor.of(ADDRESS, ADDRESS));
            h[12] = linker.downcallHandle(LibCrypto.find(lib, "EC_POINT_clear_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[13] = linker.downcallHandle(LibCrypto.find(lib, "EC_POINT_mul"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            h[14] = linker.downcallHandle(LibCrypto.find(lib, "EC_POINT_get_affine_coordinates"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            MethodHandle groupNew = linker.downcallHandle(LibCrypto.find(lib, "EC_GROUP_new_by_curve_name"),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
            int[] nids = {NID_P256, NID_P384, NID_P521};
            for (int i = 0; i < nids.length; i++) {
                groups[i] = (MemorySegment) groupNew.invokeExact(nids[i]);
                if (groups[i].equals(MemorySegment.NULL)) {
                    throw new IllegalStateException("libcrypto has no curve " + nids[i]);
                }
            }
        } catch (Throwable e) {
            why = e.toString();
        }
        UNAVAILABLE = why;
        KEY_NEW = h[0];
        KEY_SET_GROUP = h[1];
        KEY_FREE = h[2];
        POINT_FROM_OCTETS = h[3];
        VERIFY = h[4];
        BN_FROM_BYTES = h[5];
        BN_TO_BYTES = h[6];
        BN_NEW = h[7];
        BN_CLEAR_FREE = h[8];
        BN_CTX_NEW = h[9];
        BN_CTX_FREE = h[10];
        POINT_NEW = h[11];
        POINT_CLEAR_FREE = h[12];
        POINT_MUL = h[13];
        POINT_AFFINE = h[14];
        P256 = groups[0];
        P384 = groups[1];
        P521 = groups[2];
    }

    private OpenSslEc() {
    }

    /**
     * libcrypto was found, and the {@code eddy.dtls.ec} property does not ask for BouncyCastle (the switch the
     * tests use to run eddy as it runs where libcrypto is missing).
     */
    static boolean isAvailable() {
        return UNAVAILABLE == null && !bouncyCastleAsked();
    }

    /** {@code -Deddy.dtls.ec=bouncycastle}: every elliptic-curve operation on BouncyCastle. */
    static boolean bouncyCastleAsked() {
        return "bouncycastle".equals(System.getProperty("eddy.dtls.ec"));
    }

    /**
     * Whether {@code signature} (DER) by {@code key} covers {@code digest} (the message's hash); false for a
     * curve libcrypto does not name here and for anything malformed.
     */
    static boolean verifyEcdsa(ECPublicKey key, byte[] digest, byte[] signature) {
        int fieldBits = key.getParams().getCurve().getField().getFieldSize();
        MemorySegment group = switch (fieldBits) {
            case 256 -> P256;
            case 384 -> P384;
            case 521 -> P521;
            default -> null;
        };
        if (group == null) {
            return false;
        }
        byte[] point = uncompressed(key, (fieldBits + 7) / 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ecKey = (MemorySegment) KEY_NEW.invokeExact();
            if (ecKey.equals(MemorySegment.NULL)) {
                return false;
            }
            try {
                if ((int) KEY_SET_GROUP.invokeExact(ecKey, group) != 1) {
                    return false;
                }
                MemorySegment keyRef = arena.allocate(ADDRESS);
                keyRef.set(ADDRESS, 0, ecKey);
                MemorySegment cursor = arena.allocate(ADDRESS);
                cursor.set(ADDRESS, 0, bytes(arena, point));
                MemorySegment set = (MemorySegment) POINT_FROM_OCTETS.invokeExact(keyRef, cursor, (long) point.length);
                if (set.equals(MemorySegment.NULL)) {
                    return false; // not a point on the curve
                }
                return (int) VERIFY.invokeExact(0, bytes(arena, digest), digest.length, bytes(arena, signature), signature.length,
                        ecKey) == 1;
            } finally {
                KEY_FREE.invokeExact(ecKey);
            }
        } catch (Throwable t) {
            return false; // a failure inside libcrypto is a failed verification, never an exception out of the handshake
        }
    }

    /**
     * The P-256 generator times {@code scalar} (32 bytes, big-endian, below the group order): its affine
     * coordinates into {@code x} and {@code y} (32 bytes each). libcrypto's fixed-base multiplication runs in
     * constant time (a signature's nonce is as secret as the key); the scalar's native copies are cleared.
     * False if libcrypto failed (the caller computes it itself).
     */
    static boolean multiplyP256Generator(byte[] scalar, byte[] x, byte[] y) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(32);
            MemorySegment k = MemorySegment.NULL;
            MemorySegment point = MemorySegment.NULL;
            MemorySegment ctx = MemorySegment.NULL;
            MemorySegment bx = MemorySegment.NULL;
            MemorySegment by = MemorySegment.NULL;
            try {
                MemorySegment.copy(scalar, 0, buffer, ValueLayout.JAVA_BYTE, 0, 32);
                k = (MemorySegment) BN_FROM_BYTES.invokeExact(buffer, 32, MemorySegment.NULL);
                buffer.fill((byte) 0);
                point = (MemorySegment) POINT_NEW.invokeExact(P256);
                ctx = (MemorySegment) BN_CTX_NEW.invokeExact();
                bx = (MemorySegment) BN_NEW.invokeExact();
                by = (MemorySegment) BN_NEW.invokeExact();
                if (k.equals(MemorySegment.NULL) || point.equals(MemorySegment.NULL) || ctx.equals(MemorySegment.NULL)
                        || bx.equals(MemorySegment.NULL) || by.equals(MemorySegment.NULL)
                        || (int) POINT_MUL.invokeExact(P256, point, k, MemorySegment.NULL, MemorySegment.NULL, ctx) != 1
                        || (int) POINT_AFFINE.invokeExact(P256, point, bx, by, ctx) != 1
                        || (int) BN_TO_BYTES.invokeExact(bx, buffer, 32) != 32) {
                    return false;
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, x, 0, 32);
                if ((int) BN_TO_BYTES.invokeExact(by, buffer, 32) != 32) {
                    return false;
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, y, 0, 32);
                return true;
            } finally {
                buffer.fill((byte) 0);
                BN_CLEAR_FREE.invokeExact(k); // each of these takes NULL
                BN_CLEAR_FREE.invokeExact(bx);
                BN_CLEAR_FREE.invokeExact(by);
                POINT_CLEAR_FREE.invokeExact(point);
                BN_CTX_FREE.invokeExact(ctx);
            }
        } catch (Throwable t) {
            return false;
        }
    }

    private static byte[] uncompressed(ECPublicKey key, int n) {
        byte[] out = new byte[1 + 2 * n];
        out[0] = 4;
        put(key.getW().getAffineX(), out, 1, n);
        put(key.getW().getAffineY(), out, 1 + n, n);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int at, int n) {
        byte[] raw = v.toByteArray();
        int from = Math.max(0, raw.length - n);
        int length = raw.length - from;
        System.arraycopy(raw, from, out, at + n - length, length);
    }

    private static MemorySegment bytes(Arena arena, byte[] data) {
        MemorySegment s = arena.allocate(Math.max(1, data.length));
        MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 0, data.length);
        return s;
    }
}
