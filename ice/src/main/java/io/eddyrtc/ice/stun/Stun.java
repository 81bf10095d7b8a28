package io.eddyrtc.ice.stun;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;

/** STUN numbers (RFC 8489, RFC 8445 §16, RFC 5245) and the cheap "is this STUN?" test of RFC 7983. */
public final class Stun {
    public static final long MAGIC_COOKIE = 0x2112A442L;
    public static final int HEADER_LENGTH = 20;
    public static final int FINGERPRINT_XOR = 0x5354554E;

    // Message types (method | class bits).
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    // Attributes.
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    /** Chrome's GOOG-NETWORK-INFO / NETWORK-COST; comprehension-optional, we ignore it. */
    public static final int NETWORK_COST = 0xC057;

    // Error codes.
    public static final int ERROR_BAD_REQUEST = 400;
    public static final int ERROR_UNAUTHORIZED = 401;
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;
    public static final int ERROR_ROLE_CONFLICT = 487;

    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private Stun() {}

    /**
     * RFC 7983 demultiplexing plus the magic cookie: first byte 0..3 and bytes 4..7 equal to
     * 0x2112A442. Reads five bytes, allocates nothing, never throws on a short datagram.
     */
    public static boolean looksLikeStun(MemorySegment s, long offset, int length) {
        if (length < HEADER_LENGTH || offset < 0 || offset + length > s.byteSize()) {
            return false;
        }
        return BigEndian.u8(s, offset) < 4 && BigEndian.u32(s, offset + 4) == MAGIC_COOKIE;
    }

    /** True for attribute types below 0x8000, which an agent must understand or reject (RFC 8489 §14). */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** The comprehension-required attributes this codec understands. */
    public static boolean isKnownComprehensionRequired(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PRIORITY,
                    USE_CANDIDATE -> true;
            default -> false;
        };
    }
}
