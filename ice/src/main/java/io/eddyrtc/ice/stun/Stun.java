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

    // TURN methods (RFC 8656 §18); a message type is method | class bits, see typeOf.
    public static final int METHOD_BINDING = 0x001;
    public static final int METHOD_ALLOCATE = 0x003;
    public static final int METHOD_REFRESH = 0x004;
    public static final int METHOD_SEND = 0x006;
    public static final int METHOD_DATA = 0x007;
    public static final int METHOD_CREATE_PERMISSION = 0x008;
    public static final int METHOD_CHANNEL_BIND = 0x009;

    // Message classes (RFC 8489 §5), as typeOf takes them.
    public static final int CLASS_REQUEST = 0x000;
    public static final int CLASS_INDICATION = 0x010;
    public static final int CLASS_SUCCESS = 0x100;
    public static final int CLASS_ERROR = 0x110;

    // Attributes.
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA = 0x0013;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int EVEN_PORT = 0x0018;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int DONT_FRAGMENT = 0x001A;
    public static final int RESERVATION_TOKEN = 0x0022;
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
    public static final int ERROR_STALE_NONCE = 438;
    public static final int ERROR_ALLOCATION_MISMATCH = 437;

    /** The protocol number REQUESTED-TRANSPORT names for a UDP relay (RFC 8656 §18.8). */
    public static final int PROTOCOL_UDP = 17;
    /** The first and last channel number a ChannelBind may take (RFC 8656 §12). */
    public static final int FIRST_CHANNEL = 0x4000;
    public static final int LAST_CHANNEL = 0x4FFF;
    /** The ChannelData header: channel number and length (RFC 8656 §12.4). */
    public static final int CHANNEL_DATA_HEADER = 4;

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

    /** The message type of {@code method} in {@code messageClass} (one of the {@code CLASS_} constants): RFC 8489 §5's bit interleaving. */
    public static int typeOf(int method, int messageClass) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | messageClass;
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
                    USE_CANDIDATE, CHANNEL_NUMBER, LIFETIME, XOR_PEER_ADDRESS, DATA, XOR_RELAYED_ADDRESS,
                    REQUESTED_ADDRESS_FAMILY, EVEN_PORT, REQUESTED_TRANSPORT, DONT_FRAGMENT, RESERVATION_TOKEN -> true;
            default -> false;
        };
    }
}
