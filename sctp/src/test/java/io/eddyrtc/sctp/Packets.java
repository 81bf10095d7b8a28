package io.eddyrtc.sctp;

/** What tests keep of an association's packets: copies, since the association reuses its {@link SctpTransmit} views. */
final class Packets {
    private Packets() {
    }

    /** A copy of the next packet {@code sctp} has to send, or null. */
    static byte[] poll(SctpAssociation sctp) {
        SctpTransmit t = sctp.pollTransmit();
        return t == null ? null : t.toByteArray();
    }
}
