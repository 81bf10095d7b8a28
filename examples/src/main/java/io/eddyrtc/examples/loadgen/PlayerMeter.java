package io.eddyrtc.examples.loadgen;

/**
 * One player's view of what it receives: per frame the one-way latency (from when the frame was due, and from when it
 * was sent), and for the steady window the frames and bytes, the interarrival jitter of RFC 3550 (over frames: the
 * change in transit time from one frame to the next, smoothed by 1/16) and the video freezes — a gap between frames
 * longer than three frame intervals and than one interval plus 150 ms, as WebRTC's statistics count them. It also
 * keeps which layer of a simulcast publisher arrives (the width its keyframes carry) and, from a mark on, the widest
 * keyframe and the longest time without a video frame. On its client thread.
 */
final class PlayerMeter {
    private static final long FREEZE_EXTRA_NANOS = 150_000_000L;

    private final RunTotals totals;
    private final long freezeAfterNanos;
    private final double[] jitterNanos = new double[2]; // [0] audio, [1] video
    private final long[] lastTransit = new long[2];
    private final boolean[] seen = new boolean[2];
    private final long[] lastSequence = {-1, -1};
    private long lastVideoArrival = Long.MIN_VALUE;
    private long steadyVideo;
    private long steadyAudio;
    private long videoFrames;
    private long audioFrames;
    private int width;
    private int widestSinceMark;
    private long mark = Long.MIN_VALUE;
    private long longestGapSinceMark;

    PlayerMeter(RunTotals totals, int fps) {
        this.totals = totals;
        long interval = 1_000_000_000L / fps;
        this.freezeAfterNanos = Math.max(3 * interval, interval + FREEZE_EXTRA_NANOS);
    }

    /** A whole frame arrived at {@code arrivedNanos}. */
    void frame(FrameStamp stamp, int bytes, boolean video, long arrivedNanos) {
        int k = video ? 1 : 0;
        if (stamp.sequence() <= lastSequence[k]) {
            return; // a frame seen already: the server changed simulcast layer, and both carried it
        }
        lastSequence[k] = stamp.sequence();
        if (video) {
            videoFrames++;
            if (mark != Long.MIN_VALUE) {
                longestGapSinceMark = Math.max(longestGapSinceMark, arrivedNanos - Math.max(mark, lastVideoArrival));
            }
        } else {
            audioFrames++;
        }
        long latency = Math.max(0, arrivedNanos - stamp.dueNanos());
        long uncorrected = Math.max(0, arrivedNanos - stamp.sentNanos());
        long capped = Math.min(latency, RunTotals.HIGHEST_NANOS);
        totals.recent.recordValue(capped);
        long transit = arrivedNanos - stamp.dueNanos();
        if (seen[k]) {
            jitterNanos[k] += (Math.abs(transit - lastTransit[k]) - jitterNanos[k]) / 16;
        }
        seen[k] = true;
        lastTransit[k] = transit;
        boolean steady = totals.inWindow(stamp.dueNanos());
        if (video) {
            if (steady && lastVideoArrival != Long.MIN_VALUE && arrivedNanos - lastVideoArrival > freezeAfterNanos) {
                totals.freezes.increment();
                totals.freezeNanos.add(arrivedNanos - lastVideoArrival);
            }
            lastVideoArrival = arrivedNanos;
        }
        if (!steady) {
            return;
        }
        if (video) {
            totals.videoLatency.recordValue(capped);
            totals.videoUncorrected.recordValue(Math.min(uncorrected, RunTotals.HIGHEST_NANOS));
            totals.videoReceived.increment();
            totals.videoBytes.add(bytes);
            steadyVideo++;
        } else {
            steadyAudio++;
            totals.audioLatency.recordValue(capped);
            totals.audioReceived.increment();
        }
    }

    /** A video keyframe {@code width} wide arrived: the layer received from now on. */
    void keyframe(int width) {
        this.width = width;
        widestSinceMark = Math.max(widestSinceMark, width);
    }

    /** The width of the last keyframe received, 0 before one. */
    int width() {
        return width;
    }

    long videoFrames() {
        return videoFrames;
    }

    long audioFrames() {
        return audioFrames;
    }

    /** From {@code now} on, {@link #widestSinceMark} and {@link #longestGapSinceMark} start again. */
    void mark(long now) {
        mark = now;
        widestSinceMark = 0;
        longestGapSinceMark = 0;
    }

    /** The widest keyframe since the {@link #mark}. */
    int widestSinceMark() {
        return widestSinceMark;
    }

    /** The longest time without a video frame since the {@link #mark}, up to {@code now}. */
    long longestGapSinceMark(long now) {
        return Math.max(longestGapSinceMark, now - Math.max(mark, lastVideoArrival));
    }

    /** Whether it received video and audio frames in the steady window. */
    boolean receivedBoth() {
        return steadyVideo > 0 && steadyAudio > 0;
    }

    /** The smoothed jitter of audio (false) or video (true) frames, in nanoseconds. */
    double jitterNanos(boolean video) {
        return jitterNanos[video ? 1 : 0];
    }
}
