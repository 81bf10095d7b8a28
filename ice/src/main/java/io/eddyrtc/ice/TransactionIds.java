package io.eddyrtc.ice;

import io.eddyrtc.ice.stun.HmacSha1;
import java.util.random.RandomGenerator;

/**
 * The transaction ids of the agent's checks and consent checks: HMAC-SHA1 of a counter under a 160-bit key drawn
 * once from the secrets source. HMAC is a pseudorandom function, so the ids are as unpredictable as the key is
 * secret (RFC 8489 §6: an off-path attacker must not guess the id of a check to forge its answer), and each is
 * made without allocating. Drawing each id from the {@code SecureRandom} itself allocates on every draw (168 bytes
 * for an int and a long with the JDK's NativePRNG), and consent checks draw one every few seconds per peer for
 * the whole call. Shares the agent's {@link HmacSha1}: every MAC the agent computes sets its own key first.
 */
final class TransactionIds {
    private final byte[] key = new byte[HmacSha1.LENGTH];
    private final byte[] id = new byte[HmacSha1.LENGTH];
    private final HmacSha1 mac;
    private long counter;

    TransactionIds(RandomGenerator secrets, HmacSha1 mac) {
        secrets.nextBytes(key);
        this.mac = mac;
    }

    /** Makes the next id: read it with {@link #high()} and {@link #low()}. */
    void next() {
        mac.key(key);
        mac.begin();
        long c = counter++;
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.updateByte((int) (c >>> shift) & 0xff);
        }
        mac.finish(id, 0);
    }

    /** The first 32 bits of the id {@link #next()} made. */
    int high() {
        return (id[0] & 0xff) << 24 | (id[1] & 0xff) << 16 | (id[2] & 0xff) << 8 | id[3] & 0xff;
    }

    /** The last 64 bits of the id {@link #next()} made. */
    long low() {
        long v = 0;
        for (int i = 4; i < 12; i++) {
            v = v << 8 | id[i] & 0xff;
        }
        return v;
    }
}
