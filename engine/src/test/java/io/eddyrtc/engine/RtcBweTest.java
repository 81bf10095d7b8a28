package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.FlightRecordings;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Send-side bandwidth estimation in a whole call: two Rtcs on the virtual network, A sending VP8 (with RTX) and
 * Opus to B through a rate-limited link, sized by A's own estimate as an application would size its encoder
 * ({@code min(estimate, desired)}), with B's transport-wide feedback (and REMB) coming back.
 */
@ExtendWith(SeedExtension.class)
class RtcBweTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final int FPS = 30;
    static final long AUDIO_BPS = 32_000;

    VirtualNetwork net;
    RtcNode a;
    RtcNode b;
    final List<long[]> estimates = new ArrayList<>();

    /** A and B, each built with {@code configure}, connected over {@code aToB} (B to A unlimited, 20 ms). */
    void connect(long seed, LinkConditions aToB, UnaryOperator<RtcConfig.Builder> configure) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(20), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                builder -> configure.apply(builder.statsInterval(java.time.Duration.ofSeconds(1))));
        net = pair.net();
        a = pair.a();
        b = pair.b();
        net.conditions(RtcPair.A, RtcPair.B, aToB);
        PayloadParams vp8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97,
                List.of("nack", "nack pli", "transport-cc", "goog-remb"));
        PayloadParams opus = new PayloadParams(111, CodecParams.of(Codec.OPUS, FormatParams.NONE), -1, List.of("transport-cc"));
        ExtensionMap extensions = new ExtensionMap().set(4, RtpExtension.MID).set(5, RtpExtension.TRANSPORT_WIDE_CC);
        for (Rtc[] ends : new Rtc[][] {{a.rtc(), b.rtc()}, {b.rtc(), a.rtc()}}) {
            long ours = ends[0] == a.rtc() ? 1000 : 2000;
            long theirs = ends[0] == a.rtc() ? 2000 : 1000;
            ends[0].directApi().addMedia("v", MediaKind.VIDEO, Direction.SEND_RECV, List.of(vp8), extensions, ours, ours + 1,
                    List.of(new long[] {theirs, theirs + 1}));
            ends[0].directApi().addMedia("s", MediaKind.AUDIO, Direction.SEND_RECV, List.of(opus), extensions, ours + 10, -1,
                    List.of(new long[] {theirs + 10, -1}));
        }
        a.onEvent(e -> {
            if (e instanceof Event.EgressBitrateEstimate estimate) {
                estimates.add(new long[] {net.now(), estimate.bitsPerSecond()});
            }
        });
        assertTrue(net.runUntil(pair::bothConnected, 10 * S));
    }

    /** A's encoder for {@code nanos}: a frame every 33 ms at {@code min(estimate, desired)} less the audio, audio every 20 ms. */
    void send(long nanos, long desiredBps, Random random) {
        Rtc rtc = a.rtc();
        long end = net.now() + nanos;
        long frame = 0;
        long nextFrameAt = net.now();
        long nextAudioAt = net.now();
        while (net.now() < end) {
            if (net.now() >= nextAudioAt) {
                assertTrue(rtc.media("s").writer(111).write(net.now(), MediaTime.of(net.now() / 20_833, 48_000), new byte[80]));
                nextAudioAt += 20 * MS;
            }
            if (net.now() >= nextFrameAt) {
                long bps = Math.min(rtc.bwe().estimate(), desiredBps) - AUDIO_BPS;
                byte[] data = new byte[(int) Math.max(100, bps / 8 / FPS * (0.8 + 0.4 * random.nextDouble()))];
                data[0] = (byte) (frame % 300 == 0 ? 0x10 : 0x11);
                rtc.media("v").writer(96).write(net.now(), MediaTime.of(frame * 3000, 90_000), data);
                frame++;
                nextFrameAt += S / FPS;
            }
            net.runFor(Math.min(nextAudioAt, nextFrameAt) - net.now());
        }
    }

    long estimateAt(long at) {
        long last = -1;
        for (long[] e : estimates) {
            if (e[0] <= at) {
                last = e[1];
            }
        }
        return last;
    }

    /**
     * 2.5 Mbit/s with a 60 kB queue, 20 ms each way: the probes find the link within two seconds, the estimate
     * stays between 75 % and 100 % of the link's rate (growth stops under the rate packet pairs show), the pacer
     * never overflows the send queue; halved to 1 Mbit/s, the estimate is under it within a second and does not
     * collapse.
     */
    @Test
    void theEstimateFindsARateLimitedLinkAndFollowsItDown(@Seed long seed) {
        LinkConditions link = LinkConditions.perfect().withLatencyMillis(20);
        connect(seed, link.withRate(2_500_000, 60_000), builder -> builder.enableBwe(300_000));
        a.rtc().bwe().setDesiredBitrate(5_000_000);
        long start = net.now();
        send(10 * S, 5_000_000, new Random(seed));
        String trace = trace(start);
        long found = firstAtLeast(start, 0.75 * 2_500_000);
        assertTrue(found >= 0 && found - start < 2 * S, "the link found within 2 s: " + trace);
        for (long[] e : estimates) {
            if (e[0] >= start + 2 * S) {
                assertTrue(e[1] >= 0.75 * 2_500_000 && e[1] <= 2_500_000, "steady between 75 % and 100 % of the link: " + trace);
            }
        }
        net.conditions(RtcPair.A, RtcPair.B, link.withRate(1_000_000, 60_000));
        long halved = net.now();
        send(5 * S, 5_000_000, new Random(seed + 1));
        trace = trace(start);
        assertTrue(estimateAt(halved + S) <= 1_000_000, "under the halved link within a second: " + trace);
        assertTrue(estimateAt(net.now()) >= 600_000, "and not far under it: " + trace);
        assertEquals(0, a.rtc().dropped(RtcDropReason.SEND_BUFFER_FULL), "the pacer is not throttled by the send queue");
        Event.PeerStats stats = lastStats(a);
        assertTrue(stats.egressEstimateBps() > 0 && stats.pacingBps() == (long) (stats.egressEstimateBps() * 2.5),
                "PeerStats carry the estimate and the pacing rate: " + stats);
        assertTrue(a.rtc().bwe().estimate() > 0);
    }

    /**
     * With the estimate held at 300 kbit/s (no probing), a 60 kB keyframe leaves paced at 2.5 × that, over more
     * than half a second, while audio written after it reaches the peer at once. The link is 10 Mbit/s, slow enough
     * for packet pairs to be timed: on a faster one the pacer lets 32 kB go at once ({@code Pacer#setFastPath}).
     */
    @Test
    void audioIsNeverHeldBehindAPacedKeyframe(@Seed long seed) {
        connect(seed, LinkConditions.perfect().withLatencyMillis(20).withRate(10_000_000, 256_000),
                builder -> builder.media(MediaConfig.defaults().withBwe(io.eddyrtc.engine.bwe.BweConfig.startingAt(300_000).withProbing(false))));
        Rtc rtc = a.rtc();
        net.runFor(100 * MS);
        long written = net.now();
        byte[] keyframe = new byte[60_000];
        keyframe[0] = 0x10;
        assertTrue(rtc.media("v").writer(96).write(net.now(), MediaTime.of(0, 90_000), keyframe));
        assertTrue(rtc.media("s").writer(111).write(net.now(), MediaTime.of(0, 48_000), new byte[80]));
        net.runFor(2 * S);
        long audioAt = b.firstEventAt(b.rtc(), e -> e instanceof Event.MediaData m && m.mid().equals("s"));
        long videoAt = b.firstEventAt(b.rtc(), e -> e instanceof Event.MediaData m && m.mid().equals("v"));
        assertTrue(audioAt >= 0 && audioAt - written < 50 * MS, "audio at once: " + (audioAt - written) / MS + " ms");
        assertTrue(videoAt - written > 500 * MS, "the keyframe paced over more than 500 ms: " + (videoAt - written) / MS + " ms");
        assertTrue(videoAt - written < 1_500 * MS, "and not held much longer: " + (videoAt - written) / MS + " ms");
    }

    /** The peer's REMB caps the estimate, however much room the path has. */
    @Test
    void theReceiversRembIsAnUpperBound(@Seed long seed) {
        connect(seed, LinkConditions.perfect().withLatencyMillis(20), builder -> builder.enableBwe(300_000));
        a.rtc().bwe().setDesiredBitrate(5_000_000);
        b.rtc().setReceiveBitrate(700_000);
        long start = net.now();
        send(5 * S, 5_000_000, new Random(seed));
        for (long[] e : estimates) {
            if (e[0] > start + 100 * MS) { // the REMB went out at once, 20 ms away
                assertTrue(e[1] <= 700_000, "never over the REMB once it arrived: " + trace(start));
            }
        }
        assertTrue(a.rtc().bwe().estimate() <= 700_000, "never over the REMB: " + a.rtc().bwe().estimate());
        assertTrue(a.rtc().bwe().estimate() >= 500_000, "up to it: " + trace(start));
    }

    /**
     * Every estimate the application is told of goes on the JFR timeline too, with what the estimator saw: the
     * acknowledged rate, the round trip and the delay signal.
     */
    @Test
    void eachReportedEstimateIsOnTheFlightRecording(@Seed long seed) {
        List<RecordedEvent> recorded;
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.BitrateEstimate")) {
            connect(seed, LinkConditions.perfect().withLatencyMillis(20).withRate(1_000_000, 30_000), builder -> builder.enableBwe(300_000));
            a.rtc().bwe().setDesiredBitrate(2_000_000);
            send(3 * S, 2_000_000, new Random(seed));
            recorded = FlightRecordings.named(recording.stop(), "io.eddyrtc.BitrateEstimate").stream()
                    .filter(e -> e.getLong("rtc") == a.rtc().id()).toList();
        }
        assertEquals(estimates.stream().map(e -> e[1]).toList(), recorded.stream().map(e -> e.getLong("estimate")).toList(),
                "the same estimates, in the same order");
        assertEquals(0, recorded.getFirst().getLong("previous"), "the first has none before it");
        for (int i = 1; i < recorded.size(); i++) {
            assertEquals(recorded.get(i - 1).getLong("estimate"), recorded.get(i).getLong("previous"));
        }
        RecordedEvent last = recorded.getLast();
        assertTrue(last.getLong("acknowledged") > 0 && last.getLong("rtt") >= 40 * MS, last.toString());
        assertTrue(List.of("NORMAL", "OVERUSING", "UNDERUSING").contains(last.getString("usage")), last.toString());
    }

    /** Off by default, as in str0m: nothing is paced or estimated, and asking says how to turn it on. */
    @Test
    void offByDefault(@Seed long seed) {
        connect(seed, LinkConditions.perfect().withLatencyMillis(20), UnaryOperator.identity());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.rtc().bwe());
        assertTrue(e.getMessage().contains("enableBwe"), e.getMessage());
        net.runFor(2 * S);
        Event.PeerStats stats = lastStats(a);
        assertEquals(0, stats.egressEstimateBps());
        assertEquals(0, stats.pacingBps());
        assertTrue(estimates.isEmpty());
    }

    static Event.PeerStats lastStats(RtcNode node) {
        Event.PeerStats last = null;
        for (Event e : node.eventsOf(node.rtc())) {
            if (e instanceof Event.PeerStats s) {
                last = s;
            }
        }
        assertTrue(last != null, "statistics are on");
        return last;
    }

    long firstAtLeast(long from, double bps) {
        for (long[] e : estimates) {
            if (e[0] >= from && e[1] >= bps) {
                return e[0];
            }
        }
        return -1;
    }

    String trace(long start) {
        StringBuilder out = new StringBuilder();
        for (long[] e : estimates) {
            out.append(String.format("%n  %5d ms %,d", (e[0] - start) / MS, e[1]));
        }
        return out.toString();
    }
}
