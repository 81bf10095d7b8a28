package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.testkit.GilbertElliott;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One evaluation run on the shared {@code VirtualNetwork}: {@link SyntheticSender} flows on one sender node,
 * across one rate-limited link with a tail-drop queue, to a receiver that sends transport-wide feedback back.
 * Samples every 100 ms: the link's capacity, each flow's estimate and the bytes each delivered. The figures
 * the issue asks for are computed from those samples ({@link Figures}).
 */
final class BweRun {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;
    private static final long START = SECOND;
    /** A 1200-byte packet per 300 ms of queue at the link's rate, at least ten packets' worth. */
    private static final long QUEUE_NANOS = 300 * MS;
    static final double CONVERGED = 0.85;

    /** The loss the link adds, both ways. */
    enum Loss {
        NONE("0 %"),
        RANDOM("2 % random"),
        BURSTY("2 % in bursts of 3");

        final String label;

        Loss(String label) {
            this.label = label;
        }

        LinkConditions applyTo(LinkConditions c) {
            return switch (this) {
                case NONE -> c;
                case RANDOM -> c.withLoss(0.02);
                case BURSTY -> c.withBursts(GilbertElliott.bursts(0.02, 3));
            };
        }
    }

    /**
     * @param capacityBps   the link's rate
     * @param rttMillis     the round trip without queueing (half each way)
     * @param halving       capacity halves at 20 s and comes back at 30 s
     * @param flows         1, or 2 with the second starting {@code secondFlowAt} later
     * @param durationNanos how long the run lasts
     */
    record Scenario(long capacityBps, long rttMillis, Loss loss, boolean probing, boolean halving, int flows, long secondFlowAt,
                    long durationNanos) {
        static final long HALVE_AT = 20 * SECOND;
        static final long RESTORE_AT = 30 * SECOND;

        static Scenario single(long capacityBps, long rttMillis, Loss loss, boolean probing) {
            return new Scenario(capacityBps, rttMillis, loss, probing, true, 1, 0, 45 * SECOND);
        }

        static Scenario shared(long capacityBps, long rttMillis, Loss loss, long secondFlowAt) {
            return new Scenario(capacityBps, rttMillis, loss, true, false, 2, secondFlowAt, 60 * SECOND);
        }

        long capacityAt(long t) {
            return halving && t >= HALVE_AT && t < RESTORE_AT ? capacityBps / 2 : capacityBps;
        }

        int queueBytes() {
            return (int) Math.max(10 * 1200, capacityBps / 8 * QUEUE_NANOS / SECOND);
        }
    }

    final Scenario scenario;
    final long seed;
    final long[] capacity;
    final long[][] estimate;
    final long[][] delivered;
    final long[] delayTimes;
    final long[] delays;
    final VirtualNetwork.LinkStats forward;
    final long[] paddingBytes;
    final long[] sentBytes;
    final long[] probes;
    /** Per flow and sample: the delay detector's verdict and the probes sent so far, for traces. */
    final String[][] notes;

    private BweRun(Scenario scenario, long seed, long[] capacity, long[][] estimate, long[][] delivered, long[] delayTimes,
                   long[] delays, VirtualNetwork.LinkStats forward, long[] paddingBytes, long[] sentBytes, long[] probes, String[][] notes) {
        this.scenario = scenario;
        this.seed = seed;
        this.capacity = capacity;
        this.estimate = estimate;
        this.delivered = delivered;
        this.delayTimes = delayTimes;
        this.delays = delays;
        this.forward = forward;
        this.paddingBytes = paddingBytes;
        this.sentBytes = sentBytes;
        this.probes = probes;
        this.notes = notes;
    }

    static BweRun run(Scenario s, long seed) {
        VirtualNetwork network = new VirtualNetwork(seed, START);
        InetSocketAddress senderAddress = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress receiverAddress = new InetSocketAddress("10.0.0.2", 5000);
        Random random = new Random(seed ^ 0x5DEECE66DL);
        BweConfig config = BweConfig.startingAt(300_000).withProbing(s.probing());
        long desired = 4 * s.capacityBps();
        List<SyntheticSender> flows = new ArrayList<>();
        for (int i = 0; i < s.flows(); i++) {
            flows.add(new SyntheticSender(i, config, desired, START + (i == 0 ? 0 : s.secondFlowAt()), new Random(random.nextLong())));
        }
        long latency = s.rttMillis() * MS / 2;
        BweSenderNode sender = new BweSenderNode(senderAddress, receiverAddress, flows);
        BweReceiverNode receiver = new BweReceiverNode(receiverAddress, senderAddress, s.flows(), START, s.durationNanos(), latency);
        network.attach(sender, senderAddress).attach(receiver, receiverAddress);
        LinkConditions base = s.loss().applyTo(LinkConditions.perfect().withLatencyNanos(latency).withMtu(1500));
        network.conditions(receiverAddress, senderAddress, base);
        long current = -1;
        int samples = (int) (s.durationNanos() / BweReceiverNode.BUCKET_NANOS);
        long[] capacity = new long[samples];
        long[][] estimate = new long[s.flows()][samples];
        String[][] notes = new String[s.flows()][samples];
        for (int i = 0; i < samples; i++) {
            long t = i * BweReceiverNode.BUCKET_NANOS;
            long c = s.capacityAt(t);
            if (c != current) {
                network.conditions(senderAddress, receiverAddress, base.withRate(c, s.queueBytes()));
                current = c;
            }
            network.runUntil(START + t + BweReceiverNode.BUCKET_NANOS);
            capacity[i] = c;
            for (int f = 0; f < s.flows(); f++) {
                estimate[f][i] = flows.get(f).bwe.estimate();
            }
            for (int f = 0; f < s.flows(); f++) {
                BandwidthEstimator bwe = flows.get(f).bwe;
                notes[f][i] = bwe.usage() + " probes=" + bwe.probesSent() + " acked=" + bwe.acknowledgedBitrate() / 1000
                        + " loss=" + Math.round(bwe.lossFraction() * 1000) / 10.0 + "%";
            }
        }
        long[][] delivered = new long[s.flows()][samples];
        long[] padding = new long[s.flows()];
        long[] sent = new long[s.flows()];
        long[] probes = new long[s.flows()];
        for (int f = 0; f < s.flows(); f++) {
            for (int i = 0; i < samples; i++) {
                delivered[f][i] = receiver.delivered(f, i);
            }
            padding[f] = flows.get(f).paddingSent;
            sent[f] = flows.get(f).bytesSent;
            probes[f] = flows.get(f).bwe.probesSent();
        }
        long[] delayTimes = new long[receiver.delayCount];
        long[] delays = new long[receiver.delayCount];
        for (int i = 0; i < receiver.delayCount; i++) {
            delayTimes[i] = receiver.delayTimes[i] - START;
            delays[i] = receiver.delays[i];
        }
        return new BweRun(s, seed, capacity, estimate, delivered, delayTimes, delays, network.stats(senderAddress, receiverAddress),
                padding, sent, probes, notes);
    }

    /** Bits per second flow {@code flow} delivered over the second ending with sample {@code i}. */
    long goodput(int flow, int i) {
        long bytes = 0;
        for (int k = Math.max(0, i - 9); k <= i; k++) {
            bytes += delivered[flow][k];
        }
        return bytes * 8 * SECOND / (Math.min(i + 1, 10) * BweReceiverNode.BUCKET_NANOS);
    }

    private static int sample(long t) {
        return (int) (t / BweReceiverNode.BUCKET_NANOS);
    }

    /** The first sample in [from, to) whose second of goodput reached 85 % of the capacity, or -1. */
    private int firstConverged(int flow, int from, int to) {
        for (int i = Math.max(from + 9, 0); i < to; i++) {
            if (goodput(flow, i) >= CONVERGED * capacity[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The time the issue allows to converge: 5 s with probing, 10 s without. */
    long convergenceAllowance() {
        return (scenario.probing() ? 5 : 10) * SECOND;
    }

    /** The figures of a single-flow run. */
    record Figures(double convergeSeconds, double utilization, double estimateRatio, double delayP95Millis,
                   double backoffSeconds, double recoverySeconds, double paddingShare, long queueDrops) {
    }

    Figures figures() {
        int end = capacity.length;
        int halve = scenario.halving() ? sample(Scenario.HALVE_AT) : end;
        int restore = scenario.halving() ? sample(Scenario.RESTORE_AT) : end;
        int converged = firstConverged(0, 0, halve);
        double convergeSeconds = converged < 0 ? Double.POSITIVE_INFINITY : (converged + 1) * 0.1;
        double backoff = Double.POSITIVE_INFINITY;
        double recovery = Double.POSITIVE_INFINITY;
        int recovered = -1;
        if (scenario.halving()) {
            for (int i = halve; i < restore; i++) {
                if (estimate[0][i] <= capacity[i]) {
                    backoff = (i - halve + 1) * 0.1;
                    break;
                }
            }
            recovered = firstConverged(0, restore - 9, end);
            recovery = recovered < 0 ? Double.POSITIVE_INFINITY : (recovered - restore + 1) * 0.1;
        }
        // steady state: from the time allowed to converge (or convergence, if later) to the halving, and from
        // recovery to the end
        double utilization = 0;
        double ratio = 0;
        int n = 0;
        List<int[]> windows = new ArrayList<>();
        if (converged >= 0) {
            windows.add(new int[] {Math.max(converged, sample(convergenceAllowance())), halve});
        }
        if (recovered >= 0) {
            windows.add(new int[] {recovered, end});
        }
        for (int[] w : windows) {
            for (int i = w[0]; i < w[1]; i++) {
                utilization += (double) goodput(0, i) / capacity[i];
                ratio += (double) estimate[0][i] / capacity[i];
                n++;
            }
        }
        double p95 = delayPercentile(windows, 0.95) / 1e6;
        double padding = (double) paddingBytes[0] / Math.max(1, sentBytes[0]);
        return new Figures(convergeSeconds, n == 0 ? 0 : utilization / n, n == 0 ? 0 : ratio / n, p95, backoff, recovery, padding,
                forward.queueDropped);
    }

    private double delayPercentile(List<int[]> windows, double quantile) {
        long[] picked = new long[delays.length];
        int n = 0;
        for (int i = 0; i < delays.length; i++) {
            int s = sample(delayTimes[i]);
            for (int[] w : windows) {
                if (s >= w[0] && s < w[1]) {
                    picked[n++] = delays[i];
                    break;
                }
            }
        }
        if (n == 0) {
            return Double.POSITIVE_INFINITY;
        }
        Arrays.sort(picked, 0, n);
        return picked[Math.min(n - 1, (int) Math.ceil(quantile * n) - 1)];
    }

    /** Two flows: each one's share of what both delivered over the last {@code seconds} of the run. */
    double[] shares(int seconds) {
        int end = capacity.length;
        long[] bytes = new long[2];
        for (int f = 0; f < 2; f++) {
            for (int i = end - seconds * 10; i < end; i++) {
                bytes[f] += delivered[f][i];
            }
        }
        double total = bytes[0] + bytes[1];
        return new double[] {bytes[0] / total, bytes[1] / total};
    }

    /** Two flows: combined goodput over the last {@code seconds}, as a fraction of the capacity. */
    double sharedUtilization(int seconds) {
        int end = capacity.length;
        long bytes = 0;
        for (int f = 0; f < 2; f++) {
            for (int i = end - seconds * 10; i < end; i++) {
                bytes += delivered[f][i];
            }
        }
        return bytes * 8.0 / seconds / scenario.capacityBps();
    }

    /** A line per second of flow {@code flow}: capacity, estimate, goodput (for looking at a run). */
    String trace(int flow) {
        return trace(flow, 9, capacity.length, 10);
    }

    /** As {@link #trace(int)}, every {@code step} samples from {@code from} to {@code to}. */
    String trace(int flow, int from, int to, int step) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < Math.min(to, capacity.length); i += step) {
            b.append(String.format("t=%4.1fs cap=%6d est=%6d good=%6d kbit/s %s%n", (i + 1) * 0.1, capacity[i] / 1000,
                    estimate[flow][i] / 1000, goodput(flow, i) / 1000, notes[flow][i]));
        }
        return b.toString();
    }
}
