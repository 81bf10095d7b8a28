package io.eddyrtc.crypto.srtp;

import java.lang.foreign.MemorySegment;

/**
 * AES-GCM with a 16-byte tag over parts of one packet, in place: the SRTP/SRTCP transforms hand it the
 * packet's segment and the offsets of the additional authenticated data (in up to two pieces, as SRTCP
 * needs), the text to encrypt or decrypt, and the tag.
 *
 * <p>Two engines: OpenSSL's libcrypto through the FFM linker (preallocated {@code EVP_CIPHER_CTX}, no
 * allocation per packet) when it can be loaded, else {@code javax.crypto} (portable, but its per-packet
 * {@code Cipher.init} allocates). {@code -Deddy.srtp.gcm=jdk} forces the portable one.
 */
sealed interface AesGcm extends AutoCloseable permits OpenSslAesGcm, JdkAesGcm {
    int TAG_LENGTH = 16;
    int IV_LENGTH = 12;

    /** Encrypts {@code dataLength} bytes at {@code dataOffset} in place and writes the tag at {@code tagOffset}. */
    void seal(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
              long dataOffset, int dataLength, long tagOffset);

    /**
     * Checks the tag at {@code tagOffset} and, if it is right, decrypts {@code dataLength} bytes at
     * {@code dataOffset} in place. Returns false for a wrong tag (the data bytes are then unspecified).
     */
    boolean open(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                 long dataOffset, int dataLength, long tagOffset);

    /** Which implementation this is ("openssl" or "jdk"), for benchmarks and logs. */
    String engine();

    @Override
    void close();

    /** The fastest available engine for {@code key} (16 or 32 bytes). */
    static AesGcm create(byte[] key) {
        return create(key, null);
    }

    /** {@code engine}: "jdk", "openssl", or null for the fastest available (or {@code -Deddy.srtp.gcm}). */
    static AesGcm create(byte[] key, String engine) {
        String forced = engine != null ? engine : System.getProperty("eddy.srtp.gcm", "");
        if (!forced.equals("jdk") && OpenSslAesGcm.isAvailable()) {
            return new OpenSslAesGcm(key);
        }
        if (forced.equals("openssl")) {
            throw new IllegalStateException("-Deddy.srtp.gcm=openssl but libcrypto could not be loaded: "
                    + OpenSslAesGcm.unavailableReason() + "; install libssl3 or drop the property");
        }
        return new JdkAesGcm(key);
    }
}
