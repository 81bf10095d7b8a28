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
 * ECDSA verification on OpenSSL's libcrypto through the FFM linker: the handshake's most expensive
 * operation, about 3× faster there than on BouncyCastle's Java (55 against 160 µs here for P-256) and
 * allocating almost nothing on the heap, where BouncyCastle allocates about 160 KB. It uses libcrypto's
 * {@code EC_KEY} functions, which skip OpenSSL 3's provider machinery ({@code d2i_PUBKEY} and
 * {@code EVP_DigestVerify} cost as much as BouncyCastle). Signing stays on BouncyCastle, whose RFC 6979
 * nonces keep eddy's handshakes reproducible from the {@code SecureRandom} given; X25519 too (libcrypto's is
 * no faster through its provider API). Without libcrypto ({@link #isAvailable()} false) BouncyCastle verifies.
 */
final class OpenSslEc {
    private static final String UNAVAILABLE;
    private static final MethodHandle KEY_NEW;
    private static final MethodHandle KEY_FREE;
    private static final MethodHandle POINT_FROM_OCTETS;
    private static final MethodHandle VERIFY;

    static {
        MethodHandle[] h = new MethodHandle[4];
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = LibCrypto.load();
            h[0] = linker.downcallHandle(LibCrypto.find(lib, "EC_KEY_new_by_curve_name"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
            h[1] = linker.downcallHandle(LibCrypto.find(lib, "EC_KEY_free"), FunctionDescriptor.ofVoid(ADDRESS));
            h[2] = linker.downcallHandle(LibCrypto.find(lib, "o2i_ECPublicKey"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
            h[3] = linker.downcallHandle(LibCrypto.find(lib, "ECDSA_verify"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        } catch (RuntimeException | LinkageError e) {
            why = e.toString();
        }
        UNAVAILABLE = why;
        KEY_NEW = h[0];
        KEY_FREE = h[1];
        POINT_FROM_OCTETS = h[2];
        VERIFY = h[3];
    }

    private OpenSslEc() {
    }

    /** libcrypto was found, and the {@code eddy.dtls.ec} property does not ask for BouncyCastle. */
    static boolean isAvailable() {
        return UNAVAILABLE == null && !"bouncycastle".equals(System.getProperty("eddy.dtls.ec"));
    }

    /**
     * Whether {@code signature} (DER) by {@code key} covers {@code digest} (the message's hash); false for a
     * curve libcrypto does not name here and for anything malformed.
     */
    static boolean verifyEcdsa(ECPublicKey key, byte[] digest, byte[] signature) {
        int fieldBits = key.getParams().getCurve().getField().getFieldSize();
        int nid = switch (fieldBits) {
            case 256 -> 415; // NID_X9_62_prime256v1
            case 384 -> 715; // NID_secp384r1
            case 521 -> 716; // NID_secp521r1
            default -> 0;
        };
        if (nid == 0) {
            return false;
        }
        byte[] point = uncompressed(key, (fieldBits + 7) / 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ecKey = (MemorySegment) KEY_NEW.invokeExact(nid);
            if (ecKey.equals(MemorySegment.NULL)) {
                return false;
            }
            try {
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
