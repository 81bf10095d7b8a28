package io.eddyrtc.crypto.dtls.internal;

import java.util.Arrays;

/** A growable big-endian byte builder for TLS structures, with length prefixes filled in afterwards. */
public final class TlsWriter {
    private byte[] buf = new byte[256];
    private int size;

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    public TlsWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public TlsWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public TlsWriter u24(int v) {
        ensure(3);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public TlsWriter u48(long v) {
        ensure(6);
        for (int i = 5; i >= 0; i--) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public TlsWriter u64(long v) {
        return u16((int) (v >>> 48)).u48(v);
    }

    public TlsWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public TlsWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public TlsWriter vector8(byte[] b) {
        return u8(b.length).bytes(b);
    }

    public TlsWriter vector16(byte[] b) {
        return u16(b.length).bytes(b);
    }

    /** The TLS 1.3 cookie extension (RFC 8446 §4.2.2): its type, its length, the cookie as a 16-bit vector. */
    public TlsWriter cookieExtension(byte[] cookie) {
        return u16(Dtls.EXT_COOKIE).u16(2 + cookie.length).vector16(cookie);
    }

    /** Reserves a length field of {@code bytes} (1, 2 or 3) and returns its position for {@link #endLength}. */
    public int beginLength(int bytes) {
        int at = size;
        ensure(bytes);
        size += bytes;
        return at;
    }

    /** Fills the length field at {@code mark} (of {@code bytes}) with the number of bytes written since. */
    public TlsWriter endLength(int mark, int bytes) {
        int length = size - mark - bytes;
        for (int i = 0; i < bytes; i++) {
            buf[mark + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return this;
    }

    /** Empties the builder for reuse. */
    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
