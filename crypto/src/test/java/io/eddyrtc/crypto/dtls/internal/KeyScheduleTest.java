package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The TLS 1.2 key schedule: keys that work both ways, and secrets that do not outlive their use. */
class KeyScheduleTest {
    static final byte[] CLIENT_RANDOM = filled(32, 1);
    static final byte[] SERVER_RANDOM = filled(32, 2);
    static final byte[] SESSION_HASH = filled(32, 3);

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void thePreMasterSecretIsZeroedOnceUsed() {
        byte[] preMaster = filled(32, 9);
        new KeySchedule(DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, preMaster, SESSION_HASH);
        assertArrayEquals(new byte[32], preMaster);
    }

    @Test
    void whatTheClientSealsTheServerOpens() {
        for (DtlsCipherSuite suite : DtlsCipherSuite.values()) {
            if (suite.version() != io.eddyrtc.crypto.dtls.DtlsVersion.DTLS_1_2) {
                continue; // the 1.3 suites have their own schedule (KeySchedule13Test)
            }
            RecordProtection[] a = new KeySchedule(suite, filled(32, 9), SESSION_HASH).recordKeys(CLIENT_RANDOM, SERVER_RANDOM);
            RecordProtection[] b = new KeySchedule(suite, filled(32, 9), SESSION_HASH).recordKeys(CLIENT_RANDOM, SERVER_RANDOM);
            byte[] sealed = a[0].seal(23, 1, 5, new byte[] {1, 2, 3}, 0, 3);
            assertArrayEquals(new byte[] {1, 2, 3}, b[0].open(23, 1, 5, sealed, 0, sealed.length), suite + ": client to server");
            assertTrue(b[1].open(23, 1, 5, sealed, 0, sealed.length) == null, suite + ": the directions have different keys");
        }
    }

    @Test
    void destroyZeroesTheMasterSecretAndNothingDerivesFromItAfterwards() {
        KeySchedule keys = new KeySchedule(DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, filled(48, 9), SESSION_HASH);
        assertNotNull(keys.finished("client finished", SESSION_HASH));
        assertFalse(keys.isDestroyed());
        keys.destroy();
        assertTrue(keys.isDestroyed());
        assertThrows(IllegalStateException.class, () -> keys.finished("client finished", SESSION_HASH));
        assertThrows(IllegalStateException.class, () -> keys.export("EXTRACTOR-dtls_srtp", CLIENT_RANDOM, SERVER_RANDOM, 60));
        assertThrows(IllegalStateException.class, () -> keys.recordKeys(CLIENT_RANDOM, SERVER_RANDOM));
    }
}
