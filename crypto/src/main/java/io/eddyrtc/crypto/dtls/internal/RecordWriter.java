package io.eddyrtc.crypto.dtls.internal;

/** Seals records for the wire: what a {@link Flight} needs of a record layer, whatever the DTLS version. */
public interface RecordWriter {

    /** A whole record (header and protected fragment) of {@code contentType} in {@code epoch}. */
    byte[] seal(int contentType, int epoch, byte[] data, int offset, int length);

    /** Bytes a record in {@code epoch} adds beyond its content: header, explicit nonce, content type and tag. */
    int overhead(int epoch);

    /** The sequence number the next record sealed in {@code epoch} gets (what a DTLS 1.3 ACK names it by). */
    long nextSequence(int epoch);
}
