package io.eddyrtc.crypto.dtls.internal;

/** Seals records for the wire: what a {@link Flight} needs of a record layer, whatever the DTLS version. */
public interface RecordWriter {

    /** A whole record (header and protected fragment) of {@code contentType} in {@code epoch}. */
    byte[] seal(int contentType, int epoch, byte[] data, int offset, int length);

    /** Bytes a record in {@code epoch} adds beyond its content: header, explicit nonce and tag. */
    int overhead(int epoch);
}
