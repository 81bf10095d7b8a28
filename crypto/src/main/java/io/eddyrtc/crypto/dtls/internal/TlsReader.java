package io.eddyrtc.crypto.dtls.internal;

/**
 * Bounds-checked reading of TLS wire structures from a byte array. Running past the end throws
 * {@link DecodeException}, which the endpoint turns into a {@code decode_error} alert or a drop.
 */
public final class TlsReader {
    /** Malformed input: caught inside the endpoint, never thrown to its caller. */
    public static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] data;
    private int at;
    private final int end;

    public TlsReader(byte[] data, int offset, int length) {
        this.data = data;
        this.at = offset;
        this.end = offset + length;
    }

    public TlsReader(byte[] data) {
        this(data, 0, data.length);
    }

    public int remaining() {
        return end - at;
    }

    public int position() {
        return at;
    }

    /** The array read from (positions index into it). */
    public byte[] data() {
        return data;
    }

    private void need(int n) throws DecodeException {
        if (n < 0 || end - at < n) {
            throw new DecodeException("truncated: need " + n + " bytes, have " + (end - at));
        }
    }

    public int u8() throws DecodeException {
        need(1);
        return data[at++] & 0xFF;
    }

    public int u16() throws DecodeException {
        need(2);
        int v = (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
        at += 2;
        return v;
    }

    public int u24() throws DecodeException {
        need(3);
        int v = (data[at] & 0xFF) << 16 | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF);
        at += 3;
        return v;
    }

    public long u48() throws DecodeException {
        need(6);
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (data[at + i] & 0xFF);
        }
        at += 6;
        return v;
    }

    public byte[] bytes(int n) throws DecodeException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(data, at, out, 0, n);
        at += n;
        return out;
    }

    /** A sub-reader over the next {@code n} bytes, which this reader skips. */
    public TlsReader slice(int n) throws DecodeException {
        need(n);
        TlsReader r = new TlsReader(data, at, n);
        at += n;
        return r;
    }

    public byte[] vector8() throws DecodeException {
        return bytes(u8());
    }

    public byte[] vector16() throws DecodeException {
        return bytes(u16());
    }

    public void skip(int n) throws DecodeException {
        need(n);
        at += n;
    }
}
