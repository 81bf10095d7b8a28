package io.eddyrtc.engine.stream;

/**
 * The rates of a stream's counters between two statistics snapshots: bits and packets per second since
 * the previous snapshot (0 at the first). Taken on request, never per packet.
 */
final class SnapshotRates {
    private boolean started;
    private long at;
    private long bytes;
    private long packets;
    private double bitsPerSecond;
    private double packetsPerSecond;

    /** A snapshot at {@code now} of the counters {@code bytes} and {@code packets}; the rates are since the last one. */
    void take(long now, long bytes, long packets) {
        double seconds = started ? (now - at) / 1e9 : 0;
        bitsPerSecond = seconds > 0 ? (bytes - this.bytes) * 8 / seconds : 0;
        packetsPerSecond = seconds > 0 ? (packets - this.packets) / seconds : 0;
        started = true;
        at = now;
        this.bytes = bytes;
        this.packets = packets;
    }

    double bitsPerSecond() {
        return bitsPerSecond;
    }

    double packetsPerSecond() {
        return packetsPerSecond;
    }
}
