package io.eddyrtc.crypto.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The RFCs' own test vectors, byte for byte: RFC 3711 Appendix B and RFC 7714 §16 (SRTP) and §17 (SRTCP). */
class SrtpVectorsTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc3711B2AesCounterModeKeystream() {
        AesCounterKeystream aes = new AesCounterKeystream(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] out = new byte[48];
        aes.keystream(iv, out, 48);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"), out);
    }

    @Test
    void rfc3711B3KeyDerivation() {
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"));
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, 14));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTH, 20));
    }

    static final String RFC7714_RTP = "8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e697320646976697361"
            + "20696e207061727465732074726573";
    static final String RFC7714_SALT = "517569642070726f2071756f";

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl", "gcrypt"})
    void rfc7714Section16AesGcm128(String engine) {
        gcmVector(SrtpProfile.AEAD_AES_128_GCM, "000102030405060708090a0b0c0d0e0f", engine,
                "8040f17b8041f8d35501a0b2 f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf"
                        + "8833899d7f27beb16a9152cf765ee4390cce");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl", "gcrypt"})
    void rfc7714Section16AesGcm256(String engine) {
        gcmVector(SrtpProfile.AEAD_AES_256_GCM, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", engine,
                "8040f17b8041f8d35501a0b2 32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799"
                        + "b87b7aa3db36dfffd6b0f9bb7878d7a76c13");
    }

    private static void gcmVector(SrtpProfile profile, String key, String engine, String expected) {
        byte[] rtp = hex(RFC7714_RTP);
        byte[] srtp = hex(expected);
        // RFC 7714's vectors are given at the session-key level (no key derivation), with ROC 0
        SrtpContext sender = new SrtpContext(profile, sessionKeys(key), SrtpConfig.defaults(), engine);
        SrtpContext receiver = new SrtpContext(profile, sessionKeys(key), SrtpConfig.defaults(), engine);
        assertEquals(engine, sender.engine());
        byte[] buffer = Arrays.copyOf(rtp, 200);
        MemorySegment segment = MemorySegment.ofArray(buffer);
        int protectedLength = sender.protectRtp(segment, 0, rtp.length, buffer.length);
        assertEquals(srtp.length, protectedLength);
        assertArrayEquals(srtp, Arrays.copyOf(buffer, protectedLength));
        assertEquals(rtp.length, receiver.unprotectRtp(segment, 0, protectedLength));
        assertArrayEquals(rtp, Arrays.copyOf(buffer, rtp.length));
        sender.close();
        receiver.close();
    }

    static final String RFC7714_RTCP = "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    static final long RFC7714_RTCP_SSRC = 0x4d617273L; // "Mars"

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl", "gcrypt"})
    void rfc7714Section17SrtcpAesGcm128(String engine) {
        srtcpVector(SrtpProfile.AEAD_AES_128_GCM, "000102030405060708090a0b0c0d0e0f", engine,
                "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
                        + "c84aa45896cf4d2fc5abf87245d9eade800005d4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl", "gcrypt"})
    void rfc7714Section17SrtcpAesGcm256(String engine) {
        srtcpVector(SrtpProfile.AEAD_AES_256_GCM, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", engine,
                "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad"
                        + "1d1eb30c4446839f57ff6f6cb26ac3be800005d4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl", "gcrypt"})
    void rfc7714Section17AuthenticatedOnlySrtcp(String engine) {
        // §17.3: E = 0, the whole packet is authenticated and nothing encrypted
        byte[] wire = hex(RFC7714_RTCP + "841dd9683dd78ec92ae58790125f62b3" + "000005d4");
        SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, sessionKeys("000102030405060708090a0b0c0d0e0f"),
                SrtpConfig.defaults(), engine);
        assertEquals(hex(RFC7714_RTCP).length, receiver.unprotectRtcp(MemorySegment.ofArray(wire), 0, wire.length));
        assertArrayEquals(hex(RFC7714_RTCP), Arrays.copyOf(wire, hex(RFC7714_RTCP).length));
        receiver.close();
    }

    private static void srtcpVector(SrtpProfile profile, String key, String engine, String expected) {
        byte[] rtcp = hex(RFC7714_RTCP);
        byte[] srtcp = hex(expected);
        SrtpContext sender = new SrtpContext(profile, sessionKeys(key), SrtpConfig.defaults(), engine);
        SrtpContext receiver = new SrtpContext(profile, sessionKeys(key), SrtpConfig.defaults(), engine);
        sender.startRtcpIndexAt(RFC7714_RTCP_SSRC, 0x5d4);
        byte[] buffer = Arrays.copyOf(rtcp, 200);
        MemorySegment segment = MemorySegment.ofArray(buffer);
        int n = sender.protectRtcp(segment, 0, rtcp.length, buffer.length);
        assertEquals(srtcp.length, n);
        assertArrayEquals(srtcp, Arrays.copyOf(buffer, n), "header | ciphertext | tag | E+index, byte for byte");
        assertEquals(rtcp.length, receiver.unprotectRtcp(segment, 0, n));
        assertArrayEquals(rtcp, Arrays.copyOf(buffer, rtcp.length));
        sender.close();
        receiver.close();
    }

    private static SrtpContext.SessionKeys sessionKeys(String key) {
        return new SrtpContext.SessionKeys(hex(key), hex(RFC7714_SALT), new byte[0], hex(key), hex(RFC7714_SALT), new byte[0]);
    }
}
