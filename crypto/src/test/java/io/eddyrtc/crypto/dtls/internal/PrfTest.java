package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.2 PRF against the known-answer vector circulated for RFC 5246's P_SHA256 (IETF TLS list,
 * "TLS 1.2 PRF test vectors"), which several TLS stacks test with.
 */
class PrfTest {
    @Test
    void tls12PrfSha256KnownAnswer() {
        byte[] secret = HexFormat.of().parseHex("9bbe436ba940f017b17652849a71db35");
        byte[] seed = HexFormat.of().parseHex("a0ba9f936cda311827a6f796ffd5198c");
        byte[] expected = HexFormat.of().parseHex(
                "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af"
                        + "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110ff"
                        + "f70187347b66");
        assertArrayEquals(expected, Prf.compute("HmacSHA256", secret, "test label", seed, expected.length));
    }
}
