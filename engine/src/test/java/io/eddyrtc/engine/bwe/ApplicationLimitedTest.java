package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SFU's send side on the virtual network: it forwards a layer that fills less of the link than the estimate
 * (100 kbit/s of video and 48 kbit/s of audio on a 200 kbit/s link with a 200 ms queue, 20 ms round trip), says
 * so ({@code setCurrentBitrate}) and would like 2 Mbit/s. Nothing it sends can show the path carries more than
 * it sends, so the delay signal never stops the rate controller's growth; the estimate stays at what probes
 * found the path carries: under the link, which is what keeps an SFU's selector from taking a layer the path
 * cannot carry. When the link grows, probes find it within seconds.
 */
@ExtendWith(SeedExtension.class)
class ApplicationLimitedTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long LINK_BPS = 200_000;
    private static final long LIFTED_BPS = 20_000_000;
    private static final long LIFT_AT = 30 * S;

    @Test
    void theEstimateStaysUnderTheLinkTheSenderDoesNotFillAndFindsMoreWhenTheLinkGrows(@Seed long seed) {
        VirtualNetwork network = new VirtualNetwork(seed, S);
        InetSocketAddress a = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress b = new InetSocketAddress("10.0.0.2", 5000);
        SyntheticSender flow = new SyntheticSender(0, BweConfig.startingAt(300_000), 2_000_000, S, new Random(seed));
        flow.applicationBps = 100_000;
        network.attach(new BweSenderNode(a, b, List.of(flow)), a).attach(new BweReceiverNode(b, a, 1, S, 40 * S, 10 * MS), b);
        LinkConditions base = LinkConditions.perfect().withLatencyNanos(10 * MS).withMtu(1500);
        network.conditions(b, a, base);
        network.conditions(a, b, base.withRate(LINK_BPS, (int) (LINK_BPS / 8 / 5)));
        long[] held = new long[250]; // every 100 ms from 5 s to 30 s
        StringBuilder trace = new StringBuilder();
        long threeSecondsAfterLift = -1;
        for (int i = 1; i <= 400; i++) {
            if (i * 100 * MS == LIFT_AT) {
                network.conditions(a, b, base.withRate(LIFTED_BPS, (int) (LIFTED_BPS / 8 / 5)));
            }
            network.runUntil(S + i * 100 * MS);
            long estimate = flow.bwe.estimate();
            if (i > 50 && i <= 300) {
                held[i - 51] = estimate;
            }
            if (i * 100 * MS == LIFT_AT + 3 * S) {
                threeSecondsAfterLift = estimate;
            }
            if (i % 10 == 0) {
                trace.append(String.format("%4.1f s: estimate %d kbit/s, acknowledged %d, last probe %d%n", i / 10.0, estimate / 1000,
                        flow.bwe.acknowledgedBitrate() / 1000, flow.bwe.lastProbeResult() / 1000));
            }
        }
        long[] sorted = held.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[sorted.length - 1] <= LINK_BPS, "never over the link it does not fill: " + trace);
        assertTrue(sorted[sorted.length / 2] >= 0.85 * LINK_BPS, "and mostly within 85 % of it (keyframes congest it at times): "
                + trace);
        assertTrue(threeSecondsAfterLift >= 1_000_000, "lifted, probes find room for more within 3 s: " + trace);
    }
}
