package io.eddyrtc.crypto.srtp;

import java.lang.foreign.MemorySegment;

/**
 * AES-GCM with a 16-byte tag over parts of one packet, in place: the SRTP/SRTCP transforms hand it the
 * packet's segment and the offsets of the additional authenticated data (in up to two pieces, as SRTCP
 * needs), the text to encrypt or decrypt, and the tag.
 *
 * <p>Three engines, the first available serving: libgcrypt ({@code GcryptAesGcm}) and OpenSSL's libcrypto
 * ({@code OpenSslAesGcm}) through the FFM linker, with their cipher state made once and no allocation per packet
 * (libgcrypt's plain calls cost less per packet than OpenSSL 3's EVP layer); else {@code javax.crypto} (portable,
 * but its per-packet {@code Cipher.init} allocates). {@code -Deddy.srtp.gcm=gcrypt|openssl|jdk} forces one.
 */
sealed interface AesGcm extends AutoCloseable permits NativeAesGcm, JdkAesGcm {
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

    /** Which implementation this is ("gcrypt", "openssl" or "jdk"), for benchmarks and logs. */
    String engine();

    @Override
    void close();

    /** The fastest available engine for {@code key} (16 or 32 bytes). */
    static AesGcm create(byte[] key) {
        return create(key, null);
    }

    /** {@code engine}: "gcrypt", "openssl", "jdk", or null for the fastest available (or {@code -Deddy.srtp.gcm}). */
    static AesGcm create(byte[] key, String engine) {
        String forced = engine != null ? engine : System.getProperty("eddy.srtp.gcm", "");
        switch (forced) {
            case "gcrypt" -> {
                if (!GcryptAesGcm.isAvailable()) {
                    throw new IllegalStateException("-Deddy.srtp.gcm=gcrypt but libgcrypt's AES-GCM is not available: "
                            + GcryptAesGcm.unavailableReason() + "; install libgcrypt20 or drop the property");
                }
                return new GcryptAesGcm(key);
            }
            case "openssl" -> {
                if (!OpenSslAesGcm.isAvailable()) {
                    throw new IllegalStateException("-Deddy.srtp.gcm=openssl but libcrypto could not be loaded: "
                            + OpenSslAesGcm.unavailableReason() + "; install libssl3 or drop the property");
                }
                return new OpenSslAesGcm(key);
            }
            case "jdk" -> {
                return new JdkAesGcm(key);
            }
            case "" -> {
                if (GcryptAesGcm.isAvailable()) {
                    return new GcryptAesGcm(key);
                }
                return OpenSslAesGcm.isAvailable() ? new OpenSslAesGcm(key) : new JdkAesGcm(key);
            }
            default -> throw new IllegalArgumentException("no AES-GCM engine \"" + forced + "\": use gcrypt, openssl or jdk");
        }
    }
}
