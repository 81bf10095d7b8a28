package io.eddyrtc.crypto.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The portable AES-CM + HMAC-SHA1 engine: the JDK's AES ({@link AesCounterKeystream}) and SHA-1
 * ({@link HmacSha1Tag}) intrinsics on a heap copy of the packet's span, copied back after — {@code javax.crypto}
 * works on arrays, and a {@code ByteBuffer} view of a segment would be a new object per packet.
 */
final class JdkAesCmHmac implements AesCmHmac {
    private final AesCounterKeystream cipher;
    private final HmacSha1Tag mac;
    /** The packet's span, made on the first packet and grown for a longer one. */
    private byte[] buffer = new byte[0];

    JdkAesCmHmac(byte[] key, byte[] authKey) {
        this.cipher = new AesCounterKeystream(key);
        this.mac = new HmacSha1Tag(authKey);
    }

    @Override
    public void seal(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
                     long tagOffset, int tagLength) {
        long start = Math.min(authOffset, dataOffset);
        int span = (int) (Math.max(authOffset + authLength, tagOffset + tagLength) - start);
        byte[] buf = load(packet, start, span);
        cipher.xor(iv, buf, (int) (dataOffset - start), dataLength);
        authenticate(buf, (int) (authOffset - start), authLength, suffix);
        mac.finish(buf, (int) (tagOffset - start), tagLength);
        MemorySegment.copy(buf, 0, packet, ValueLayout.JAVA_BYTE, start, span);
    }

    @Override
    public boolean open(byte[] iv, MemorySegment packet, long dataOffset, int dataLength, long authOffset, int authLength, byte[] suffix,
                        long tagOffset, int tagLength) {
        long start = Math.min(authOffset, dataOffset);
        int span = (int) (Math.max(authOffset + authLength, tagOffset + tagLength) - start);
        byte[] buf = load(packet, start, span);
        authenticate(buf, (int) (authOffset - start), authLength, suffix);
        if (!mac.finishAndVerify(buf, (int) (tagOffset - start), tagLength)) {
            return false;
        }
        int at = (int) (dataOffset - start);
        cipher.xor(iv, buf, at, dataLength);
        MemorySegment.copy(buf, at, packet, ValueLayout.JAVA_BYTE, dataOffset, dataLength);
        return true;
    }

    private byte[] load(MemorySegment packet, long start, int span) {
        if (buffer.length < span) {
            buffer = new byte[Math.max(2048, Integer.highestOneBit(span) << 1)];
        }
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, start, buffer, 0, span);
        return buffer;
    }

    private void authenticate(byte[] buf, int offset, int length, byte[] suffix) {
        mac.begin();
        mac.update(buf, offset, length);
        if (suffix != null) {
            mac.update(suffix, 0, suffix.length);
        }
    }

    @Override
    public String engine() {
        return "jdk";
    }

    @Override
    public void close() {
        mac.destroy();
    }
}
