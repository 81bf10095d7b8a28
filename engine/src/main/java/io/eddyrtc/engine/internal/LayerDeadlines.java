package io.eddyrtc.engine.internal;

import io.eddyrtc.engine.internal.media.MediaLayer;
import io.eddyrtc.ice.IceAgent;

/**
 * When each layer of an {@code Rtc} — ICE, DTLS, the data channels, media — next wants time, kept between calls. A
 * layer is asked again only once an input, a timer or a call has reached it ({@link #changed}); the others' answers
 * stand. A server with ten thousand peers wakes each for a consent check or a report every few seconds, and most
 * of what such a wake costs is fetching the peer's objects from memory: a consent check then asks ICE alone, a
 * report the media layer alone, instead of every object of the peer.
 *
 * <p>A layer's deadline depends only on its own state, which changes only when it is called, so the cache is exact
 * as long as every call that reaches a layer is reported. With assertions on (the tests), {@link #next()} checks
 * that against asking every layer.
 */
public final class LayerDeadlines {
    public static final int ICE = 1;
    public static final int DTLS = 2;
    public static final int CHANNELS = 4;
    public static final int MEDIA = 8;
    public static final int EVERY_LAYER = ICE | DTLS | CHANNELS | MEDIA;

    private final IceAgent ice;
    private final DtlsLayer dtls;
    private final ChannelLayer channels;
    private final MediaLayer media;
    private long iceAt = Long.MAX_VALUE;
    private long dtlsAt = Long.MAX_VALUE;
    private long channelsAt = Long.MAX_VALUE;
    private long mediaAt = Long.MAX_VALUE;
    /** The layers reached since they were last asked. */
    private int changed = EVERY_LAYER;
    /**
     * With send-side congestion control the media layer's deadline moves with time and with every packet the
     * pacer lets go (its next send depends on {@code now}), so it is asked every time rather than remembered.
     */
    private final int alwaysAsked;

    public LayerDeadlines(IceAgent ice, DtlsLayer dtls, ChannelLayer channels, MediaLayer media) {
        this.ice = ice;
        this.dtls = dtls;
        this.channels = channels;
        this.media = media;
        this.alwaysAsked = media.congestion() != null ? MEDIA : 0;
    }

    /** Something reached {@code layers} (bits of {@link #ICE}, {@link #DTLS}...): ask them again. */
    public void changed(int layers) {
        changed |= layers;
    }

    /** Whether {@code layer}'s timers are due at {@code now}: asked afresh if it changed since it was last asked. */
    public boolean due(int layer, long now) {
        return now >= (((changed | alwaysAsked) & layer) != 0 ? ask(layer, now) : cached(layer));
    }

    /** The earliest deadline of the layers at {@code now}. */
    public long next(long now) {
        changed |= alwaysAsked;
        if (changed != 0) {
            for (int layer = ICE; layer <= MEDIA; layer <<= 1) {
                if ((changed & layer) != 0) {
                    remember(layer, ask(layer, now));
                }
            }
            changed = 0;
        }
        long next = Math.min(Math.min(iceAt, dtlsAt), Math.min(channelsAt, mediaAt));
        assert next == Math.min(Math.min(ask(ICE, now), ask(DTLS, now)), Math.min(ask(CHANNELS, now), ask(MEDIA, now)))
                : "a layer's deadline changed without the Rtc being told: cached ice " + iceAt + " dtls " + dtlsAt
                + " channels " + channelsAt + " media " + mediaAt + ", asked " + ask(ICE, now) + " " + ask(DTLS, now) + " "
                + ask(CHANNELS, now) + " " + ask(MEDIA, now);
        return next;
    }

    private long ask(int layer, long now) {
        return switch (layer) {
            case ICE -> ice.nextDeadline();
            case DTLS -> dtls.nextDeadline();
            case CHANNELS -> channels.nextDeadline();
            default -> media.nextDeadline(now);
        };
    }

    private long cached(int layer) {
        return switch (layer) {
            case ICE -> iceAt;
            case DTLS -> dtlsAt;
            case CHANNELS -> channelsAt;
            default -> mediaAt;
        };
    }

    private void remember(int layer, long at) {
        switch (layer) {
            case ICE -> iceAt = at;
            case DTLS -> dtlsAt = at;
            case CHANNELS -> channelsAt = at;
            default -> mediaAt = at;
        }
    }
}
