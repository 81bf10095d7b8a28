package io.eddyrtc.engine.rtp;

/**
 * The sequence numbers and timestamps one forwarded stream goes out with while an SFU switches it between a
 * publisher's simulcast layers (each its own SSRC, numbering and timestamp origin) and leaves packets out (a
 * temporal layer dropped): the subscriber sees one stream, numbered without gaps where nothing was lost, its
 * timestamps moving on by the time that passed across a switch. Works on extended (64-bit) numbers, as
 * {@code Event.RtpPacket} gives them. Allocates nothing.
 */
public final class ForwardedNumbering {
    private boolean started;
    private int layer = -1;
    private long sequenceOffset;
    private long timestampOffset;
    private long highestIn = Long.MIN_VALUE;
    private long lastOutSequence;
    private long lastOutTimestamp;
    private long lastOutAt;
    private long currentSequence;
    private long currentTimestamp;

    /**
     * A packet of {@code layer} with extended sequence number {@code sequence} and timestamp {@code timestamp}
     * goes out at {@code now}; a change of layer continues the numbering where it left off, and the timestamps
     * by {@code now}'s distance from the last packet in {@code clockRate}. Read the numbers it goes out with
     * from {@link #sequence()} and {@link #timestamp()}.
     */
    public void forward(long now, int layer, long sequence, long timestamp, int clockRate) {
        if (!started || layer != this.layer) {
            long next = started ? lastOutSequence + 1 : sequence;
            long elapsedTicks = started ? Math.max(1, (now - lastOutAt) * clockRate / 1_000_000_000L) : 0;
            sequenceOffset = next - sequence;
            timestampOffset = started ? lastOutTimestamp + elapsedTicks - timestamp : 0;
            this.layer = layer;
            highestIn = sequence - 1; // this packet is the newest of its layer: the next switch follows on from it
            started = true;
        }
        long out = sequence + sequenceOffset;
        if (sequence > highestIn) {
            highestIn = sequence;
            lastOutSequence = out;
            lastOutTimestamp = timestamp + timestampOffset;
            lastOutAt = now;
        }
        currentSequence = out;
        currentTimestamp = timestamp + timestampOffset;
    }

    /**
     * The stream's source changes (another publisher's track takes its place, with numbers and layers of its
     * own): the next packet forwarded continues the numbering as a switch does, whatever its layer.
     */
    public void sourceChanged() {
        layer = -1;
    }

    /**
     * A packet of the forwarded layer is left out: the ones after it move down a number, so the subscriber does
     * not ask for it. (A packet older than the newest forwarded one cannot be left out without a gap.)
     */
    public void drop(int layer, long sequence) {
        if (started && layer == this.layer && sequence > highestIn) {
            sequenceOffset--;
            highestIn = sequence;
        }
    }

    /** The 16-bit sequence number of the packet last passed to {@link #forward}. */
    public int sequence() {
        return (int) (currentSequence & 0xFFFF);
    }

    /** The 32-bit timestamp of the packet last passed to {@link #forward}. */
    public long timestamp() {
        return currentTimestamp & 0xFFFF_FFFFL;
    }
}
