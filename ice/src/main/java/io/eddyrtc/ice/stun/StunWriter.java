package io.eddyrtc.ice.stun;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes a STUN message into a caller's segment (typically a pooled {@code PacketBuffer}) without
 * allocating. Call {@link #begin}, add attributes in order, then optionally
 * {@link #addMessageIntegrity} and {@link #addFingerprint} (which must come last), then take
 * {@link #length()}. The header length field is kept current after every attribute, so integrity
 * and fingerprint can be computed over the bytes as they stand.
 *
 * <p>Running out of room is API misuse (the caller chose the buffer) and throws
 * {@link IllegalStateException} naming the fix.
 */
public final class StunWriter {
    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int capacity;
    private int position;
    private byte padding;

    /**
     * The byte used to pad attribute values to 4-byte boundaries; 0 by default. RFC 8489 lets it be
     * anything (receivers ignore it); RFC 5769's vectors use spaces, so tests set 0x20 to reproduce them.
     */
    public StunWriter padding(int value) {
        this.padding = (byte) value;
        return this;
    }

    /** Starts a message of {@code messageType} with the given 96-bit transaction id. */
    public StunWriter begin(MemorySegment segment, long offset, int capacity, int messageType,
                            int transactionHigh, long transactionLow) {
        if (capacity < Stun.HEADER_LENGTH || offset < 0 || offset + capacity > segment.byteSize()) {
            throw new IllegalStateException("STUN buffer of " + capacity + " bytes at " + offset
                    + " does not fit its segment or the 20-byte header; pass a PacketBuffer slot");
        }
        this.segment = segment;
        this.base = offset;
        this.capacity = capacity;
        BigEndian.putU16(segment, base, messageType & 0x3FFF);
        BigEndian.putU16(segment, base + 2, 0);
        BigEndian.putU32(segment, base + 4, Stun.MAGIC_COOKIE);
        BigEndian.putU32(segment, base + 8, transactionHigh & 0xFFFFFFFFL);
        BigEndian.putU64(segment, base + 12, transactionLow);
        position = Stun.HEADER_LENGTH;
        return this;
    }

    /** Bytes written so far; the whole message once finished. */
    public int length() {
        return position;
    }

    private long attribute(int type, int valueLength) {
        int padded = (valueLength + 3) & ~3;
        if (position + 4 + padded > capacity) {
            throw new IllegalStateException("STUN message needs " + (position + 4 + padded)
                    + " bytes but the buffer holds " + capacity + "; use a larger PacketPool slot");
        }
        long at = base + position;
        BigEndian.putU16(segment, at, type);
        BigEndian.putU16(segment, at + 2, valueLength);
        for (int i = valueLength; i < padded; i++) {
            segment.set(ValueLayout.JAVA_BYTE, at + 4 + i, padding);
        }
        position += 4 + padded;
        BigEndian.putU16(segment, base + 2, position - Stun.HEADER_LENGTH);
        return at + 4;
    }

    public StunWriter addBytes(int type, byte[] value) {
        long at = attribute(type, value.length);
        MemorySegment.copy(value, 0, segment, ValueLayout.JAVA_BYTE, at, value.length);
        return this;
    }

    /** USERNAME made of two parts joined by ':' without building the joined string. */
    public StunWriter addUsername(byte[] first, byte[] second) {
        long at = attribute(Stun.USERNAME, first.length + 1 + second.length);
        MemorySegment.copy(first, 0, segment, ValueLayout.JAVA_BYTE, at, first.length);
        segment.set(ValueLayout.JAVA_BYTE, at + first.length, (byte) ':');
        MemorySegment.copy(second, 0, segment, ValueLayout.JAVA_BYTE, at + first.length + 1, second.length);
        return this;
    }

    public StunWriter addPriority(long priority) {
        BigEndian.putU32(segment, attribute(Stun.PRIORITY, 4), priority);
        return this;
    }

    public StunWriter addUseCandidate() {
        attribute(Stun.USE_CANDIDATE, 0);
        return this;
    }

    public StunWriter addIceControlling(long tieBreaker) {
        BigEndian.putU64(segment, attribute(Stun.ICE_CONTROLLING, 8), tieBreaker);
        return this;
    }

    public StunWriter addIceControlled(long tieBreaker) {
        BigEndian.putU64(segment, attribute(Stun.ICE_CONTROLLED, 8), tieBreaker);
        return this;
    }

    /** XOR-MAPPED-ADDRESS from a raw IPv4 (4 bytes) or IPv6 (16 bytes) address and a port. */
    public StunWriter addXorMappedAddress(byte[] address, int port) {
        return addXorAddress(Stun.XOR_MAPPED_ADDRESS, address, port);
    }

    /**
     * An address attribute XORed as RFC 8489 §14.2 says (XOR-MAPPED-ADDRESS, and TURN's XOR-PEER-ADDRESS and
     * XOR-RELAYED-ADDRESS), from a raw IPv4 (4 bytes) or IPv6 (16 bytes) address and a port.
     */
    public StunWriter addXorAddress(int type, byte[] address, int port) {
        boolean v4 = address.length == 4;
        long at = attribute(type, v4 ? 8 : 20);
        segment.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        segment.set(ValueLayout.JAVA_BYTE, at + 1, (byte) (v4 ? Stun.FAMILY_IPV4 : Stun.FAMILY_IPV6));
        BigEndian.putU16(segment, at + 2, port ^ (int) (Stun.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < address.length; i++) {
            int mask = BigEndian.u8(segment, base + 4 + i); // cookie, then transaction id
            segment.set(ValueLayout.JAVA_BYTE, at + 4 + i, (byte) ((address[i] & 0xFF) ^ mask));
        }
        return this;
    }

    /** A four-byte attribute (LIFETIME, and the like). */
    public StunWriter addU32(int type, long value) {
        BigEndian.putU32(segment, attribute(type, 4), value);
        return this;
    }

    /** REQUESTED-TRANSPORT (RFC 8656 §18.8): the protocol number, then three reserved bytes. */
    public StunWriter addRequestedTransport(int protocol) {
        BigEndian.putU32(segment, attribute(Stun.REQUESTED_TRANSPORT, 4), (long) (protocol & 0xFF) << 24);
        return this;
    }

    /** CHANNEL-NUMBER (RFC 8656 §18.1): the number, then two reserved bytes. */
    public StunWriter addChannelNumber(int channel) {
        BigEndian.putU32(segment, attribute(Stun.CHANNEL_NUMBER, 4), (long) (channel & 0xFFFF) << 16);
        return this;
    }

    /** An attribute whose value is {@code length} bytes of {@code source} at {@code offset} (TURN's DATA). */
    public StunWriter addBytes(int type, MemorySegment source, long offset, int length) {
        long at = attribute(type, length);
        MemorySegment.copy(source, offset, segment, at, length);
        return this;
    }

    /** ERROR-CODE with a reason phrase (UTF-8 bytes, prepared once by the caller). */
    public StunWriter addErrorCode(int code, byte[] reason) {
        long at = attribute(Stun.ERROR_CODE, 4 + reason.length);
        BigEndian.putU16(segment, at, 0);
        segment.set(ValueLayout.JAVA_BYTE, at + 2, (byte) (code / 100));
        segment.set(ValueLayout.JAVA_BYTE, at + 3, (byte) (code % 100));
        MemorySegment.copy(reason, 0, segment, ValueLayout.JAVA_BYTE, at + 4, reason.length);
        return this;
    }

    public StunWriter addUnknownAttributes(int[] types, int count) {
        long at = attribute(Stun.UNKNOWN_ATTRIBUTES, 2 * count);
        for (int i = 0; i < count; i++) {
            BigEndian.putU16(segment, at + 2L * i, types[i]);
        }
        return this;
    }

    /** MESSAGE-INTEGRITY (HMAC-SHA1) over everything written so far, keyed with {@code key}. */
    public StunWriter addMessageIntegrity(HmacSha1 mac, byte[] key) {
        long at = attribute(Stun.MESSAGE_INTEGRITY, 20);
        mac.key(key);
        mac.begin();
        mac.update(segment, base, (int) (at - 4 - base));
        mac.finish(segment, at);
        return this;
    }

    /** FINGERPRINT: CRC-32 of everything before it, XOR 0x5354554e. Must be the last attribute. */
    public StunWriter addFingerprint() {
        long at = attribute(Stun.FINGERPRINT, 4);
        long crc = Crc32.of(segment, base, (int) (at - 4 - base));
        BigEndian.putU32(segment, at, crc ^ (Stun.FINGERPRINT_XOR & 0xFFFFFFFFL));
        return this;
    }
}
