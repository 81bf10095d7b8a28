package io.eddyrtc.engine.bwe;

import java.util.Arrays;
import java.util.List;

/**
 * The simulcast layers of one published track, numbered from 0 as {@link LayerSelector} numbers them (by rid,
 * in the order the publisher lists them, lowest first), and the bitrate each arrives at over the last second
 * and its highest one-second rate of the last {@link #PEAK_NANOS} (100 ms buckets per layer): what an SFU's
 * {@link LayerSelector}s hold against each subscriber's estimate. A browser's layer swings (Chromium's middle
 * layer between about 210 and 290 kbit/s at 960×540), so a layer fits a budget for good only if its peak does.
 * One per published track, fed every packet of it; allocates nothing per packet.
 */
public final class LayerRates {
    /** Buckets in one second, the window of {@link #bitrate}. */
    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 100_000_000L;
    /** How far back {@link #peakBitrate} looks. */
    public static final long PEAK_NANOS = 5_000_000_000L;
    private static final int KEPT_BUCKETS = (int) (PEAK_NANOS / BUCKET_NANOS);
    /** A layer silent this long carries nothing (the publisher stopped sending it). */
    private static final long SILENT_NANOS = 1_000_000_000L;

    private final long[][] bytes;
    private final long[] bucketOf;
    private final long[] lastPacketAt;
    private final long[] firstPacketAt;
    private final List<String> rids;

    /** {@code layers}: how many simulcast layers the track has (1 without simulcast), known by number only. */
    public LayerRates(int layers) {
        this(layers, List.of());
    }

    /**
     * A track published as the simulcast layers {@code rids}, lowest first as the publisher lists them (empty
     * without simulcast: one layer).
     */
    public static LayerRates of(List<String> rids) {
        return new LayerRates(Math.max(1, rids.size()), List.copyOf(rids));
    }

    private LayerRates(int layers, List<String> rids) {
        if (layers < 1) {
            throw new IllegalArgumentException("a track has at least one layer");
        }
        this.rids = rids;
        bytes = new long[layers][KEPT_BUCKETS];
        bucketOf = new long[layers];
        lastPacketAt = new long[layers];
        firstPacketAt = new long[layers];
        Arrays.fill(lastPacketAt, Long.MIN_VALUE);
    }

    public int layers() {
        return bytes.length;
    }

    /** The rid of {@code layer}, or null without simulcast. */
    public String rid(int layer) {
        return rids.isEmpty() ? null : rids.get(layer);
    }

    /**
     * The layer of a packet with {@code rid} (null without simulcast), or -1 for a rid the publisher did not
     * declare (no subscriber is on it).
     */
    public int layerOf(String rid) {
        if (rid == null) {
            return rids.isEmpty() ? 0 : -1;
        }
        for (int i = 0; i < rids.size(); i++) {
            if (rids.get(i).equals(rid)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A packet of {@code size} bytes of layer {@code layer} arrived at {@code now}. The first after a silence
     * starts the layer afresh (the publisher resumed it): its rate is over what arrived since.
     */
    public void onPacket(long now, int layer, int size) {
        if (!active(now, layer)) {
            firstPacketAt[layer] = now;
        }
        advance(now, layer);
        bytes[layer][index(Math.floorDiv(now, BUCKET_NANOS))] += size;
        lastPacketAt[layer] = now;
    }

    private static int index(long bucket) {
        return (int) Math.floorMod(bucket, (long) KEPT_BUCKETS);
    }

    /** Clears the buckets of {@code layer} that fell out of the last {@link #PEAK_NANOS}. */
    private void advance(long now, int layer) {
        long bucket = Math.floorDiv(now, BUCKET_NANOS);
        long from = Math.max(bucketOf[layer] + 1, bucket - KEPT_BUCKETS + 1);
        for (long b = from; b <= bucket; b++) {
            bytes[layer][index(b)] = 0;
        }
        bucketOf[layer] = Math.max(bucketOf[layer], bucket);
    }

    /**
     * Layer {@code layer}'s rate in bits per second over the last second (over what there is of it, in the
     * layer's first second); 0 when it went silent.
     */
    public long bitrate(long now, int layer) {
        if (!active(now, layer)) {
            return 0;
        }
        advance(now, layer);
        long bucket = Math.floorDiv(now, BUCKET_NANOS);
        long sum = 0;
        for (long b = bucket - BUCKETS + 1; b <= bucket; b++) {
            sum += bytes[layer][index(b)];
        }
        long span = Math.min(BUCKETS * BUCKET_NANOS, now - firstPacketAt[layer] + BUCKET_NANOS);
        return sum * 8 * 1_000_000_000L / span;
    }

    /**
     * Layer {@code layer}'s highest rate over one second in the last {@link #PEAK_NANOS} since it started (in its
     * first second, its rate so far), in bits per second; 0 when it went silent.
     */
    public long peakBitrate(long now, int layer) {
        long peak = bitrate(now, layer);
        if (peak == 0) {
            return 0;
        }
        long bucket = Math.floorDiv(now, BUCKET_NANOS);
        long first = Math.max(Math.floorDiv(firstPacketAt[layer], BUCKET_NANOS), bucket - KEPT_BUCKETS + 1);
        long window = 0;
        for (long b = first; b <= bucket; b++) { // one-second windows that begin at or after the layer's start
            window += bytes[layer][index(b)];
            if (b - BUCKETS >= first) {
                window -= bytes[layer][index(b - BUCKETS)];
            }
            if (b - BUCKETS + 1 >= first) {
                peak = Math.max(peak, window * 8);
            }
        }
        return peak;
    }

    /** Whether layer {@code layer} sent anything in the last second. */
    public boolean active(long now, int layer) {
        return lastPacketAt[layer] != Long.MIN_VALUE && now - lastPacketAt[layer] < SILENT_NANOS;
    }
}
