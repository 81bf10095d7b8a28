package io.eddyrtc.crypto.srtp;

import java.util.Arrays;

/**
 * The SRTP key derivation function (RFC 3711 §4.3.1 and §4.3.3, the AES-CM PRF; RFC 7714 §11 reuses it for
 * GCM): session keys and salts from the master key and salt, with key derivation rate 0 (the only rate
 * WebRTC uses, RFC 5764 §4.1.2), so every key is derived once per context.
 */
final class SrtpKeyDerivation {
    static final int LABEL_RTP_ENCRYPTION = 0;
    static final int LABEL_RTP_AUTH = 1;
    static final int LABEL_RTP_SALT = 2;
    static final int LABEL_RTCP_ENCRYPTION = 3;
    static final int LABEL_RTCP_AUTH = 4;
    static final int LABEL_RTCP_SALT = 5;

    private final AesCounterKeystream prf;
    private final byte[] masterSalt;

    /** {@code masterSalt} is 14 bytes (AES-CM) or 12 (GCM, padded with zeros to 14 as libsrtp does). */
    SrtpKeyDerivation(byte[] masterKey, byte[] masterSalt) {
        this.prf = new AesCounterKeystream(masterKey);
        this.masterSalt = Arrays.copyOf(masterSalt, 14);
    }

    /** {@code length} bytes of session key material for {@code label}. */
    byte[] derive(int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        // key_id = label || r with r = 0 (kdr 0); x = key_id XOR master_salt; the label sits at byte 7
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        prf.keystream(iv, out, length);
        return out;
    }

    void destroy() {
        Arrays.fill(masterSalt, (byte) 0);
    }
}
