package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** Handshake signatures: ours verify, and no bit flipped anywhere in one makes verification throw. */
class SignaturesTest {

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    @Test
    void everyOneBitChangeOfASignatureIsAFailedVerificationNeverAnException() throws Exception {
        KeyPair keys = p256();
        byte[] data = "the transcript".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Signatures.sign(keys.getPrivate(), new SecureRandom(), data);
        assertTrue(Signatures.verify(keys.getPublic(), Dtls.ECDSA_SECP256R1_SHA256, data, signature));
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertFalse(Signatures.verify(keys.getPublic(), Dtls.ECDSA_SECP256R1_SHA256, data, flipped), () -> "bit " + at);
        }
    }

    @Test
    void aTruncatedOrEmptySignatureFailsToo() throws Exception {
        KeyPair keys = p256();
        byte[] data = {1, 2, 3};
        byte[] signature = Signatures.sign(keys.getPrivate(), new SecureRandom(), data);
        for (int n = 0; n < signature.length; n++) {
            assertFalse(Signatures.verify(keys.getPublic(), Dtls.ECDSA_SECP256R1_SHA256, data, java.util.Arrays.copyOf(signature, n)));
        }
    }
}
