package io.eddyrtc.perf.net;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.net.PeerLimits;
import io.eddyrtc.net.RtcLoop;
import io.eddyrtc.net.RtcLoopConfig;
import io.eddyrtc.net.UdpBackend;
import io.eddyrtc.net.UdpConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An eddy forwarder on real loopback sockets, measured in its own CPU time: an {@link RtcLoop} (one thread, one
 * socket) takes a publisher's 1,200-byte SRTP (AES-128-GCM) packets, and for each — received, decrypted by the
 * publisher's {@code Rtc}, its SSRC and payload type rewritten, encrypted by each subscriber's {@code Rtc}, sent —
 * forwards one copy per subscriber, 1:1 and 1:10. The publisher and subscribers run in another process
 * ({@link ForwardingLoad}), so this process's CPU time is the forwarder's: reported per forwarded packet (one
 * datagram out to one subscriber) and per received packet, with the loop thread's own CPU time and what it
 * allocated.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar
 * io.eddyrtc.perf.net.ForwardingRun [seconds per case, default 5] [forwarder] [fan-out]}.
 */
public final class ForwardingRun {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The forwarders compared: the backend and whether the forwarder's socket takes GRO. */
    enum Forwarder {
        LINUX_GSO_GRO(UdpBackend.LINUX_BATCHED, true),
        LINUX_GSO(UdpBackend.LINUX_BATCHED, false),
        CHANNEL(UdpBackend.DATAGRAM_CHANNEL, false);

        final UdpBackend backend;
        final boolean gro;

        Forwarder(UdpBackend backend, boolean gro) {
            this.backend = backend;
            this.gro = gro;
        }
    }

    /** One peer of the forwarder. */
    static final class Member {
        final Rtc rtc;
        final boolean publisher;

        Member(Rtc rtc, boolean publisher) {
            this.rtc = rtc;
            this.publisher = publisher;
        }
    }

    /** Every packet from the publisher to every subscriber ({@code Rtc.forwardRtp}: the slot shared, each its own header); counts what was forwarded. */
    static final class Fanout implements RtcLoop.Peers<Member> {
        final List<Member> subscribers = new ArrayList<>();
        final List<Media> media = new ArrayList<>();
        long received;
        long forwarded;

        @Override
        public void onEvent(Member m, Event e) {
            if (e instanceof Event.RtpPacket p && m.publisher) {
                received++;
                int sequenceNumber = p.header().sequenceNumber();
                long timestamp = p.header().timestamp();
                for (int i = 0; i < subscribers.size(); i++) {
                    Media out = media.get(i);
                    if (out == null) {
                        out = subscribers.get(i).rtc.media().getFirst();
                        media.set(i, out);
                    }
                    if (subscribers.get(i).rtc.forwardRtp(p, out.sendStreams().getFirst().ssrc(), out.pt(), sequenceNumber, timestamp)) {
                        forwarded++;
                    }
                }
            }
        }

        @Override
        public void onRemoved(Member m, RtcLoop.Departure departure) {
            System.err.println("forwarder: a peer left: " + departure.reason());
        }
    }

    private ForwardingRun() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<Forwarder> forwarders = args.length > 1 ? List.of(Forwarder.valueOf(args[1])) : List.of(Forwarder.values());
        int[] fanouts = args.length > 2 ? new int[] {Integer.parseInt(args[2])} : new int[] {1, 10};
        System.out.println("| forwarder | fan-out | forwarded packets/s per core (process CPU) | received packets/s per core "
                + "| process CPU ns/forwarded | loop thread CPU ns/forwarded | wall forwarded/s | B allocated/forwarded (loop thread) "
                + "| lost | recvmmsg·sendmmsg calls |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int fanout : fanouts) { // every path compiled before any figure is taken
            for (Forwarder forwarder : forwarders) {
                run(forwarder, fanout, seconds, false);
            }
        }
        for (int fanout : fanouts) {
            for (Forwarder forwarder : forwarders) {
                System.out.println(run(forwarder, fanout, seconds, true));
            }
        }
    }

    /**
     * One case: a forwarder, a generator process, a warm-up of five seconds (the JIT's last compilations: code not
     * compiled yet allocates what escape analysis later removes), then {@code seconds} measured.
     */
    static String run(Forwarder forwarder, int fanout, double seconds, boolean report) throws Exception {
        Fanout fan = new Fanout();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        RtcLoopConfig config = RtcLoopConfig.builder(loopback).name("forwarder").debugPool(false).batchSize(64)
                .limits(PeerLimits.defaults().withMaxPeers(fanout + 1))
                .udp(UdpConfig.builder(loopback).backend(forwarder.backend).gro(forwarder.gro)
                        .receiveBufferBytes(8 << 20).sendBufferBytes(8 << 20).build()).build();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process load = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ForwardingLoad.class.getName(), Integer.toString(fanout)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (RtcLoop<Member> loop = RtcLoop.start(config, fan)) {
            BufferedReader from = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
            PrintStream to = new PrintStream(load.getOutputStream(), true, StandardCharsets.UTF_8);
            for (int i = 0; i <= fanout; i++) {
                String[] offer = expect(from, "OFFER");
                SdpOffer sdp = SdpOffer.fromSdp(ForwardingLoad.decode(offer[2]));
                boolean publisher = i == 0;
                SdpAnswer answer = loop.call(() -> loop.join(Rtc.builder().rtpMode(true).dtls(ForwardingLoad.GCM_128), sdp, rtc -> {
                    Member m = new Member(rtc, publisher);
                    if (!publisher) {
                        fan.subscribers.add(m);
                        fan.media.add(null);
                    }
                    return m;
                }));
                to.println("ANSWER " + i + " " + ForwardingLoad.encode(answer.toSdp()));
            }
            expect(from, "CONNECTED");
            long warmNanos = 5_000_000_000L;
            to.println("GO " + (seconds + warmNanos / 1e9));
            Thread.sleep(warmNanos / 1_000_000);
            Thread loopThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("forwarder"))
                    .findFirst().orElseThrow();
            long[] counts0 = loop.call(() -> new long[] {fan.received, fan.forwarded});
            long wall0 = System.nanoTime();
            long process0 = OS.getProcessCpuTime();
            long thread0 = THREADS.getThreadCpuTime(loopThread.threadId());
            long bytes0 = THREADS.getThreadAllocatedBytes(loopThread.threadId());
            Thread.sleep((long) (seconds * 1000));
            long bytes = THREADS.getThreadAllocatedBytes(loopThread.threadId()) - bytes0;
            long thread = THREADS.getThreadCpuTime(loopThread.threadId()) - thread0;
            long process = OS.getProcessCpuTime() - process0;
            long wall = System.nanoTime() - wall0;
            long[] counts = loop.call(() -> new long[] {fan.received, fan.forwarded});
            long received = counts[0] - counts0[0];
            long forwarded = counts[1] - counts0[1];
            String stats = loop.udpStats();
            String[] done = expect(from, "DONE");
            long sent = Long.parseLong(done[1]);
            long lost = 0;
            for (String r : done[2].split(",")) {
                lost += Math.max(0, sent - Long.parseLong(r));
            }
            if (!report) {
                return "";
            }
            return String.format(Locale.ROOT, "| %s | 1:%d | %,.0f | %,.0f | %.0f | %.0f | %,.0f | %.3f | %d | %s |", forwarder, fanout,
                    forwarded * 1e9 / process, received * 1e9 / process, (double) process / forwarded, (double) thread / forwarded,
                    forwarded * 1e9 / wall, (double) bytes / forwarded, lost, calls(stats));
        } finally {
            load.waitFor();
        }
    }

    /** The next line of the generator, which must start with {@code word}; its fields. */
    private static String[] expect(BufferedReader from, String word) throws Exception {
        String line = from.readLine();
        if (line == null || !line.startsWith(word)) {
            throw new IllegalStateException("the load generator said " + line + " where " + word + " was due");
        }
        return line.split(" ");
    }

    /** "receiveCalls·sendCalls" from the transport's counters. */
    private static String calls(String stats) {
        return field(stats, "receiveCalls") + "·" + field(stats, "sendCalls");
    }

    private static String field(String stats, String name) {
        int at = stats.indexOf(name + "=");
        int end = stats.indexOf(',', at);
        return stats.substring(at + name.length() + 1, end);
    }
}
