package io.eddyrtc.crypto.srtp;

import java.lang.foreign.MemorySegment;

/**
 * The AES-CM + HMAC-SHA1 transform of RFC 3711 on one packet, in place: AES in counter mode over the text, and
 * an HMAC-SHA1 tag, cut to the profile's length, over the authenticated bytes and an optional four-byte suffix
 * (the rollover counter, for SRTP), written after them.
 *
 * <p>Two engines: libgcrypt through the FFM linker ({@code GcryptAesCmHmac}: AES-NI counter mode and SHA-NI
 * HMAC on the packet's own memory, the HMAC's padded keys hashed once) when it can be loaded, else the JDK
 * ({@code JdkAesCmHmac}: its AES and SHA-1 intrinsics on a heap copy, two more SHA-1 blocks a packet for the
 * pads). {@code -Deddy.srtp.cm=gcrypt|jdk} forces one.
 */
sealed interface AesCmHmac extends AutoCloseable permits GcryptAesCmHmac, JdkAesCmHmac {

    /**
     * Encrypts {@code dataLength} bytes at {@code dataOffset} with the keystream that starts at counter block
     * {@code iv} (16 bytes, its last two zero), then writes the first {@code tagLength} bytes of the HMAC of the
     * {@code authLength} bytes at {@code authOffset} and {@code suffix} (4 bytes, or null) at {@code tagOffset}.
     */
    void seal(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
              long tagOffset, int tagLength);

    /**
     * Checks the tag at {@code tagOffset} against the bytes {@link #seal} authenticates, in constant time, and
     * only if it is right decrypts the text in place. Returns false, the packet unchanged, for a wrong tag.
     */
    boolean open(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
                 long tagOffset, int tagLength);

    /** Which implementation this is ("gcrypt" or "jdk"), for benchmarks and logs. */
    String engine();

    @Override
    void close();

    /** {@code engine}: "gcrypt", "jdk", or null for the fastest available (or {@code -Deddy.srtp.cm}). */
    static AesCmHmac create(byte[] key, byte[] authKey, String engine) {
        String forced = engine != null ? engine : System.getProperty("eddy.srtp.cm", "");
        return switch (forced) {
            case "gcrypt" -> {
                if (!GcryptAesCmHmac.isAvailable()) {
                    throw new IllegalStateException("-Deddy.srtp.cm=gcrypt but libgcrypt's AES-CM and HMAC-SHA1 are not available: "
                            + GcryptAesCmHmac.unavailableReason() + "; install libgcrypt20 or drop the property");
                }
                yield new GcryptAesCmHmac(key, authKey);
            }
            case "jdk" -> new JdkAesCmHmac(key, authKey);
            case "" -> GcryptAesCmHmac.isAvailable() ? new GcryptAesCmHmac(key, authKey) : new JdkAesCmHmac(key, authKey);
            default -> throw new IllegalArgumentException("no AES-CM engine \"" + forced + "\": use gcrypt or jdk");
        };
    }
}
