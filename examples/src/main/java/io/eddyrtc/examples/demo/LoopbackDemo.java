package io.eddyrtc.examples.demo;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./eddy demo}: two {@link Rtc} peers in one process, each on its own loopback UDP socket and its
 * own thread running the README's loop ({@link UdpRunLoop}). A offers (a video m-line and a data channel)
 * and B answers through SDP, they connect (ICE, DTLS-SRTP, SCTP), A sends the frames of a real VP8 capture
 * through a {@link MediaWriter} at their original pace while both sides exchange data channel messages, and
 * the demo prints what happened: times to connect, frames and messages, loss and round-trip time from the
 * RTCP reports.
 */
public final class LoopbackDemo {

    /** What one peer saw. */
    public record PeerSummary(String name, InetSocketAddress address, boolean controlling, boolean dtlsClient, long connectedAfterNanos,
                              long dtlsConnectedAfterNanos, String srtpProfile, long channelOpenAfterNanos,
                              int messagesSent, int messagesReceived, long bytesReceived,
                              int framesSent, int videoFrames, int keyframes, long videoBytes,
                              Event.MediaEgressStats egress, Event.MediaIngressStats ingress,
                              IceConnectionState finalState, Event.SelectedPairChange selectedPair,
                              long datagramsSent, long datagramsReceived, List<Event> events) {}

    /** What the demo saw, for printing and for tests. */
    public record Summary(PeerSummary a, PeerSummary b, Duration held, int captureFrames) {
        public boolean bothConnected() {
            return a.dtlsConnectedAfterNanos() >= 0 && b.dtlsConnectedAfterNanos() >= 0;
        }

        /** Every video frame A sent (the capture's frames) arrived at B. */
        public boolean videoDelivered() {
            return captureFrames == 0 || b.videoFrames() == captureFrames;
        }

        /** Every message each side sent arrived at the other. */
        public boolean messagesDelivered() {
            return a.messagesSent() > 0 && a.messagesSent() == b.messagesReceived() && b.messagesSent() == a.messagesReceived();
        }
    }

    private LoopbackDemo() {
    }

    public static void main(String[] args) throws Exception {
        Duration hold = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        Summary summary = run(hold);
        print(summary, System.out);
        if (!summary.bothConnected() || !summary.messagesDelivered() || !summary.videoDelivered()) {
            System.exit(1);
        }
    }

    /** Connects two peers over loopback, keeps them up for {@code hold}, then disconnects both. */
    public static Summary run(Duration hold) throws Exception {
        // the wallclock of sender reports: Unix time = System.nanoTime() + offset
        MediaConfig media = MediaConfig.defaults().withWallclockOffset(System.currentTimeMillis() * 1_000_000L - System.nanoTime());
        Rtc a = Rtc.builder().media(media).statsInterval(Duration.ofSeconds(1)).build();
        Rtc b = Rtc.builder().media(media).statsInterval(Duration.ofSeconds(1)).build();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (UdpRunLoop loopA = new UdpRunLoop(a, loopback); UdpRunLoop loopB = new UdpRunLoop(b, loopback)) {
            String videoMid = signal(a, loopA.localAddress(), b, loopB.localAddress());
            AtomicBoolean stop = new AtomicBoolean();
            Peer peerA = new Peer("A", a, loopA, stop);
            Peer peerB = new Peer("B", b, loopB, stop);
            List<RtpCapture.Frame> video = loadFrames();
            peerA.video = video;
            peerA.videoMid = videoMid;
            long start = System.nanoTime();
            peerA.start(start);
            peerB.start(start);
            long giveUp = start + Duration.ofSeconds(10).toNanos();
            while ((peerA.channelOpenAt < 0 || peerB.channelOpenAt < 0) && System.nanoTime() < giveUp && peerA.alive() && peerB.alive()) {
                Thread.sleep(5); // the demo's main thread only watches; each Rtc lives on its own loop thread
            }
            if (peerA.channelOpenAt >= 0 && peerB.channelOpenAt >= 0) {
                Thread.sleep(hold.toMillis()); // meanwhile each loop sends a message every 100 ms
                long videoGiveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (video != null && peerA.nextVideoFrame < video.size() && System.nanoTime() < videoGiveUp) {
                    Thread.sleep(20); // the capture plays at its own pace (about 3.3 s)
                }
                peerA.quiet = true;
                peerB.quiet = true;
                int frames = video == null ? 0 : video.size();
                long landGiveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!allLanded(peerA, peerB, frames) && System.nanoTime() < landGiveUp) {
                    Thread.sleep(20); // the last messages and frames land (a busy machine can take a while)
                }
            }
            stop.set(true);
            peerA.join();
            peerB.join();
            return new Summary(peerA.summary(start, true), peerB.summary(start, false), hold, video == null ? 0 : video.size());
        }
    }

    /** Every message each side sent, and every frame of the capture A played, has arrived at the other side. */
    private static boolean allLanded(Peer a, Peer b, int frames) {
        return a.messagesSent == b.messagesReceived && b.messagesSent == a.messagesReceived && b.videoFrames >= frames;
    }

    /** The VP8 capture's frames with their capture times, or null when the capture is not there. */
    static List<RtpCapture.Frame> loadFrames() throws java.io.IOException {
        RtpCapture capture = loadCapture();
        return capture == null ? null : capture.vp8Frames();
    }

    /** The shared VP8 capture (../shared/testdata/rtp-captures/vp8.pcap), or null when it is not there. */
    static RtpCapture loadCapture() throws java.io.IOException {
        String shared = System.getProperty("eddy.shared", "../shared");
        java.nio.file.Path file = java.nio.file.Path.of(shared, "testdata", "rtp-captures", "vp8.pcap");
        return java.nio.file.Files.isRegularFile(file) ? RtpCapture.read(file) : null;
    }

    /**
     * SDP signalling, as two apps would do it over a signalling channel: A offers a send-only video m-line
     * and a data channel; B answers. Each has one host candidate. Returns the video mid.
     */
    private static String signal(Rtc a, InetSocketAddress addressA, Rtc b, InetSocketAddress addressB) {
        a.addLocalCandidate(Candidate.host(addressA));
        b.addLocalCandidate(Candidate.host(addressB));
        SdpApi api = a.sdpApi();
        Mid video = api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        api.addChannel("demo");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = b.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp())); // text over the "wire"
        a.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(answer.toSdp()));
        return video.value();
    }

    public static void print(Summary s, PrintStream out) {
        out.println("eddy demo: two Rtc peers over loopback UDP, negotiated by SDP offer/answer (ICE, DTLS-SRTP, VP8 video, RTCP, SCTP data channel)");
        for (PeerSummary p : List.of(s.a(), s.b())) {
            out.printf("  %s  %-21s %-11s ICE %s%n", p.name(), text(p.address()), p.controlling() ? "controlling" : "controlled",
                    p.connectedAfterNanos() >= 0
                            ? String.format("connected after %.1f ms", p.connectedAfterNanos() / 1e6)
                            : "did NOT connect");
            out.printf("     DTLS %s%n", p.dtlsConnectedAfterNanos() >= 0
                    ? String.format("connected after %.1f ms (%s), SRTP keys for %s", p.dtlsConnectedAfterNanos() / 1e6,
                            p.dtlsClient() ? "client" : "server", p.srtpProfile())
                    : "did NOT connect");
            out.printf("     data channel %s; %d messages sent, %d received (%d bytes)%n", p.channelOpenAfterNanos() >= 0
                    ? String.format("open after %.1f ms", p.channelOpenAfterNanos() / 1e6) : "did NOT open",
                    p.messagesSent(), p.messagesReceived(), p.bytesReceived());
            if (p.framesSent() > 0) {
                out.printf("     video: %d VP8 frames sent", p.framesSent());
                if (p.egress() != null) {
                    var e = p.egress().stats();
                    out.printf(" in %d RTP packets (%d retransmitted); RTT %s, loss reported by B %.1f %%", e.packets(), e.rtxPackets(),
                            e.rttNanos() < 0 ? "not measured yet" : String.format("%.2f ms", e.rttNanos() / 1e6),
                            100.0 * e.remoteFractionLost() / 256);
                }
                out.println();
            }
            if (p.videoFrames() > 0) {
                out.printf("     video: %d VP8 frames received (%d keyframes, %d bytes)", p.videoFrames(), p.keyframes(), p.videoBytes());
                if (p.ingress() != null) {
                    var i = p.ingress().stats();
                    out.printf("; %d packets, %d lost, jitter %.2f ms", i.packets(), i.cumulativeLost(), i.jitterNanos() / 1e6);
                }
                out.println();
            }
            if (p.selectedPair() != null) {
                out.printf("     selected pair %s -> %s%n", text(p.selectedPair().local().address()),
                        text(p.selectedPair().remote().address()));
            }
            out.printf("     %d datagrams sent, %d received; state before disconnect: %s%n",
                    p.datagramsSent(), p.datagramsReceived(), p.finalState());
        }
        out.printf("  held the call for %d s; every message arrived both ways: %s%n", s.held().toSeconds(), s.messagesDelivered() ? "yes" : "NO");
        if (s.captureFrames() > 0) {
            out.printf("  video: A sent a real VP8 capture's frames (%d) as samples over SRTP; every frame arrived at B: %s%n",
                    s.captureFrames(), s.videoDelivered() ? "yes" : "NO");
        } else {
            out.println("  video: skipped (../shared/testdata/rtp-captures/vp8.pcap not found; set -Deddy.shared=DIR)");
        }
    }

    private static String text(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** One peer: its loop thread and what it saw. */
    private static final class Peer {
        private final String name;
        private final Rtc rtc;
        private final UdpRunLoop loop;
        private final AtomicBoolean stop;
        private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        private volatile long connectedAt = -1;
        private volatile long dtlsConnectedAt = -1;
        private volatile String srtpProfile;
        private volatile long channelOpenAt = -1;
        private volatile int channelId = -1;
        private volatile int messagesSent;
        private volatile int messagesReceived;
        private volatile long bytesReceived;
        private volatile boolean quiet;
        private long nextMessageAt;
        private volatile List<RtpCapture.Frame> video;
        private volatile String videoMid;
        private MediaWriter writer;
        private long videoStartedAt = -1;
        private volatile int nextVideoFrame;
        private volatile int framesSent;
        private volatile Event.MediaEgressStats egress;
        private volatile Event.MediaIngressStats ingress;
        private volatile int videoFrames;
        private volatile int keyframes;
        private volatile long videoBytes;
        private volatile IceConnectionState finalState;
        private volatile Event.SelectedPairChange selected;
        private volatile Throwable failure;
        private Thread thread;

        Peer(String name, Rtc rtc, UdpRunLoop loop, AtomicBoolean stop) {
            this.name = name;
            this.rtc = rtc;
            this.loop = loop;
            this.stop = stop;
        }

        void start(long start) {
            thread = Thread.ofPlatform().name("peer-" + name).start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e);
                        if (e instanceof Event.IceConnectionStateChange c && c.state() == IceConnectionState.CONNECTED && connectedAt < 0) {
                            connectedAt = System.nanoTime() - start;
                        } else if (e instanceof Event.SelectedPairChange p) {
                            selected = p;
                        } else if (e instanceof Event.Connected) {
                            dtlsConnectedAt = System.nanoTime() - start;
                            srtpProfile = String.valueOf(rtc.srtpProfile());
                        } else if (e instanceof Event.ChannelOpen o) {
                            channelOpenAt = System.nanoTime() - start;
                            channelId = o.id();
                        } else if (e instanceof Event.ChannelData d) {
                            messagesReceived++;
                            bytesReceived += d.length();
                        } else if (e instanceof Event.MediaEgressStats stats) {
                            egress = stats;
                        } else if (e instanceof Event.MediaIngressStats stats) {
                            ingress = stats;
                        } else if (e instanceof Event.MediaData m) {
                            videoFrames++;
                            videoBytes += m.data().length;
                            if (m.keyframe()) {
                                keyframes++;
                            }
                        }
                        sendDue();
                    }, () -> {
                        sendDue();
                        return stop.get();
                    });
                    finalState = rtc.iceConnectionState();
                    rtc.disconnect(); // on the loop's own thread: an Rtc is driven by one thread at a time
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            });
        }

        /** Every 100 ms once the channel is open, a message of growing size (on the loop's own thread). */
        private void sendDue() {
            long now = System.nanoTime();
            sendVideoDue(now);
            if (channelId >= 0 && !quiet && now >= nextMessageAt) {
                nextMessageAt = now + 100_000_000L;
                byte[] message = new byte[100 * (messagesSent + 1)];
                java.util.Arrays.fill(message, (byte) messagesSent);
                rtc.channel(channelId).write(true, message);
                messagesSent++;
            }
        }

        /** The capture's frames at their original pace, once connected (on the loop's own thread). */
        private void sendVideoDue(long now) {
            if (video == null || dtlsConnectedAt < 0) {
                return;
            }
            if (videoStartedAt < 0) {
                videoStartedAt = now;
                Media media = rtc.media(videoMid);
                writer = media.writer(media.pt());
            }
            long firstTimestamp = video.getFirst().rtpTimestamp();
            while (nextVideoFrame < video.size() && video.get(nextVideoFrame).atNanos() <= now - videoStartedAt) {
                RtpCapture.Frame f = video.get(nextVideoFrame++);
                if (writer.write(System.currentTimeMillis() * 1_000_000L, MediaTime.of(f.rtpTimestamp() - firstTimestamp, 90_000),
                        f.data())) {
                    framesSent++;
                }
            }
        }

        boolean alive() {
            return thread.isAlive();
        }

        void join() throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("peer " + name + " failed", failure);
            }
        }

        PeerSummary summary(long start, boolean controlling) {
            return new PeerSummary(name, loop.localAddress(), controlling, rtc.isDtlsClient(), connectedAt, dtlsConnectedAt,
                    srtpProfile, channelOpenAt, messagesSent, messagesReceived, bytesReceived, framesSent, videoFrames, keyframes, videoBytes, egress, ingress,
                    finalState, selected,
                    loop.sent(), loop.received(), List.copyOf(events));
        }
    }
}
