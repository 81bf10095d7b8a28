package io.eddyrtc.ice.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The four sample messages of RFC 5769, parsed, verified, and re-encoded byte for byte. */
class Rfc5769VectorsTest {
    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final int TX_HIGH = 0xb7e7a701;
    static final long TX_LOW = 0xbc34d686fa87dfaeL;

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    // RFC 5769 §2.1
    static final byte[] REQUEST = hex("""
            000100582112a442b7e7a701bc34d686fa87dfae802200105354554e20746573
            7420636c69656e74002400046e0001ff80290008932ff9b151263b3600060009
            6576746a3a6836765920202000080014 9aeaa70cbfd8cb56781ef2b5b2d3f249
            c1b571a280280004e57a3bcf""");
    // §2.2
    static final byte[] RESPONSE_V4 = hex("""
            0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563
            746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f9
            2af9ba53f06be7d780280004c07d4c96""");
    // §2.3
    static final byte[] RESPONSE_V6 = hex("""
            010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563
            746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014
            a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c""");
    // §2.4
    static final byte[] REQUEST_LONG_TERM = hex("""
            000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383
            aae38383e382afe382b90000001500 1c662f2f3439396b39353464364f4c3334
            6f4c394653547679363473410014000b6578616d706c652e6f72670000080014
            f67024656dd64a3e02b8e0712e85c9a28ca89666""");

    private final StunMessage msg = new StunMessage();
    private final HmacSha1 mac = new HmacSha1();

    @Test
    void sampleRequestParsesAndVerifies() {
        assertTrue(msg.wrap(MemorySegment.ofArray(REQUEST)));
        assertTrue(msg.isRequest());
        assertEquals(Stun.BINDING_REQUEST, msg.messageType());
        assertEquals(1, msg.method());
        assertEquals(TX_HIGH, msg.transactionHigh());
        assertEquals(TX_LOW, msg.transactionLow());
        assertEquals("STUN test client", msg.software());
        assertEquals(0x6e0001ffL, msg.priority());
        assertEquals(0x932ff9b151263b36L, msg.iceControlled());
        assertFalse(msg.hasIceControlling());
        assertEquals("evtj:h6vY", msg.username());
        assertTrue(msg.usernameStartsWith("evtj".getBytes()));
        assertFalse(msg.usernameStartsWith("evt".getBytes()));
        assertTrue(msg.verifyIntegrity(mac, PASSWORD));
        assertFalse(msg.verifyIntegrity(mac, "wrong".getBytes()));
        assertTrue(msg.verifyFingerprint());
    }

    @Test
    void sampleRequestIsReproducedByTheWriter() {
        byte[] out = new byte[256];
        MemorySegment seg = MemorySegment.ofArray(out);
        StunWriter w = new StunWriter().padding(0x20);
        w.begin(seg, 0, out.length, Stun.BINDING_REQUEST, TX_HIGH, TX_LOW)
                .addBytes(Stun.SOFTWARE, "STUN test client".getBytes(StandardCharsets.UTF_8))
                .addPriority(0x6e0001ffL)
                .addIceControlled(0x932ff9b151263b36L)
                .addUsername("evtj".getBytes(), "h6vY".getBytes())
                .addMessageIntegrity(mac, PASSWORD)
                .addFingerprint();
        assertArrayEquals(REQUEST, java.util.Arrays.copyOf(out, w.length()));
    }

    @Test
    void sampleIpv4ResponseParsesVerifiesAndIsReproduced() throws Exception {
        assertTrue(msg.wrap(MemorySegment.ofArray(RESPONSE_V4)));
        assertTrue(msg.isSuccessResponse());
        assertEquals("test vector", msg.software());
        assertEquals(Stun.FAMILY_IPV4, msg.mappedFamily());
        assertEquals(32853, msg.mappedPort());
        byte[] addr = new byte[16];
        assertEquals(4, msg.mappedAddress(addr));
        assertEquals(InetAddress.getByName("192.0.2.1"), InetAddress.getByAddress(java.util.Arrays.copyOf(addr, 4)));
        assertTrue(msg.verifyIntegrity(mac, PASSWORD));
        assertTrue(msg.verifyFingerprint());

        byte[] out = new byte[256];
        StunWriter w = new StunWriter().padding(0x20);
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, TX_HIGH, TX_LOW)
                .addBytes(Stun.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8))
                .addXorMappedAddress(InetAddress.getByName("192.0.2.1").getAddress(), 32853)
                .addMessageIntegrity(mac, PASSWORD)
                .addFingerprint();
        assertArrayEquals(RESPONSE_V4, java.util.Arrays.copyOf(out, w.length()));
    }

    @Test
    void sampleIpv6ResponseParsesVerifiesAndIsReproduced() throws Exception {
        assertTrue(msg.wrap(MemorySegment.ofArray(RESPONSE_V6)));
        assertEquals(Stun.FAMILY_IPV6, msg.mappedFamily());
        assertEquals(32853, msg.mappedPort());
        byte[] addr = new byte[16];
        assertEquals(16, msg.mappedAddress(addr));
        assertEquals(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), InetAddress.getByAddress(addr));
        assertTrue(msg.verifyIntegrity(mac, PASSWORD));
        assertTrue(msg.verifyFingerprint());

        byte[] out = new byte[256];
        StunWriter w = new StunWriter().padding(0x20);
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_SUCCESS, TX_HIGH, TX_LOW)
                .addBytes(Stun.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8))
                .addXorMappedAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677").getAddress(), 32853)
                .addMessageIntegrity(mac, PASSWORD)
                .addFingerprint();
        assertArrayEquals(RESPONSE_V6, java.util.Arrays.copyOf(out, w.length()));
    }

    @Test
    void sampleLongTermRequestVerifiesWithTheMd5KeyAndIsReproduced() throws Exception {
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        byte[] key = MessageDigest.getInstance("MD5")
                .digest((username + ":example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));
        assertTrue(msg.wrap(MemorySegment.ofArray(REQUEST_LONG_TERM)));
        assertEquals(username, msg.username());
        assertFalse(msg.hasFingerprint());
        assertTrue(msg.verifyIntegrity(mac, key));
        assertEquals("f//499k954d6OL34oL9FSTvy64sA", string(msg.find(Stun.NONCE), 28));
        assertEquals("example.org", string(msg.find(Stun.REALM), 11));

        byte[] out = new byte[256];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, 0x78ad3433, 0xc6ad72c029da412eL)
                .addBytes(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8))
                .addBytes(Stun.NONCE, "f//499k954d6OL34oL9FSTvy64sA".getBytes(StandardCharsets.UTF_8))
                .addBytes(Stun.REALM, "example.org".getBytes(StandardCharsets.UTF_8))
                .addMessageIntegrity(mac, key);
        assertArrayEquals(REQUEST_LONG_TERM, java.util.Arrays.copyOf(out, w.length()));
    }

    private String string(int at, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(msg.segment(), ValueLayout.JAVA_BYTE, msg.offset() + at, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void hmacAndShaMatchTheJdk() throws Exception {
        java.util.Random r = new java.util.Random(7);
        for (int n = 0; n < 300; n += 7) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(data), HmacSha1.sha1(data));
            byte[] key = new byte[1 + n % 90];
            r.nextBytes(key);
            javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA1");
            jdk.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
            HmacSha1 ours = new HmacSha1();
            ours.key(key);
            ours.begin();
            ours.update(data, 0, data.length);
            byte[] got = new byte[20];
            ours.finish(got, 0);
            byte[] expected = jdk.doFinal(data);
            assertArrayEquals(expected, got, "n=" + n);
            // The segment path (whole blocks read as words) split at an arbitrary point, from an odd offset.
            byte[] shifted = new byte[n + 3];
            System.arraycopy(data, 0, shifted, 3, n);
            MemorySegment seg = MemorySegment.ofArray(shifted);
            int split = n == 0 ? 0 : r.nextInt(n);
            ours.begin();
            ours.update(seg, 3, split);
            ours.update(seg, 3 + split, n - split);
            ours.finish(got, 0);
            assertArrayEquals(expected, got, "segment n=" + n + " split=" + split);
        }
    }

    @Test
    void crcMatchesTheJdk() {
        byte[] data = "123456789".getBytes();
        assertEquals(0xCBF43926L, Crc32.of(MemorySegment.ofArray(data), 0, data.length));
    }
}
