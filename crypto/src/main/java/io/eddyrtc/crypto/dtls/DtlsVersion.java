package io.eddyrtc.crypto.dtls;

/** The DTLS versions eddy speaks, with their numbers on the wire (DTLS counts down: 0xfefd is 1.2). */
public enum DtlsVersion {
    DTLS_1_2(0xFEFD, "1.2"),
    DTLS_1_3(0xFEFC, "1.3");

    private final int wire;
    private final String label;

    DtlsVersion(int wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    /** The version's number in {@code supported_versions} and record headers. */
    public int wire() {
        return wire;
    }

    @Override
    public String toString() {
        return "DTLS " + label;
    }
}
