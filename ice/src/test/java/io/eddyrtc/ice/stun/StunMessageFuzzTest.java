package io.eddyrtc.ice.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The STUN parser against arbitrary bytes: it never throws, a message it accepts is internally
 * consistent, and integrity never accepts a modified message. Seeds (the RFC 5769 vectors and
 * variants) are in {@code StunMessageFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class StunMessageFuzzTest {
    static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "30s")
    void parserNeverThrowsAndStaysInside(byte[] data) {
        StunMessage m = new StunMessage();
        MemorySegment s = MemorySegment.ofArray(data);
        if (!m.wrap(s)) {
            assertFalse(m.isWrapped());
            assertTrue(m.error() != StunParseError.NONE);
            return;
        }
        assertEquals(20 + (((data[2] & 0xFF) << 8) | (data[3] & 0xFF)), m.length());
        assertTrue(Stun.looksLikeStun(s, 0, data.length));
        m.method();
        m.transactionHigh();
        m.transactionLow();
        m.username();
        m.software();
        m.usernameStartsWith("evtj".getBytes());
        m.priority();
        m.iceControlling();
        m.iceControlled();
        m.useCandidate();
        m.errorCode();
        m.errorReason();
        m.mappedFamily();
        m.mappedPort();
        m.mappedAddress(new byte[16]);
        for (int i = 0; i < m.unknownComprehensionRequiredCount(); i++) {
            assertTrue(m.unknownComprehensionRequired(i) < 0x8000);
        }
        m.verifyIntegrity(new HmacSha1(), KEY);
        m.verifyFingerprint();
        m.find(Stun.NONCE);
    }

    @FuzzTest(maxDuration = "30s")
    void integrityRejectsEveryModification(FuzzedDataProvider data) {
        byte[] username = data.consumeBytes(64);
        int flipAt = data.consumeInt(0, 1000);
        int flipMask = data.consumeInt(1, 255);
        byte[] out = new byte[256];
        StunWriter w = new StunWriter();
        HmacSha1 mac = new HmacSha1();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, data.consumeInt(), data.consumeLong())
                .addBytes(Stun.USERNAME, username)
                .addPriority(data.consumeLong(0, 0xFFFFFFFFL))
                .addMessageIntegrity(mac, KEY)
                .addFingerprint();
        int len = w.length();
        StunMessage m = new StunMessage();
        assertTrue(m.wrap(MemorySegment.ofArray(out), 0, len));
        assertTrue(m.verifyIntegrity(mac, KEY));
        assertTrue(m.verifyFingerprint());
        int at = flipAt % len;
        out[at] ^= (byte) flipMask;
        if (m.wrap(MemorySegment.ofArray(out), 0, len)) {
            // Any flipped byte is caught by the fingerprint; a flip before it also by the MAC.
            assertFalse(m.verifyFingerprint() && m.hasMessageIntegrity() && m.verifyIntegrity(mac, KEY),
                    "accepted a message modified at byte " + at);
        }
    }
}
