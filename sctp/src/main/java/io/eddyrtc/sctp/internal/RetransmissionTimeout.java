package io.eddyrtc.sctp.internal;

/**
 * The retransmission timeout (RFC 6298 as RFC 9260 §6.3.1 applies it) and the count of timeouts in a
 * row that ends an association which no longer hears from its peer.
 */
public final class RetransmissionTimeout {
    private final long initial;
    private final long min;
    private final long max;
    private final int maxTimeoutsInARow;
    private long rto;
    private long srtt = -1;
    private long rttvar;
    private int timeoutsInARow;

    public RetransmissionTimeout(long initial, long min, long max, int maxTimeoutsInARow) {
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.maxTimeoutsInARow = maxTimeoutsInARow;
        this.rto = initial;
    }

    public long current() {
        return rto;
    }

    /** A round-trip sample (Karn's rule is the caller's: only chunks sent once give one). */
    public void measure(long rtt) {
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.max(min, Math.min(max, srtt + 4 * rttvar));
    }

    /** A timer expired: the timeout doubles; false when that was one timeout too many in a row. */
    public boolean backOff() {
        if (++timeoutsInARow > maxTimeoutsInARow) {
            return false;
        }
        rto = Math.min(rto * 2, max);
        return true;
    }

    /** The peer answered: the count of timeouts in a row starts over. */
    public void answered() {
        timeoutsInARow = 0;
    }

    /** Back to the initial timeout, as a handshake that starts again. */
    public void restart() {
        rto = initial;
    }

    public int maxTimeoutsInARow() {
        return maxTimeoutsInARow;
    }
}
