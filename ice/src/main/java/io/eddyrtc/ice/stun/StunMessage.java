package io.eddyrtc.ice.stun;

import io.eddyrtc.buffers.Flyweight;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A STUN message (RFC 8489) read in place. {@link #wrap} checks the header, walks the attributes
 * once, and remembers where the ones ICE needs are, so the getters are plain reads. Attributes
 * after MESSAGE-INTEGRITY other than FINGERPRINT are ignored, as §14.5 requires; anything after
 * FINGERPRINT makes the message invalid. Nothing here allocates.
 */
public final class StunMessage extends Flyweight {
    public static final int MAX_UNKNOWN = 8;

    private StunParseError error = StunParseError.NONE;
    private int usernameAt;
    private int usernameLength;
    private int integrityAt;
    private int fingerprintAt;
    private int xorMappedAt;
    private int mappedAt;
    private int errorCodeAt;
    private int errorCodeLength;
    private int priorityAt;
    private boolean useCandidate;
    private int controllingAt;
    private int controlledAt;
    private int softwareAt;
    private int softwareLength;
    private final int[] unknown = new int[MAX_UNKNOWN];
    private int unknownCount;

    @Override
    protected boolean validate() {
        usernameAt = integrityAt = fingerprintAt = xorMappedAt = mappedAt = -1;
        errorCodeAt = priorityAt = controllingAt = controlledAt = softwareAt = -1;
        usernameLength = errorCodeLength = softwareLength = unknownCount = 0;
        useCandidate = false;
        if (length() < Stun.HEADER_LENGTH) {
            error = StunParseError.TOO_SHORT;
            return false;
        }
        // RFC 8489 only asks for the top two bits clear; on a WebRTC port a first byte of 4 or more is ZRTP, DTLS
        // or media (RFC 7983), and every STUN and TURN method fits below it, so the codec agrees with the demux.
        if (u8(0) >= 4 || u32(4) != Stun.MAGIC_COOKIE) {
            error = StunParseError.NOT_STUN;
            return false;
        }
        int bodyLength = u16(2);
        if ((bodyLength & 3) != 0 || Stun.HEADER_LENGTH + bodyLength > length()) {
            error = StunParseError.BAD_LENGTH;
            return false;
        }
        limit(Stun.HEADER_LENGTH + bodyLength);
        int end = Stun.HEADER_LENGTH + bodyLength;
        int at = Stun.HEADER_LENGTH;
        while (at < end) {
            if (fingerprintAt >= 0) {
                error = StunParseError.ATTRIBUTE_AFTER_FINGERPRINT;
                return false;
            }
            if (at + 4 > end) {
                error = StunParseError.TRUNCATED_ATTRIBUTE;
                return false;
            }
            int type = u16(at);
            int len = u16(at + 2);
            int padded = (len + 3) & ~3;
            if (at + 4 + padded > end) {
                error = StunParseError.TRUNCATED_ATTRIBUTE;
                return false;
            }
            if (type == Stun.FINGERPRINT) {
                if (len != 4) {
                    error = StunParseError.BAD_ATTRIBUTE_LENGTH;
                    return false;
                }
                fingerprintAt = at;
            } else if (integrityAt < 0 && !record(type, at, len)) {
                error = StunParseError.BAD_ATTRIBUTE_LENGTH;
                return false;
            }
            at += 4 + padded;
        }
        error = StunParseError.NONE;
        return true;
    }

    private boolean record(int type, int at, int len) {
        switch (type) {
            case Stun.USERNAME -> {
                if (len > 513) {
                    return false;
                }
                usernameAt = at + 4;
                usernameLength = len;
            }
            case Stun.MESSAGE_INTEGRITY -> {
                if (len != 20) {
                    return false;
                }
                integrityAt = at;
            }
            case Stun.MESSAGE_INTEGRITY_SHA256 -> {
                // Not verified (ICE uses MESSAGE-INTEGRITY); a malformed one still makes the message invalid.
                if (len < 16 || len > 32) {
                    return false;
                }
            }
            case Stun.XOR_MAPPED_ADDRESS, Stun.MAPPED_ADDRESS -> {
                int family = len >= 2 ? u8(at + 5) : 0;
                if (!(len == 8 && family == Stun.FAMILY_IPV4) && !(len == 20 && family == Stun.FAMILY_IPV6)) {
                    return false;
                }
                if (type == Stun.XOR_MAPPED_ADDRESS) {
                    xorMappedAt = at + 4;
                } else {
                    mappedAt = at + 4;
                }
            }
            case Stun.ERROR_CODE -> {
                if (len < 4 || len > 763) {
                    return false;
                }
                errorCodeAt = at + 4;
                errorCodeLength = len;
            }
            case Stun.PRIORITY -> {
                if (len != 4) {
                    return false;
                }
                priorityAt = at + 4;
            }
            case Stun.USE_CANDIDATE -> {
                if (len != 0) {
                    return false;
                }
                useCandidate = true;
            }
            case Stun.ICE_CONTROLLING, Stun.ICE_CONTROLLED -> {
                if (len != 8) {
                    return false;
                }
                if (type == Stun.ICE_CONTROLLING) {
                    controllingAt = at + 4;
                } else {
                    controlledAt = at + 4;
                }
            }
            case Stun.SOFTWARE -> {
                softwareAt = at + 4;
                softwareLength = len;
            }
            default -> {
                if (Stun.isComprehensionRequired(type) && !Stun.isKnownComprehensionRequired(type)
                        && unknownCount < MAX_UNKNOWN) {
                    unknown[unknownCount++] = type;
                }
            }
        }
        return true;
    }

    /** Why the last {@link #wrap} failed, or {@link StunParseError#NONE}. */
    public StunParseError error() {
        return error;
    }

    public int messageType() {
        return u16(0);
    }

    public boolean isRequest() {
        return (messageType() & 0x0110) == 0x0000;
    }

    public boolean isSuccessResponse() {
        return (messageType() & 0x0110) == 0x0100;
    }

    public boolean isErrorResponse() {
        return (messageType() & 0x0110) == 0x0110;
    }

    /** The method bits (0x001 for Binding), with the class bits taken out. */
    public int method() {
        int t = messageType();
        return (t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2);
    }

    /** High 32 bits of the 96-bit transaction id. */
    public int transactionHigh() {
        return i32(8);
    }

    /** Low 64 bits of the 96-bit transaction id. */
    public long transactionLow() {
        return u64(12);
    }

    /** True if USERNAME is exactly {@code prefix} followed by ':' and more (ICE: "ourUfrag:theirUfrag"). */
    public boolean usernameStartsWith(byte[] prefix) {
        if (usernameAt < 0 || usernameLength <= prefix.length || u8(usernameAt + prefix.length) != ':') {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (u8(usernameAt + i) != (prefix[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where USERNAME's value starts, in bytes from the start of the message, or -1 without one: with
     * {@link #usernameLength()}, for a router that looks the ufrag up in place.
     */
    public int usernameOffset() {
        return usernameAt;
    }

    /** USERNAME's length in bytes, 0 without one. */
    public int usernameLength() {
        return usernameAt < 0 ? 0 : usernameLength;
    }

    /** USERNAME as a string (allocates; for logs and tests). */
    public String username() {
        return usernameAt < 0 ? null : string(usernameAt, usernameLength);
    }

    public String software() {
        return softwareAt < 0 ? null : string(softwareAt, softwareLength);
    }

    private String string(int at, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(segment(), ValueLayout.JAVA_BYTE, offset() + at, b, 0, len);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean hasMessageIntegrity() {
        return integrityAt >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintAt >= 0;
    }

    /**
     * Checks MESSAGE-INTEGRITY with {@code key} (for ICE, the password's UTF-8 bytes). The MAC covers
     * the message up to the attribute with the length field set as if the message ended right after
     * it (RFC 8489 §14.5); the patched length is fed to the MAC, the message is not touched.
     */
    public boolean verifyIntegrity(HmacSha1 mac, byte[] key) {
        if (integrityAt < 0) {
            return false;
        }
        mac.key(key);
        mac.begin();
        MemorySegment s = segment();
        long base = offset();
        mac.update(s, base, 2);
        int patched = integrityAt + 24 - Stun.HEADER_LENGTH;
        mac.updateByte(patched >>> 8);
        mac.updateByte(patched);
        mac.update(s, base + 4, integrityAt - 4);
        return mac.finishAndVerify(s, base + integrityAt + 4);
    }

    /** Checks FINGERPRINT; true if it is present and right. */
    public boolean verifyFingerprint() {
        if (fingerprintAt < 0) {
            return false;
        }
        long crc = Crc32.of(segment(), offset(), fingerprintAt) ^ (Stun.FINGERPRINT_XOR & 0xFFFFFFFFL);
        return crc == u32(fingerprintAt + 4);
    }

    public boolean hasXorMappedAddress() {
        return xorMappedAt >= 0;
    }

    /** {@link Stun#FAMILY_IPV4} or {@link Stun#FAMILY_IPV6} of XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS if absent). */
    public int mappedFamily() {
        int at = xorMappedAt >= 0 ? xorMappedAt : mappedAt;
        return at < 0 ? 0 : u8(at + 1);
    }

    public int mappedPort() {
        if (xorMappedAt >= 0) {
            return u16(xorMappedAt + 2) ^ (int) (Stun.MAGIC_COOKIE >>> 16);
        }
        return mappedAt < 0 ? -1 : u16(mappedAt + 2);
    }

    /** Writes the mapped address (un-XORed) into {@code out}, which must hold 4 or 16 bytes; returns the count. */
    public int mappedAddress(byte[] out) {
        if (xorMappedAt >= 0) {
            int n = u8(xorMappedAt + 1) == Stun.FAMILY_IPV4 ? 4 : 16;
            for (int i = 0; i < n; i++) {
                // XOR with cookie then transaction id: bytes 4..19 of the header.
                out[i] = (byte) (u8(xorMappedAt + 4 + i) ^ u8(4 + i));
            }
            return n;
        }
        if (mappedAt >= 0) {
            int n = u8(mappedAt + 1) == Stun.FAMILY_IPV4 ? 4 : 16;
            for (int i = 0; i < n; i++) {
                out[i] = (byte) u8(mappedAt + 4 + i);
            }
            return n;
        }
        return 0;
    }

    public boolean hasPriority() {
        return priorityAt >= 0;
    }

    public long priority() {
        return priorityAt < 0 ? -1 : u32(priorityAt);
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean hasIceControlling() {
        return controllingAt >= 0;
    }

    public boolean hasIceControlled() {
        return controlledAt >= 0;
    }

    public long iceControlling() {
        return controllingAt < 0 ? 0 : u64(controllingAt);
    }

    public long iceControlled() {
        return controlledAt < 0 ? 0 : u64(controlledAt);
    }

    /** ERROR-CODE as class*100+number, or -1. */
    public int errorCode() {
        return errorCodeAt < 0 ? -1 : (u8(errorCodeAt + 2) & 0x7) * 100 + u8(errorCodeAt + 3);
    }

    public String errorReason() {
        return errorCodeAt < 0 ? null : string(errorCodeAt + 4, errorCodeLength - 4);
    }

    /** Comprehension-required attributes we do not understand (at most {@link #MAX_UNKNOWN}). */
    public int unknownComprehensionRequiredCount() {
        return unknownCount;
    }

    public int unknownComprehensionRequired(int index) {
        return unknown[index];
    }

    /** The length of the attribute whose value starts at {@code valueAt} (as {@link #find} gives it). */
    public int attributeLength(int valueAt) {
        return u16(valueAt - 2);
    }

    /** A four-byte attribute's value (LIFETIME), or -1 when it is absent or not four bytes long. */
    public long u32Attribute(int type) {
        int at = find(type);
        return at < 0 || attributeLength(at) != 4 ? -1 : u32(at);
    }

    /** CHANNEL-NUMBER's number (RFC 8656 §18.1), or -1. */
    public int channelNumber() {
        int at = find(Stun.CHANNEL_NUMBER);
        return at < 0 || attributeLength(at) != 4 ? -1 : u16(at);
    }

    /**
     * Writes the address of the XOR-coded address attribute {@code type} (XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS,
     * XOR-MAPPED-ADDRESS) into {@code out} (16 bytes), un-XORed; returns 4 or 16, or 0 when it is absent or malformed.
     */
    public int xorAddress(int type, byte[] out) {
        int at = find(type);
        if (at < 0) {
            return 0;
        }
        int len = attributeLength(at);
        int family = len >= 2 ? u8(at + 1) : 0;
        int n = len == 8 && family == Stun.FAMILY_IPV4 ? 4 : len == 20 && family == Stun.FAMILY_IPV6 ? 16 : 0;
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (u8(at + 4 + i) ^ u8(4 + i)); // the cookie, then the transaction id
        }
        return n;
    }

    /** The port of the XOR-coded address attribute {@code type}, or -1. */
    public int xorPort(int type) {
        int at = find(type);
        return at < 0 || attributeLength(at) < 4 ? -1 : u16(at + 2) ^ (int) (Stun.MAGIC_COOKIE >>> 16);
    }

    /** A copy of attribute {@code type}'s value (REALM, NONCE), or null; allocates, for the rare answers that carry them. */
    public byte[] attributeBytes(int type) {
        int at = find(type);
        if (at < 0) {
            return null;
        }
        byte[] b = new byte[attributeLength(at)];
        MemorySegment.copy(segment(), ValueLayout.JAVA_BYTE, offset() + at, b, 0, b.length);
        return b;
    }

    /** Position of an attribute's value relative to the message start, or -1; a linear scan (tests, rare paths). */
    public int find(int type) {
        int end = length();
        int at = Stun.HEADER_LENGTH;
        while (at + 4 <= end) {
            if (u16(at) == type) {
                return at + 4;
            }
            at += 4 + ((u16(at + 2) + 3) & ~3);
        }
        return -1;
    }
}
