package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libcrypto's X25519 agreement, which the handshake uses where libcrypto is: RFC 7748's test vector, the same
 * secret as BouncyCastle's for any keys, and a low-order peer key refused (by libcrypto, then by the key share
 * with BouncyCastle's reason) with and without libcrypto.
 */
@ExtendWith(SeedExtension.class)
class OpenSslX25519Test {
    private static final HexFormat HEX = HexFormat.of();
    /** RFC 7748 §6.1. */
    private static final byte[] ALICE_PRIVATE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUBLIC = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_PRIVATE = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final byte[] BOB_PUBLIC = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] SHARED = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    /** Points of small order (u = 0, u = 1, and one of order 8): every agreement with them is all zeros. */
    private static final byte[][] LOW_ORDER = {new byte[32], HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")};

    @Test
    void libcryptoIsHereOnThisMachine() {
        assertTrue(OpenSslX25519.isAvailable(), "libssl3 is installed where eddy's tests run; without it BouncyCastle agrees");
    }

    @Test
    void rfc7748sVector() {
        byte[] secret = new byte[32];
        assertTrue(OpenSslX25519.agree(ALICE_PRIVATE, ALICE_PUBLIC, BOB_PUBLIC, secret));
        assertArrayEquals(SHARED, secret);
        assertTrue(OpenSslX25519.agree(BOB_PRIVATE, BOB_PUBLIC, ALICE_PUBLIC, secret));
        assertArrayEquals(SHARED, secret);
    }

    @Test
    void theSecretIsBouncyCastles(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++) {
            byte[] ours = new byte[32];
            byte[] theirs = new byte[32];
            random.nextBytes(ours);
            random.nextBytes(theirs); // unclamped, as a peer may send it: both clamp ours and ignore the top bit of theirs
            byte[] ourPublic = new byte[32];
            X25519.generatePublicKey(ours, 0, ourPublic, 0);
            byte[] expected = new byte[32];
            byte[] secret = new byte[32];
            assertTrue(X25519.calculateAgreement(ours, 0, theirs, 0, expected, 0));
            assertTrue(OpenSslX25519.agree(ours, ourPublic, theirs, secret), "pair " + i);
            assertArrayEquals(expected, secret, "pair " + i);
        }
    }

    @Test
    void aLowOrderPeerKeyIsRefusedWithAndWithoutLibcrypto() throws Exception {
        for (byte[] point : LOW_ORDER) {
            assertFalse(OpenSslX25519.agree(ALICE_PRIVATE, ALICE_PUBLIC, point, new byte[32]));
            for (boolean libcrypto : new boolean[] {true, false}) {
                OpenSslEcTest.withLibcrypto(libcrypto, () -> {
                    KeyShare share = KeyShare.generate(io.eddyrtc.crypto.dtls.NamedGroup.X25519, new java.security.SecureRandom());
                    GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> share.agree(point));
                    assertTrue(e.getMessage().contains("low-order"), e.getMessage());
                });
            }
        }
    }
}
