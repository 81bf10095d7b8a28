package io.eddyrtc.buffers;

/**
 * The bytes one owner (a peer connection) may hold in what grows with traffic — pool slots kept by caches,
 * rings and tables sized by need — and how many it holds now. Each part charges what it takes
 * ({@link #tryCharge}) and gives back what it frees ({@link #release}); past the limit a charge is refused
 * and counted, and the part does without (a packet not cached, a stream not made) rather than allocate. So a
 * peer's memory has a ceiling a server chooses, and {@link #inUse()} tells the server what a peer costs.
 *
 * <p>Not thread-safe: it belongs to its owner, which one thread drives at a time.
 */
public final class MemoryBudget {
    private final long limit;
    private long inUse;
    private long peak;
    private long refusals;

    private MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** A budget of {@code limitBytes}. */
    public static MemoryBudget of(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("a memory budget is a positive number of bytes, got " + limitBytes);
        }
        return new MemoryBudget(limitBytes);
    }

    /** A budget that only counts: for parts used on their own, outside a peer connection. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** Takes {@code bytes} if they fit under the limit; otherwise takes nothing, counts a refusal, returns false. */
    public boolean tryCharge(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("charge a positive number of bytes, got " + bytes);
        }
        if (bytes > limit - inUse) {
            refusals++;
            return false;
        }
        inUse += bytes;
        peak = Math.max(peak, inUse);
        return true;
    }

    /** Gives back {@code bytes} charged before. */
    public void release(long bytes) {
        if (bytes < 0 || bytes > inUse) {
            throw new IllegalStateException("released " + bytes + " bytes of a budget holding " + inUse
                    + "; release only what was charged");
        }
        inUse -= bytes;
    }

    /** Bytes charged and not yet released. */
    public long inUse() {
        return inUse;
    }

    /** The most ever held at once. */
    public long peak() {
        return peak;
    }

    public long limit() {
        return limit;
    }

    /** Charges refused for want of room. */
    public long refusals() {
        return refusals;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + inUse + " of " + (limit == Long.MAX_VALUE ? "unlimited" : limit) + " bytes, peak " + peak
                + ", " + refusals + " refused]";
    }
}
