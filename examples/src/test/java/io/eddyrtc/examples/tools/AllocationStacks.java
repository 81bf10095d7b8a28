package io.eddyrtc.examples.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a recording made with {@code --jfr} and lists where the heap went in steady state: from {@code SETTLE}
 * seconds after the last {@code io.eddyrtc.StreamAdded} (the last member's streams set up) until the first stream
 * pauses or is removed or an ICE state changes (the load stopped, someone left, the server shut down), or the end,
 * or at most {@code SECONDS} long.
 * First what each thread allocated then ({@code jdk.ThreadAllocationStatistics} snapshots in the window), then the
 * allocation events in it, grouped by the innermost eddy frame of their stack (or the innermost frame when no eddy
 * code is on it), weighted by the bytes each stands for: every TLAB refill and allocation outside one
 * ({@code jdk.ObjectAllocationInNewTLAB}, {@code jdk.ObjectAllocationOutsideTLAB}) when the recording has them —
 * exact, and with small TLABs fine-grained — else the throttled {@code jdk.ObjectAllocationSample}s. A stack is on eddy's packet path
 * when it passes through {@code Rtc.handleReceive}, {@code handleTimeout}, {@code pollOutput}, {@code writeRtp},
 * {@code forwardRtp} or {@code MediaWriter.write}, through a turn of the server loop ({@code RtcLoop.turn}), or
 * through the transport's receive, send and wait and the system calls they make ({@code UdpTransport},
 * {@code LinuxUdpSocket.await}, {@code LinuxCalls}, {@code ReceiveMessages}, {@code SendMessages}) — except work another
 * thread handed the loop ({@code RtcLoop.call}: a join, a stats query), which runs in a turn but per request, not per
 * packet. The table says so per site.
 *
 * <p>Run like {@link ChatLoad}: {@code java -cp ... io.eddyrtc.examples.tools.AllocationStacks FILE.jfr [SETTLE] [TOP] [SECONDS]
 * [samples]}; {@code samples} reads the {@code jdk.ObjectAllocationSample}s even when the TLAB events are there.
 */
public final class AllocationStacks {
    /** Methods whose every call is per packet, per batch of packets or per wait for them. */
    private static final List<String> PACKET_PATH = List.of("io.eddyrtc.engine.Rtc.handleReceive", "io.eddyrtc.engine.Rtc.handleTimeout",
            "io.eddyrtc.engine.Rtc.pollOutput", "io.eddyrtc.engine.Rtc.writeRtp", "io.eddyrtc.engine.Rtc.forwardRtp",
            "io.eddyrtc.engine.MediaWriter.write", "io.eddyrtc.net.RtcLoop.turn",
            "io.eddyrtc.net.LinuxUdpTransport.receive", "io.eddyrtc.net.LinuxUdpTransport.send",
            "io.eddyrtc.net.ChannelUdpTransport.receive", "io.eddyrtc.net.ChannelUdpTransport.send",
            "io.eddyrtc.net.TransmitBatch.send", "io.eddyrtc.net.UdpPollSet.await", "io.eddyrtc.net.internal.LinuxUdpSocket.await");
    /** Classes all of whose methods are: the transport's system calls and the native memory they fill and read. */
    private static final List<String> PACKET_PATH_CLASSES = List.of("io.eddyrtc.net.internal.LinuxCalls",
            "io.eddyrtc.net.internal.ReceiveMessages", "io.eddyrtc.net.internal.SendMessages");
    /** How work another thread hands the loop ({@code RtcLoop.call}) runs in a turn: per request, not per packet. */
    private static final String HANDED_OVER = "java.util.concurrent.FutureTask.run";

    /** Events that end the steady state: a stream paused or removed (the load stopped), an ICE change (someone left). */
    private static final List<String> ENDS_STEADY_STATE = List.of("io.eddyrtc.StreamPaused", "io.eddyrtc.StreamRemoved",
            "io.eddyrtc.IceState");

    private record Site(String frame, boolean packetPath, String stack) {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long settle = args.length > 1 ? Long.parseLong(args[1]) : 5;
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        long longest = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE / 2_000_000_000L;
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Instant lastJoin = events.stream().filter(e -> e.getEventType().getName().equals("io.eddyrtc.StreamAdded"))
                .map(RecordedEvent::getStartTime).max(Instant::compareTo).orElseThrow(() ->
                        new IllegalArgumentException(file + " has no io.eddyrtc.StreamAdded: was it recorded with eddy.jfc?"));
        Instant from = lastJoin.plusSeconds(settle);
        Instant end = events.stream().filter(e -> ENDS_STEADY_STATE.contains(e.getEventType().getName()) && e.getStartTime().isAfter(from))
                .map(RecordedEvent::getStartTime).min(Instant::compareTo)
                .orElse(events.stream().map(RecordedEvent::getEndTime).max(Instant::compareTo).orElseThrow());
        if (end.isAfter(from.plusSeconds(longest))) {
            end = from.plusSeconds(longest);
        }
        if (args.length > 4 && !args[4].equals("samples")) {
            throw new IllegalArgumentException("the fifth argument can only be 'samples' (read jdk.ObjectAllocationSample), not " + args[4]);
        }
        boolean samplesAsked = args.length > 4;
        boolean everyTlab = !samplesAsked && events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.ObjectAllocationInNewTLAB"));
        List<String> kinds = everyTlab ? List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB")
                : List.of("jdk.ObjectAllocationSample");
        Map<Site, long[]> bySite = new HashMap<>();
        long total = 0;
        long samples = 0;
        for (RecordedEvent e : events) {
            if (!kinds.contains(e.getEventType().getName()) || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(end)) {
                continue;
            }
            long weight = switch (e.getEventType().getName()) {
                case "jdk.ObjectAllocationInNewTLAB" -> e.getLong("tlabSize");
                case "jdk.ObjectAllocationOutsideTLAB" -> e.getLong("allocationSize");
                default -> e.getLong("weight");
            };
            total += weight;
            samples++;
            long[] sum = bySite.computeIfAbsent(site(e), s -> new long[2]);
            sum[0] += weight;
            sum[1]++;
        }
        double seconds = Duration.between(from, end).toMillis() / 1000.0;
        threads(events, from, end);
        System.out.printf("steady state: %.1f s (from %d s after the last stream was added), %d %s standing for %.2f MB "
                + "(%.3f MB/s)%n%n", seconds, settle, samples, String.join(" and ", kinds), total / 1e6, total / 1e6 / seconds);
        System.out.printf("%9s %6s  %-6s %s%n", "B/s", "share", "packet", "innermost eddy frame (else the innermost) < its callers");
        List<Map.Entry<Site, long[]>> sorted = new ArrayList<>(bySite.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<Site, long[]> s : sorted.subList(0, Math.min(top, sorted.size()))) {
            System.out.printf("%,9.0f %5.1f%%  %-6s %s%n", s.getValue()[0] / seconds, 100.0 * s.getValue()[0] / total,
                    s.getKey().packetPath() ? "yes" : "no", s.getKey().stack());
        }
    }

    /**
     * Per thread, what it allocated between the first and the last {@code jdk.ThreadAllocationStatistics} snapshot
     * within {@code from}..{@code end}: the exact figure the samples estimate.
     */
    private static void threads(List<RecordedEvent> events, Instant from, Instant end) {
        Map<String, RecordedEvent> first = new HashMap<>();
        Map<String, RecordedEvent> last = new HashMap<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("jdk.ThreadAllocationStatistics") && !e.getStartTime().isBefore(from)
                    && !e.getStartTime().isAfter(end)) {
                String thread = e.getThread("thread") == null ? "?" : e.getThread("thread").getJavaName();
                first.putIfAbsent(thread, e);
                last.put(thread, e);
            }
        }
        System.out.println("allocated per thread between the first and last snapshot (jdk.ThreadAllocationStatistics) in steady state:");
        first.forEach((thread, a) -> {
            RecordedEvent b = last.get(thread);
            double span = Duration.between(a.getStartTime(), b.getStartTime()).toMillis() / 1000.0;
            long bytes = b.getLong("allocated") - a.getLong("allocated");
            if (span > 0 && bytes > 0) {
                System.out.printf("  %-32s %,12d bytes in %.0f s (%,.0f B/s)%n", thread, bytes, span, bytes / span);
            }
        });
        System.out.println();
    }

    private static Site site(RecordedEvent e) {
        String allocated = e.getClass("objectClass").getName();
        if (e.getStackTrace() == null) {
            return new Site(allocated, false, allocated + " (no stack)");
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        int eddy = -1;
        boolean packetPath = false;
        boolean handedOver = false;
        for (int i = 0; i < frames.size(); i++) {
            RecordedFrame frame = frames.get(i);
            String name = name(frame);
            if (eddy < 0 && name.startsWith("io.eddyrtc.")) {
                eddy = i;
            }
            packetPath |= PACKET_PATH.contains(name) || PACKET_PATH_CLASSES.contains(frame.getMethod().getType().getName());
            // Frames run from the allocation outwards: a task's frames come before the turn that runs it. A task
            // that itself calls a packet-path method (an Rtc's handleTimeout, say) stays on the packet path.
            handedOver |= !packetPath && name.equals(HANDED_OVER);
        }
        packetPath &= !handedOver;
        int at = Math.max(eddy, 0);
        StringBuilder stack = new StringBuilder(allocated).append(" @ ");
        for (int i = at; i < Math.min(frames.size(), at + 4); i++) {
            stack.append(i == at ? "" : " < ").append(shortName(frames.get(i)));
        }
        return new Site(name(frames.get(at)), packetPath, stack.toString());
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String shortName(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }
}
