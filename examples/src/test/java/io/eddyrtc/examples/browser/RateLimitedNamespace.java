package io.eddyrtc.examples.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TestNamespace} whose link from this machine in is a bottleneck: a token bucket ({@code tc tbf}) on
 * this machine's end of the veth pair holds what goes to the namespace to a rate, with a burst of about one
 * packet and a queue of about {@link #QUEUE_MILLIS} at that rate, as a home link's downstream does. What the
 * namespace sends out is not limited. A browser started through {@link #launcher()} receives through the
 * bottleneck. Needs root, {@code ip} and {@code tc} ({@code ci/prereqs.d/reach.sh}); removed on {@link #close()}.
 */
public final class RateLimitedNamespace extends TestNamespace {
    /** How long a packet may wait in the bottleneck's queue before it is dropped. */
    public static final int QUEUE_MILLIS = 200;

    private RateLimitedNamespace() throws IOException, InterruptedException {
        super("shaped", 232, "/usr/sbin/tc");
    }

    /** Makes the namespace with its way in held to {@code bitsPerSecond}. */
    public static RateLimitedNamespace create(long bitsPerSecond) throws IOException, InterruptedException {
        RateLimitedNamespace made = new RateLimitedNamespace();
        try {
            made.shape("add", bitsPerSecond);
        } catch (IOException | InterruptedException | RuntimeException e) {
            made.close();
            throw e;
        }
        return made;
    }

    /** Holds the way in to {@code bitsPerSecond} from now on. */
    public void setRate(long bitsPerSecond) throws IOException, InterruptedException {
        shape("change", bitsPerSecond);
    }

    /** The bottleneck's own counters ({@code tc -s qdisc}): what it sent, dropped and held back, for a failure message. */
    public String bottleneckStats() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/tc", "-s", "qdisc", "show", "dev", hostLink()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(tc failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private void shape(String verb, long bitsPerSecond) throws IOException, InterruptedException {
        // a strict bottleneck: a burst of about one packet (or 4 ms at the rate, what the kernel's timer needs), so
        // that a short probe cannot pass at line rate and measure the bucket instead of the link
        long burst = Math.max(1_600, bitsPerSecond / 8 / 250);
        onHost("tc", "qdisc", verb, "dev", hostLink(), "root", "tbf", "rate", bitsPerSecond + "bit", "burst", String.valueOf(burst),
                "latency", QUEUE_MILLIS + "ms");
    }
}
