package io.eddyrtc.sctp;

import java.util.Arrays;

/**
 * An SCTP packet the association wants sent (inside a DTLS record): the first {@link #length()} bytes of
 * {@link #bytes()}. A view the association reuses: the one {@link SctpAssociation#pollTransmit()} returns is valid
 * until the next call on the association; {@link #toByteArray()} keeps a copy.
 */
public final class SctpTransmit {
    private byte[] bytes;
    private int length;

    SctpTransmit() {
    }

    /** Points this view at the packet in the first {@code length} bytes of {@code buffer}. */
    SctpTransmit point(byte[] buffer, int length) {
        this.bytes = buffer;
        this.length = length;
        return this;
    }

    /** The buffer; the packet is its first {@link #length()} bytes. Read it, do not keep it. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** A copy of the packet (allocates; for tests and callers that keep packets). */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return "SctpTransmit[" + length + " bytes]";
    }
}
