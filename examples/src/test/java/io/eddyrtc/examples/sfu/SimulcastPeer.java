package io.eddyrtc.examples.sfu;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.MediaWriter;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpPendingOffer;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.net.InetSocketAddressCache;
import io.eddyrtc.net.RecvBatch;
import io.eddyrtc.net.TransmitBatch;
import io.eddyrtc.net.UdpConfig;
import io.eddyrtc.net.UdpTransport;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An eddy {@code Rtc} in sample mode on a UDP socket of its own, publishing three simulcast layers by WHIP or playing
 * by WHEP, for a test that drives it on its own thread (every method on that thread). The publisher sends VP8-shaped
 * frames at {@link #LAYER_BPS} and 30 frames a second (a keyframe on every layer every {@value #KEYFRAME_EVERY}
 * frames and whenever one is asked for), each carrying its layer's number in byte {@value #LAYER_BYTE}, and 20 ms
 * audio frames. A player reads the layer of every video frame it receives and the longest gap between two. A
 * player's incoming datagrams may pass a {@link TokenBucketLink} first: a bottleneck on its way in.
 */
final class SimulcastPeer implements AutoCloseable {
    static final List<Rid> LAYERS = List.of(Rid.of("q"), Rid.of("h"), Rid.of("f"));
    /** The layers' rates, lowest first. */
    static final long[] LAYER_BPS = {150_000, 500_000, 1_500_000};
    private static final int FPS = 30;
    private static final int KEYFRAME_EVERY = 2 * FPS;
    private static final int LAYER_BYTE = 10;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final long AUDIO_NANOS = 20_000_000L;

    enum Role { PUBLISH, PLAY }

    final Role role;
    final Rtc rtc;
    final UdpTransport transport;
    final InetSocketAddress local;
    private final PacketPool pool = PacketPool.builder().slotSize(2048).slotsPerSlab(64).build();
    private final RecvBatch in = new RecvBatch(pool, 64);
    private final TransmitBatch out = new TransmitBatch(64);
    private final InetSocketAddressCache addresses = new InetSocketAddressCache(16);
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment passed = arena.allocate(2048);
    /** The bottleneck on its way in, or null. */
    final TokenBucketLink inbound;
    private SdpPendingOffer pending;
    long deadline = Long.MIN_VALUE;
    boolean connected;

    // publishing
    private MediaWriter audio;
    private MediaWriter[] video;
    private long startedAt;
    private long nextVideoAt = Long.MAX_VALUE;
    private long nextAudioAt = Long.MAX_VALUE;
    private long videoFrames;
    private boolean keyframeAsked;
    long keyframeRequests;

    // playing
    /** The layer of the last video frame received, -1 before one. */
    int layer = -1;
    long videoFramesReceived;
    long audioFramesReceived;
    private long lastVideoAt = Long.MIN_VALUE;
    private long longestGapSince = Long.MIN_VALUE;
    private long longestGap;
    /** Frames received per layer since {@link #countLayersFromNow}. */
    final long[] framesPerLayer = new long[LAYERS.size()];

    SimulcastPeer(Role role, DtlsCertificate certificate, TokenBucketLink inbound) throws IOException {
        this.role = role;
        this.inbound = inbound;
        this.transport = UdpTransport.open(UdpConfig.builder(new InetSocketAddress("127.0.0.1", 0)).receiveBufferBytes(1 << 20)
                .sendBufferBytes(1 << 20).build());
        this.local = transport.localAddress();
        this.rtc = Rtc.builder().pool(pool).certificate(certificate).build();
        rtc.addLocalCandidate(Candidate.host(local));
    }

    /** The offer: audio, and video sent as three simulcast layers or received. */
    String offer() {
        SdpApi api = rtc.sdpApi();
        Direction direction = role == Role.PUBLISH ? Direction.SEND_ONLY : Direction.RECV_ONLY;
        api.addMedia(MediaKind.AUDIO, direction);
        api.addMedia(MediaKind.VIDEO, direction, null, null, role == Role.PUBLISH ? LAYERS : List.of());
        SdpApi.Offer offer = api.apply().orElseThrow();
        pending = offer.pending();
        return offer.offer().toSdp();
    }

    void accept(String answerSdp) {
        rtc.acceptAnswer(pending, SdpAnswer.fromSdp(answerSdp));
        pending = null;
    }

    /** When it next wants a turn: a timer of its {@code Rtc}, a frame due, or a datagram through its bottleneck. */
    long nextAt(long now) {
        long next = Math.min(deadline, Math.min(nextVideoAt, nextAudioAt));
        return inbound == null ? next : Math.min(next, inbound.nextAt(now));
    }

    /** One turn at {@code now}: frames due written, timers run, datagrams received (or queued at the bottleneck) handed over, output sent. */
    void turn(long now) {
        writeDue(now);
        if (now >= deadline) {
            rtc.handleTimeout(now);
        }
        int n = transport.receive(in, 0);
        for (int i = 0; i < n; i++) {
            InetSocketAddress source = addresses.get(in.source(i));
            if (inbound == null) {
                rtc.handleReceive(now, source, local, in.segment(i), 0, in.length(i));
            } else {
                inbound.offer(now, in.segment(i).asSlice(0, in.length(i)).toArray(ValueLayout.JAVA_BYTE), source);
            }
        }
        if (inbound != null) {
            for (TokenBucketLink.Datagram d; (d = inbound.poll(now)) != null; ) {
                MemorySegment.copy(d.bytes(), 0, passed, ValueLayout.JAVA_BYTE, 0, d.bytes().length);
                rtc.handleReceive(now, d.source(), local, passed, 0, d.bytes().length);
            }
        }
        drain(now);
    }

    private void drain(long now) {
        while (true) {
            Output o = rtc.pollOutput();
            if (o instanceof Output.Timeout t) {
                deadline = t.atNanos();
                break;
            }
            if (o instanceof Output.Transmit x) {
                out.add(x, transport);
            } else if (o instanceof Event e) {
                onEvent(e, now);
            }
        }
        out.send(transport);
    }

    private void onEvent(Event e, long now) {
        switch (e) {
            case Event.MediaAdded a when a.direction() == Direction.SEND_ONLY -> {
                Media media = rtc.media(a.mid());
                if (a.kind() == MediaKind.AUDIO) {
                    audio = media.writer(media.pt());
                } else {
                    video = new MediaWriter[LAYERS.size()];
                    for (int l = 0; l < video.length; l++) {
                        video[l] = media.writer(media.pt()).rid(LAYERS.get(l));
                    }
                }
            }
            case Event.Connected c -> {
                connected = true;
                if (role == Role.PUBLISH) {
                    startedAt = now;
                    nextVideoAt = now;
                    nextAudioAt = now;
                }
            }
            case Event.KeyframeRequest k -> {
                keyframeAsked = true;
                keyframeRequests++;
            }
            case Event.MediaData d when d.codec().kind() == MediaKind.VIDEO -> received(d, now);
            case Event.MediaData d -> audioFramesReceived++;
            default -> { }
        }
    }

    private void received(Event.MediaData d, long now) {
        if (d.data().length <= LAYER_BYTE) {
            return;
        }
        layer = d.data()[LAYER_BYTE];
        if (layer >= 0 && layer < framesPerLayer.length) {
            framesPerLayer[layer]++;
        }
        videoFramesReceived++;
        if (lastVideoAt != Long.MIN_VALUE && lastVideoAt >= longestGapSince) {
            longestGap = Math.max(longestGap, now - lastVideoAt);
        }
        lastVideoAt = now;
    }

    /** Counts the frames of each layer and the longest gap between frames from now on. */
    void countLayersFromNow(long now) {
        java.util.Arrays.fill(framesPerLayer, 0);
        longestGapSince = now;
        longestGap = 0;
    }

    /** The longest time between two video frames since {@link #countLayersFromNow}, and up to {@code now}. */
    long longestGap(long now) {
        long open = lastVideoAt == Long.MIN_VALUE ? now - longestGapSince : now - Math.max(lastVideoAt, longestGapSince);
        return Math.max(longestGap, open);
    }

    private void writeDue(long now) {
        while (audio != null && nextAudioAt <= now) {
            byte[] frame = new byte[80];
            frame[0] = (byte) 0xF8; // Opus TOC: CELT fullband 20 ms, one frame
            audio.write(wallclock(), MediaTime.of((nextAudioAt - startedAt) * 48 / 1_000_000, 48_000), frame);
            nextAudioAt += AUDIO_NANOS;
        }
        while (video != null && nextVideoAt <= now) {
            boolean key = keyframeAsked || videoFrames % KEYFRAME_EVERY == 0;
            keyframeAsked = false;
            MediaTime time = MediaTime.of((nextVideoAt - startedAt) * 9 / 100_000, 90_000);
            for (int l = 0; l < video.length; l++) {
                video[l].write(wallclock(), time, vp8Frame(l, key));
            }
            videoFrames++;
            nextVideoAt += FRAME_NANOS;
        }
    }

    /** A VP8 frame of layer {@code l}: its frame tag (and a keyframe's start code and size), the layer's number, padding. */
    private static byte[] vp8Frame(int l, boolean key) {
        int size = (int) (LAYER_BPS[l] / 8 / FPS);
        byte[] frame = new byte[key ? 2 * size : size];
        int partition = Math.min(frame.length, 0x7FFFF);
        frame[0] = (byte) ((key ? 0 : 1) | 0x10 | (partition & 0x07) << 5); // RFC 6386 §9.1: P, version 0, show_frame
        frame[1] = (byte) (partition >> 3);
        frame[2] = (byte) (partition >> 11);
        if (key) {
            int width = 1280 >> (2 - l);
            int height = 720 >> (2 - l);
            frame[3] = (byte) 0x9d;
            frame[4] = (byte) 0x01;
            frame[5] = (byte) 0x2a;
            frame[6] = (byte) width;
            frame[7] = (byte) (width >> 8);
            frame[8] = (byte) height;
            frame[9] = (byte) (height >> 8);
        }
        frame[LAYER_BYTE] = (byte) l;
        return frame;
    }

    private static long wallclock() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public void close() {
        rtc.disconnect();
        drain(System.nanoTime());
        in.close();
        transport.close();
        arena.close();
        try {
            pool.close();
        } catch (RuntimeException stillHeld) { // the Rtc keeps slots for retransmission until it is gone
            System.getLogger(SimulcastPeer.class.getName()).log(System.Logger.Level.DEBUG, "a pool closed with slots held", stillHeld);
        }
    }
}
