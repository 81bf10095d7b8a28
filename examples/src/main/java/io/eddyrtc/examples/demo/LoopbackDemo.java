package io.eddyrtc.examples.demo;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
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
 * own thread running the README's loop ({@link UdpRunLoop}). They signal each other directly (no SDP),
 * connect, hold the call for a while and print what happened.
 *
 * <p>Today the {@code Rtc} wires ICE, DTLS, SRTP keying and data channels, so the demo shows connectivity,
 * the DTLS handshake with its negotiated SRTP profile, and messages both ways over a data channel; media
 * joins the demo when the RTP layer is wired into the facade (the summary says what is missing).
 */
public final class LoopbackDemo {

    /** What one peer saw. */
    public record PeerSummary(String name, InetSocketAddress address, boolean controlling, long connectedAfterNanos,
                              long dtlsConnectedAfterNanos, String srtpProfile, long channelOpenAfterNanos,
                              int messagesSent, int messagesReceived, long bytesReceived,
                              int rtpPacketsSent, int videoFrames, int keyframes, long videoBytes,
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
        Rtc a = Rtc.builder().build();
        Rtc b = Rtc.builder().build();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (UdpRunLoop loopA = new UdpRunLoop(a, loopback); UdpRunLoop loopB = new UdpRunLoop(b, loopback)) {
            signal(a, loopA.localAddress(), b, loopB.localAddress());
            AtomicBoolean stop = new AtomicBoolean();
            Peer peerA = new Peer("A", a, loopA, stop);
            Peer peerB = new Peer("B", b, loopB, stop);
            RtpCapture video = loadCapture();
            peerA.video = video;
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
                while (video != null && peerA.nextVideoPacket < video.packets().size() && System.nanoTime() < videoGiveUp) {
                    Thread.sleep(20); // the capture plays at its own pace (about 3.3 s)
                }
                peerA.quiet = true;
                peerB.quiet = true;
                Thread.sleep(500); // let the last ones land
            }
            stop.set(true);
            peerA.join();
            peerB.join();
            return new Summary(peerA.summary(start, true), peerB.summary(start, false), hold, frames(video));
        }
    }

    /** The shared VP8 capture (../shared/testdata/rtp-captures/vp8.pcap), or null when it is not there. */
    static RtpCapture loadCapture() throws java.io.IOException {
        String shared = System.getProperty("eddy.shared", "../shared");
        java.nio.file.Path file = java.nio.file.Path.of(shared, "testdata", "rtp-captures", "vp8.pcap");
        return java.nio.file.Files.isRegularFile(file) ? RtpCapture.read(file) : null;
    }

    /** Frames in a capture: one per RTP timestamp. */
    static int frames(RtpCapture capture) {
        if (capture == null) {
            return 0;
        }
        java.util.Set<Long> timestamps = new java.util.HashSet<>();
        for (RtpCapture.Packet p : capture.packets()) {
            byte[] r = p.rtp();
            timestamps.add((r[4] & 0xFFL) << 24 | (r[5] & 0xFFL) << 16 | (r[6] & 0xFFL) << 8 | (r[7] & 0xFFL));
        }
        return timestamps.size();
    }

    /** Direct signalling: roles, credentials and one host candidate each, as an app without SDP would. */
    private static void signal(Rtc a, InetSocketAddress addressA, Rtc b, InetSocketAddress addressB) {
        a.directApi().setIceControlling(true);
        b.directApi().setIceControlling(false);
        a.addLocalCandidate(Candidate.host(addressA));
        b.addLocalCandidate(Candidate.host(addressB));
        a.directApi().setRemoteIceCredentials(b.directApi().localIceCredentials());
        b.directApi().setRemoteIceCredentials(a.directApi().localIceCredentials());
        a.addRemoteCandidate(Candidate.host(addressB));
        b.addRemoteCandidate(Candidate.host(addressA));
        a.directApi().setRemoteFingerprint(b.directApi().localDtlsFingerprint());
        b.directApi().setRemoteFingerprint(a.directApi().localDtlsFingerprint());
        a.directApi().startDtls(true);   // A is the DTLS client: it sends its ClientHello once ICE connects
        b.directApi().startDtls(false);
        a.directApi().createDataChannel("demo"); // opens once SCTP is up over DTLS
        b.directApi().receiveMedia("video", 96, io.eddyrtc.engine.media.Codec.VP8); // the capture's VP8 payload type
    }

    public static void print(Summary s, PrintStream out) {
        out.println("eddy demo: two Rtc peers over loopback UDP, signalled directly (ICE, DTLS-SRTP, video, SCTP data channel)");
        for (PeerSummary p : List.of(s.a(), s.b())) {
            out.printf("  %s  %-21s %-11s ICE %s%n", p.name(), text(p.address()), p.controlling() ? "controlling" : "controlled",
                    p.connectedAfterNanos() >= 0
                            ? String.format("connected after %.1f ms", p.connectedAfterNanos() / 1e6)
                            : "did NOT connect");
            out.printf("     DTLS %s%n", p.dtlsConnectedAfterNanos() >= 0
                    ? String.format("connected after %.1f ms (%s), SRTP keys for %s", p.dtlsConnectedAfterNanos() / 1e6,
                            p.controlling() ? "client" : "server", p.srtpProfile())
                    : "did NOT connect");
            out.printf("     data channel %s; %d messages sent, %d received (%d bytes)%n", p.channelOpenAfterNanos() >= 0
                    ? String.format("open after %.1f ms", p.channelOpenAfterNanos() / 1e6) : "did NOT open",
                    p.messagesSent(), p.messagesReceived(), p.bytesReceived());
            if (p.rtpPacketsSent() > 0 || p.videoFrames() > 0) {
                out.printf("     video: %d RTP packets sent, %d VP8 frames received (%d keyframes, %d bytes)%n",
                        p.rtpPacketsSent(), p.videoFrames(), p.keyframes(), p.videoBytes());
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
            out.printf("  video: A replayed a real VP8 capture (%d frames) over SRTP; every frame arrived at B: %s%n",
                    s.captureFrames(), s.videoDelivered() ? "yes" : "NO");
        } else {
            out.println("  video: skipped (../shared/testdata/rtp-captures/vp8.pcap not found; set -Deddy.shared=DIR)");
        }
        out.println("  not in the Rtc yet: RTCP feedback, simulcast and the SdpApi (see the README's status table)");
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
        private volatile RtpCapture video;
        private long videoStartedAt = -1;
        private int nextVideoPacket;
        private volatile int rtpPacketsSent;
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
                            bytesReceived += d.data().length;
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

        /** The capture's RTP packets at their original pace, once connected (on the loop's own thread). */
        private void sendVideoDue(long now) {
            if (video == null || dtlsConnectedAt < 0) {
                return;
            }
            if (videoStartedAt < 0) {
                videoStartedAt = now;
            }
            List<RtpCapture.Packet> packets = video.packets();
            while (nextVideoPacket < packets.size() && packets.get(nextVideoPacket).atNanos() <= now - videoStartedAt) {
                byte[] rtp = packets.get(nextVideoPacket++).rtp();
                if (rtc.writeRtp(java.lang.foreign.MemorySegment.ofArray(rtp), 0, rtp.length)) {
                    rtpPacketsSent++;
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
            return new PeerSummary(name, loop.localAddress(), controlling, connectedAt, dtlsConnectedAt, srtpProfile, channelOpenAt,
                    messagesSent, messagesReceived, bytesReceived, rtpPacketsSent, videoFrames, keyframes, videoBytes, finalState, selected,
                    loop.sent(), loop.received(), List.copyOf(events));
        }
    }
}
