package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.3 key schedule against the trace of RFC 8448 §3 (a simple 1-RTT handshake with
 * TLS_AES_128_GCM_SHA256 and X25519), run with TLS 1.3's label prefix: from its shared secret and transcript
 * hashes every secret, key and IV and the server's Finished come out as printed there. DTLS 1.3 differs only
 * in the prefix ("dtls13"), which must change every output. Record protection: what one side seals, the
 * other opens, the sequence number mask undoes itself, and the secrets are zeroed when destroyed.
 */
class KeySchedule13Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final DtlsCipherSuite SUITE = DtlsCipherSuite.TLS_AES_128_GCM_SHA256;

    // RFC 8448 §3: the X25519 shared secret (IKM of "extract secret handshake") and the transcript hashes
    static final byte[] SHARED = HEX.parseHex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    static final byte[] HELLO_HASH = HEX.parseHex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    static final byte[] SERVER_CERTIFICATE_VERIFY_HASH = HEX.parseHex("edb7725fa7a3473b031ec8ef65a2485493900138a2b91291407d7951a06110ed");
    static final byte[] SERVER_FINISHED_HASH = HEX.parseHex("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void rfc8448SimpleHandshakeWithTheTls13Prefix() {
        Hkdf hkdf = new Hkdf(SUITE.hmac(), Hkdf.TLS13);
        assertArrayEquals(hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"),
                hkdf.extract(new byte[0], new byte[0]), "early secret");
        KeySchedule13 keys = new KeySchedule13(SUITE, Hkdf.TLS13);
        byte[] shared = SHARED.clone();
        keys.handshake(shared, HELLO_HASH);
        assertArrayEquals(new byte[32], shared, "the shared secret is zeroed once used");
        byte[] clientHandshake = keys.handshakeTraffic(true);
        byte[] serverHandshake = keys.handshakeTraffic(false);
        assertArrayEquals(hex("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"), clientHandshake, "c hs traffic");
        assertArrayEquals(hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"), serverHandshake, "s hs traffic");
        assertArrayEquals(hex("3fce516009c21727d0f2e4e86ee403bc"), hkdf.expandLabel(serverHandshake, "key", new byte[0], 16));
        assertArrayEquals(hex("5d313eb2671276ee13000b30"), hkdf.expandLabel(serverHandshake, "iv", new byte[0], 12));
        assertArrayEquals(hex("dbfaa693d1762c5b666af5d950258d01"), hkdf.expandLabel(clientHandshake, "key", new byte[0], 16));
        assertArrayEquals(hex("5bd3c71b836e0b76bb73265f"), hkdf.expandLabel(clientHandshake, "iv", new byte[0], 12));
        assertArrayEquals(hex("9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718"),
                keys.finished(serverHandshake, SERVER_CERTIFICATE_VERIFY_HASH), "server Finished");
        byte[][] application = keys.application(SERVER_FINISHED_HASH);
        assertArrayEquals(hex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"), application[0], "c ap traffic");
        assertArrayEquals(hex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"), application[1], "s ap traffic");
        assertArrayEquals(hex("9f02283b6c9c07efc26bb9f2ac92e356"), hkdf.expandLabel(application[1], "key", new byte[0], 16));
        assertArrayEquals(hex("cf782b88dd83549aadf1e984"), hkdf.expandLabel(application[1], "iv", new byte[0], 12));
        assertArrayEquals(hex("fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50"), keys.exporterMaster(), "exp master");
    }

    @Test
    void theDtls13PrefixChangesEveryOutput() {
        KeySchedule13 tls = new KeySchedule13(SUITE, Hkdf.TLS13);
        KeySchedule13 dtls = new KeySchedule13(SUITE, Hkdf.DTLS13);
        tls.handshake(SHARED.clone(), HELLO_HASH);
        dtls.handshake(SHARED.clone(), HELLO_HASH);
        assertFalse(Arrays.equals(tls.handshakeTraffic(true), dtls.handshakeTraffic(true)));
        assertFalse(Arrays.equals(tls.application(SERVER_FINISHED_HASH)[0], dtls.application(SERVER_FINISHED_HASH)[0]));
        assertFalse(Arrays.equals(tls.export("EXTRACTOR-dtls_srtp", new byte[0], 60), dtls.export("EXTRACTOR-dtls_srtp", new byte[0], 60)));
    }

    @Test
    void whatOneSideSealsTheOtherOpensAndTheMaskUndoesItself() {
        for (DtlsCipherSuite suite : DtlsCipherSuite.values()) {
            if (suite.version() != io.eddyrtc.crypto.dtls.DtlsVersion.DTLS_1_3) {
                continue;
            }
            KeySchedule13 keys = new KeySchedule13(suite, Hkdf.DTLS13);
            byte[] secret = new byte[suite.hashLength()];
            Arrays.fill(secret, (byte) 7);
            RecordProtection13 a = keys.protection(secret, true);
            RecordProtection13 b = keys.protection(secret, false);
            byte[] header = {0x2F, 0, 5, 0, 20};
            byte[] out = new byte[3 + a.overhead()];
            int n = a.seal(5, header, 23, new byte[] {1, 2, 3}, 0, 3, out, 0);
            assertArrayEquals(new byte[] {1, 2, 3, 23}, b.open(5, header, out, 0, n), suite + ": content and type");
            assertNull(b.open(6, header, out, 0, n), suite + ": another sequence number is another nonce");
            byte[] masked = header.clone();
            a.maskSequence(out, 0, masked, 1, 2);
            assertFalse(Arrays.equals(header, masked), suite + ": the sequence number is masked");
            b.maskSequence(out, 0, masked, 1, 2);
            assertArrayEquals(header, masked, suite + ": and unmasked by the same call");
            byte[] next = keys.nextTraffic(secret);
            RecordProtection13 c = keys.protection(next, false);
            assertNull(c.open(5, header, out, 0, n), suite + ": a KeyUpdate's keys are other keys");
            byte[] otherMask = header.clone();
            c.maskSequence(out, 0, otherMask, 1, 2);
            assertFalse(Arrays.equals(masked, otherMask), suite + ": another epoch masks with its own key");
            b.maskSequence(out, 0, masked, 1, 2);
            b.maskSequence(out, 0, masked, 1, 2);
            assertArrayEquals(header, masked, suite + ": epochs that share the direction's mask cipher take turns");
            assertArrayEquals(new byte[] {1, 2, 3, 23}, b.open(5, header, out, 0, n), suite + ": and its AEAD cipher");
        }
    }

    @Test
    void destroyZeroesTheSecretsAndNothingDerivesFromThemAfterwards() {
        KeySchedule13 keys = new KeySchedule13(SUITE, Hkdf.DTLS13);
        keys.handshake(SHARED.clone(), HELLO_HASH);
        keys.application(SERVER_FINISHED_HASH);
        keys.destroy();
        assertTrue(keys.isDestroyed());
        assertThrows(IllegalStateException.class, () -> keys.handshakeTraffic(true));
        assertThrows(IllegalStateException.class, () -> keys.export("EXTRACTOR-dtls_srtp", new byte[0], 60));
    }

    @Test
    void theSequenceNumberIsReconstructedClosestToTheNextExpected() {
        assertTrue(RecordLayer.reconstruct(0, 0, 16) == 0);
        assertTrue(RecordLayer.reconstruct(0x1_0000, 0xFFFF, 16) == 0xFFFF, "just before a wrap of the low bits");
        assertTrue(RecordLayer.reconstruct(0xFFFF, 0x0001, 16) == 0x1_0001, "just after it");
        assertTrue(RecordLayer.reconstruct(300, 44, 8) == 300, "44 is 300's low byte");
        assertTrue(RecordLayer.reconstruct(300, 40, 8) == 296);
    }
}
