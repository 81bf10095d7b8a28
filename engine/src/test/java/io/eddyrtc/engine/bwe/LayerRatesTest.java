package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A published track's layers by rid, and the rate each arrives at. */
class LayerRatesTest {
    private static final long MS = 1_000_000L;

    @Test
    void layersAreNumberedByTheirRidsInTheOrderThePublisherListsThem() {
        LayerRates simulcast = LayerRates.of(List.of("q", "h", "f"));
        assertEquals(3, simulcast.layers());
        assertEquals(0, simulcast.layerOf("q"));
        assertEquals(2, simulcast.layerOf("f"));
        assertEquals(-1, simulcast.layerOf("x"), "a rid it did not declare");
        assertEquals(-1, simulcast.layerOf(null), "a packet without a rid, of a simulcast track");
        LayerRates single = LayerRates.of(List.of());
        assertEquals(1, single.layers());
        assertEquals(0, single.layerOf(null));
        assertEquals(-1, single.layerOf("q"));
    }

    @Test
    void aLayerCarriesItsBytesOfTheLastSecondAndNothingOnceSilent() {
        LayerRates rates = new LayerRates(2);
        long now = 10_000 * MS;
        for (int i = 0; i < 30; i++, now += 33 * MS) {
            rates.onPacket(now, 1, 1_000);
        }
        assertEquals(240_000, rates.bitrate(now, 1), 240_000 * 0.1, "30 packets of 1 000 bytes in about a second");
        assertEquals(0, rates.bitrate(now, 0), "the other layer sent nothing");
        assertEquals(0, rates.bitrate(now + 1_500 * MS, 1), "silent for more than a second");
    }

    @Test
    void itsPeakIsItsHighestSecondOfTheLastFiveAndAResumedLayerStartsAfresh() {
        LayerRates rates = new LayerRates(1);
        long now = 10_000 * MS;
        for (int i = 0; i < 120; i++, now += 33 * MS) { // a second at 2 000 bytes a frame, then three at 1 000
            rates.onPacket(now, 0, i < 30 ? 2_000 : 1_000);
        }
        assertEquals(240_000, rates.bitrate(now, 0), 240_000 * 0.1, "the last second");
        assertEquals(480_000, rates.peakBitrate(now, 0), 480_000 * 0.1, "the first second, three ago");
        for (int i = 0; i < 60; i++, now += 33 * MS) {
            rates.onPacket(now, 0, 1_000);
        }
        assertEquals(240_000, rates.peakBitrate(now, 0), 240_000 * 0.1, "five seconds on, the peak is gone");
        now += 2_000 * MS; // silent: the publisher paused the layer
        rates.onPacket(now, 0, 1_000);
        assertEquals(80_000, rates.bitrate(now, 0), "resumed: one packet in its first 100 ms, not over a whole second");
    }
}
