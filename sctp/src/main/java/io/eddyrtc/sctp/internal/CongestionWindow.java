package io.eddyrtc.sctp.internal;

/** Slow start and congestion avoidance (RFC 9260 §7.2): how many bytes may be in flight. */
final class CongestionWindow {
    private final int mtu;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;

    CongestionWindow(int mtu) {
        this.mtu = mtu;
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
    }

    long size() {
        return cwnd;
    }

    /** The slow-start threshold starts at the peer's receive window. */
    void threshold(long bytes) {
        ssthresh = bytes;
    }

    /** New data was acknowledged cumulatively: grow, fast in slow start, by one MTU per window after. */
    void acknowledged(long bytes) {
        if (cwnd <= ssthresh) {
            cwnd += Math.min(bytes, mtu);
        } else {
            partialBytesAcked += bytes;
            if (partialBytesAcked >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /** A loss detected by missing reports: halve. */
    void fastRetransmit() {
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = ssthresh;
        partialBytesAcked = 0;
    }

    /** A loss detected by the retransmission timer: back to one MTU. */
    void timeout() {
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
    }
}
