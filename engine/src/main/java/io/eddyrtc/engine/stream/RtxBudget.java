package io.eddyrtc.engine.stream;

/**
 * Caps retransmissions at a share of what the stream sends (default 15 %): every media byte sent earns
 * {@code share} bytes of RTX credit, up to a burst cap. Two rules keep it from ever locking up: credit also
 * trickles in with time at a small floor rate (so a paused or quiet stream can still repair its last
 * packets), and a packet is allowed whenever the credit is positive, even if it is larger than the credit
 * (the balance goes negative and is paid back), so no packet size can starve forever.
 */
final class RtxBudget {
    private final double share;
    private final double floorBytesPerNano;
    private final double burstBytes;
    private double credit;
    private long refilledAt;
    private boolean started;

    RtxBudget(double share, long floorBytesPerSecond, long burstBytes) {
        this.share = share;
        this.floorBytesPerNano = floorBytesPerSecond / 1e9;
        this.burstBytes = burstBytes;
        this.credit = burstBytes / 4.0; // enough to repair the first losses before much media was sent
    }

    void onMediaSent(long now, int bytes) {
        refill(now);
        credit = Math.min(burstBytes, credit + share * bytes);
    }

    boolean trySpend(long now, int bytes) {
        refill(now);
        if (credit <= 0) {
            return false;
        }
        credit -= bytes;
        return true;
    }

    private void refill(long now) {
        if (started && now > refilledAt) {
            credit = Math.min(burstBytes, credit + floorBytesPerNano * (now - refilledAt));
        }
        if (!started || now > refilledAt) {
            refilledAt = now;
            started = true;
        }
    }

    double credit() {
        return credit;
    }
}
