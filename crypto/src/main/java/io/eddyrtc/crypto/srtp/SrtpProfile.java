package io.eddyrtc.crypto.srtp;

import java.util.List;

/**
 * The SRTP protection profiles eddy negotiates through DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2),
 * with the key, salt and tag sizes each one implies.
 */
public enum SrtpProfile {
    /** RFC 3711 AES-128 counter mode with an 80-bit HMAC-SHA1 tag on RTP and RTCP. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    /** As above with a 32-bit tag on RTP; RTCP keeps the 80-bit tag (RFC 5764 §4.1.2). */
    AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    /** RFC 7714 AES-128-GCM with a 16-byte tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** RFC 7714 AES-256-GCM with a 16-byte tag. */
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16);

    /** The order eddy offers and picks profiles in: strongest AEAD first. */
    public static final List<SrtpProfile> PREFERENCE = List.of(AEAD_AES_256_GCM, AEAD_AES_128_GCM, AES128_CM_HMAC_SHA1_80);

    private final int id;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int id, int masterKeyLength, int masterSaltLength, int rtpTagLength, int rtcpTagLength) {
        this.id = id;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** The two-byte SRTPProtectionProfile value of the use_srtp extension. */
    public int id() {
        return id;
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Bytes of authentication tag appended to SRTP packets. */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** Bytes of authentication tag appended to SRTCP packets. */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    public boolean isAead() {
        return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
    }

    /** The profile with this use_srtp id, or {@code null} if eddy does not implement it. */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
