package io.eddyrtc.examples.chat;

import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.bwe.LayerRates;
import java.io.PrintStream;

/**
 * What chat did with one video subscription, for an operator: a log line when the layer it wants, the layer it
 * forwards or its base-temporal-only mode changes (with the budget and every layer's rate then), and per layer
 * the packets and keyframes forwarded and the keyframes asked of the publisher ({@link #summary}). Counting
 * allocates nothing; only a change, a few a minute, makes a line.
 */
final class ForwardedLayers {
    private final String name;
    private final LayerRates rates;
    private final long[] packets;
    private final long[] keyframes;
    private final long[] keyframeRequests;
    private final long[] refused;
    private int loggedTarget = -1;
    private int loggedCurrent = -1;
    private boolean loggedBaseOnly;

    /** {@code name}: how the log names the subscription (who receives whose track). */
    ForwardedLayers(String name, LayerRates rates) {
        this.name = name;
        this.rates = rates;
        packets = new long[rates.layers()];
        keyframes = new long[rates.layers()];
        keyframeRequests = new long[rates.layers()];
        refused = new long[rates.layers()];
    }

    /** The publisher was asked for a keyframe of {@code layer}. */
    void keyframeRequested(int layer) {
        keyframeRequests[layer]++;
    }

    /**
     * A packet of {@code layer} went to the subscriber; {@code keyframe} when it starts one; {@code queued} false
     * when its {@code Rtc} refused it (send buffers full).
     */
    void forwarded(int layer, boolean keyframe, boolean queued) {
        if (!queued) {
            refused[layer]++;
        }
        packets[layer]++;
        if (keyframe) {
            keyframes[layer]++;
        }
    }

    /** Logs what changed in {@code layers} since the last look, at {@code now} with {@code budgetBps}. */
    void look(long now, LayerForwarding layers, long budgetBps, PrintStream log) {
        if (layers.target() != loggedTarget) {
            loggedTarget = layers.target();
            log.printf("[chat] %s: wants layer %s (budget %d kbit/s; %s)%n", name, ridOf(loggedTarget), budgetBps / 1000, rates(now));
        }
        if (layers.current() != loggedCurrent) {
            loggedCurrent = layers.current();
            log.printf("[chat] %s: forwards layer %s from its keyframe%n", name, ridOf(loggedCurrent));
        }
        if (layers.baseOnly() != loggedBaseOnly) {
            loggedBaseOnly = layers.baseOnly();
            log.printf("[chat] %s: %s (budget %d kbit/s; %s)%n", name, loggedBaseOnly ? "base temporal layer only" : "every temporal layer",
                    budgetBps / 1000, rates(now));
        }
    }

    /** Per layer: its rate now, packets and keyframes forwarded, keyframes asked for. */
    String summary(long now) {
        StringBuilder b = new StringBuilder(name).append(": forwarding ").append(ridOf(loggedCurrent)).append(", wants ")
                .append(ridOf(loggedTarget)).append(loggedBaseOnly ? " (base temporal layer only)" : "");
        for (int l = 0; l < packets.length; l++) {
            b.append("; ").append(ridOf(l)).append(' ').append(rates.bitrate(now, l) / 1000).append(" kbit/s, forwarded ")
                    .append(packets[l]).append(" packets (").append(refused[l]).append(" refused) ").append(keyframes[l]).append(" keyframes, asked ")
                    .append(keyframeRequests[l]).append(" keyframes");
        }
        return b.toString();
    }

    private String rates(long now) {
        StringBuilder b = new StringBuilder("layers");
        for (int l = 0; l < packets.length; l++) {
            b.append(' ').append(ridOf(l)).append(' ').append(rates.bitrate(now, l) / 1000);
        }
        return b.append(" kbit/s").toString();
    }

    private String ridOf(int layer) {
        if (layer < 0) {
            return "none";
        }
        String rid = rates.rid(layer);
        return rid == null ? String.valueOf(layer) : rid;
    }
}
