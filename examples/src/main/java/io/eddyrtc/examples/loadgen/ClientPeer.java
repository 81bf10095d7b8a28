package io.eddyrtc.examples.loadgen;

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
 * One client of the load: an eddy {@code Rtc} in sample mode on a UDP socket of its own (the server tells its peers
 * apart by address), publishing synthetic media into a room or playing it; a held player's datagrams pass a
 * {@link BottleneckLink} on their way in. Made and signalled on the thread that runs the load, then driven by its
 * {@link ClientThread}, on which every other method runs.
 */
final class ClientPeer {
    private static final List<Rid> SIMULCAST = List.of(Rid.of("q"), Rid.of("h"), Rid.of("f"));
    private static final int BATCH = 64;
    private static final int SLOTS_PER_SLAB = 64;

    enum Role { PUBLISH, PLAY }

    final Role role;
    final int room;
    /**
     * The peer's own packet pool: a pool serves one thread, and the peer is made on one and driven on another, so it
     * shares its pool with no other peer. It grows by slabs of 64 slots (128 KiB) as traffic needs.
     */
    private final PacketPool pool;
    final Rtc rtc;
    final UdpTransport transport;
    final InetSocketAddress local;
    final RecvBatch in;
    private final TransmitBatch out = new TransmitBatch(BATCH);
    private final LoadOptions options;
    private final RunTotals totals;
    private SdpPendingOffer pending;
    long deadline = Long.MIN_VALUE;
    boolean connected;
    boolean gone;
    /** The session's URL at the server, once it answered. */
    String location;

    // publishing
    private final SyntheticMedia[] layers;
    private MediaWriter audio;
    private MediaWriter[] video;
    private long nextAudioAt = Long.MAX_VALUE;
    private long nextVideoAt = Long.MAX_VALUE;
    private long audioSequence;
    private long videoSequence;
    private long startedAt;
    /** Per video layer: a keyframe was asked for (PLI). */
    private boolean[] keyframeAsked = new boolean[0];
    private List<Rid> videoRids = List.of();
    // playing
    final PlayerMeter meter;
    /** A held player's bottleneck, or null; {@link #passed} is where a datagram through it is handed over from. */
    final BottleneckLink inbound;
    private final MemorySegment passed;

    /** {@code inbound}: the bottleneck a held player receives through, or null. */
    ClientPeer(Role role, int room, LoadOptions options, RunTotals totals, DtlsCertificate certificate, InetSocketAddress bind,
               BottleneckLink inbound) throws IOException {
        this.role = role;
        this.room = room;
        this.options = options;
        this.totals = totals;
        this.transport = UdpTransport.open(UdpConfig.builder(bind).receiveBufferBytes(1 << 20).sendBufferBytes(1 << 20).build());
        this.local = transport.localAddress();
        this.pool = PacketPool.builder().slotSize(2048).slotsPerSlab(SLOTS_PER_SLAB).build();
        this.in = new RecvBatch(pool, BATCH);
        this.rtc = Rtc.builder().pool(pool).certificate(certificate).build();
        rtc.addLocalCandidate(Candidate.host(local));
        int count = options.simulcast() ? SIMULCAST.size() : 1;
        this.layers = new SyntheticMedia[role == Role.PUBLISH ? count : 0];
        for (int l = 0; l < layers.length; l++) {
            long bitrate = options.videoBitsPerSecond() >> (2 * (count - 1 - l)); // a quarter per layer down
            layers[l] = new SyntheticMedia(options.seed() * 31 + room * 7L + l, bitrate, options.fps(), options.keyframeIntervalSecs(),
                    options.audioBitsPerSecond());
        }
        this.meter = role == Role.PLAY ? new PlayerMeter(totals, options.fps()) : null;
        this.inbound = inbound;
        this.passed = inbound != null ? Arena.ofAuto().allocate(pool.slotSize()) : null;
    }

    /** The offer: audio and video, sent (with three simulcast layers if asked) or received. */
    String offer() {
        SdpApi api = rtc.sdpApi();
        Direction direction = role == Role.PUBLISH ? Direction.SEND_ONLY : Direction.RECV_ONLY;
        api.addMedia(MediaKind.AUDIO, direction);
        api.addMedia(MediaKind.VIDEO, direction, null, null, role == Role.PUBLISH && options.simulcast() ? SIMULCAST : List.of());
        SdpApi.Offer offer = api.apply().orElseThrow();
        pending = offer.pending();
        return offer.offer().toSdp();
    }

    void accept(String answerSdp) {
        rtc.acceptAnswer(pending, SdpAnswer.fromSdp(answerSdp));
        pending = null;
    }

    /** When it next wants a turn: a frame due (publishing, connected), or a datagram leaving its bottleneck. */
    long nextAt() {
        long next = Math.min(nextAudioAt, nextVideoAt);
        return inbound == null ? next : Math.min(next, inbound.nextAt());
    }

    /** A datagram its socket read at {@code now}: to the {@code Rtc}, or for a held player into its bottleneck. */
    void receive(long now, InetSocketAddress source, MemorySegment segment, int length) {
        if (inbound == null) {
            rtc.handleReceive(now, source, local, segment, 0, length);
        } else {
            inbound.offer(now, segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), source);
        }
    }

    /**
     * A held player: hands its {@code Rtc} what left the bottleneck by {@code now}, each with the time it left (later
     * than anything the {@code Rtc} was given before: what left by the last turn was handed over then; call it before
     * the turn's other input).
     */
    void passHeld(long now) {
        if (inbound == null) {
            return;
        }
        for (BottleneckLink.Datagram d; (d = inbound.poll(now)) != null; ) {
            MemorySegment.copy(d.bytes(), 0, passed, ValueLayout.JAVA_BYTE, 0, d.bytes().length);
            rtc.handleReceive(d.leavesAt(), d.source(), local, passed, 0, d.bytes().length);
        }
    }

    /** Writes every frame that is due by {@code now}, each stamped with when it was due and when it went. */
    void writeDue(long now) {
        while (audio != null && nextAudioAt <= now) {
            long due = nextAudioAt;
            FrameStamp stamp = new FrameStamp(2 * room, audioSequence++, due, System.nanoTime());
            if (!audio.write(wallclock(), MediaTime.of((due - startedAt) * 48 / 1_000_000, 48_000), layers[0].audioFrame(stamp))) {
                totals.writeRefusals.increment();
            }
            count(due, 2 * room, now, SyntheticMedia.AUDIO_INTERVAL_NANOS);
            nextAudioAt += SyntheticMedia.AUDIO_INTERVAL_NANOS;
        }
        long interval = 1_000_000_000L / options.fps();
        while (video != null && nextVideoAt <= now) {
            long due = nextVideoAt;
            long sequence = videoSequence++;
            boolean periodic = layers[0].isKeyframe(sequence);
            MediaTime time = MediaTime.of((due - startedAt) * 9 / 100_000, 90_000);
            for (int l = 0; l < video.length; l++) {
                boolean key = periodic || keyframeAsked[l]; // a layer asked for one sends one, as an encoder does
                keyframeAsked[l] = false;
                int shift = video.length - 1 - l;
                FrameStamp stamp = new FrameStamp(2 * room + 1, sequence, due, System.nanoTime());
                byte[] frame = layers[l].videoFrame(stamp, key, 1280 >> shift, 720 >> shift);
                if (!video[l].write(wallclock(), time, frame)) {
                    totals.writeRefusals.increment();
                }
            }
            count(due, 2 * room + 1, now, interval);
            nextVideoAt += interval;
        }
    }

    private void count(long due, int stream, long now, long interval) {
        if (totals.inWindow(due)) {
            totals.scheduled.incrementAndGet(stream);
        }
        if (now - due > interval) {
            totals.lateSends.increment(); // sent more than a frame interval after it was due: the latency counts from due
        }
    }

    private static long wallclock() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    /** Polls the Rtc until it wants time: datagrams out in one batch, events handled. */
    void drain(long now) {
        while (true) {
            Output o = rtc.pollOutput();
            if (o instanceof Output.Timeout t) {
                deadline = t.atNanos();
                break;
            }
            if (o instanceof Output.Transmit x) {
                out.add(x, transport); // false: the pool is out of slots, and the datagram is lost as on a full link
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
                    audioWriter(media);
                } else {
                    videoWriters(media);
                }
            }
            case Event.Connected c -> {
                connected = true;
                if (role == Role.PUBLISH) {
                    startedAt = now;
                    nextAudioAt = audio != null ? now : Long.MAX_VALUE;
                    nextVideoAt = video != null ? now : Long.MAX_VALUE;
                }
            }
            case Event.KeyframeRequest k -> askKeyframe(k.rid());
            case Event.MediaData d -> {
                FrameStamp stamp = FrameStamp.readFrom(d.data());
                if (stamp != null && meter != null) {
                    boolean video = d.codec().kind() == MediaKind.VIDEO;
                    meter.frame(stamp, d.data().length, video, d.arrivedAtNanos());
                    if (video && d.keyframe()) {
                        meter.keyframe(SyntheticMedia.width(d.data()));
                    }
                }
            }
            case Event.Disconnected d -> gone = true;
            default -> { }
        }
    }

    private void audioWriter(Media media) {
        audio = media.writer(media.pt());
    }

    /** The next frame of layer {@code rid} (of every layer when null) is a keyframe. */
    private void askKeyframe(String rid) {
        for (int l = 0; l < keyframeAsked.length; l++) {
            if (rid == null || videoRids.isEmpty() || videoRids.get(l).value().equals(rid)) {
                keyframeAsked[l] = true;
            }
        }
    }

    private void videoWriters(Media media) {
        List<Rid> rids = media.sendRids();
        videoRids = rids;
        video = new MediaWriter[Math.max(1, rids.size())];
        keyframeAsked = new boolean[video.length];
        for (int l = 0; l < video.length; l++) {
            video[l] = media.writer(media.pt());
            if (!rids.isEmpty()) {
                video[l].rid(rids.get(l));
            }
        }
    }

    /** Ends the call (the farewell goes out with the next drain). */
    void leave() {
        if (!gone) {
            rtc.disconnect();
        }
        nextAudioAt = Long.MAX_VALUE;
        nextVideoAt = Long.MAX_VALUE;
        audio = null;
        video = null;
    }

    void close() {
        in.close();
        transport.close();
        try {
            pool.close();
        } catch (RuntimeException stillHeld) { // the Rtc keeps slots for retransmission until it is gone
            System.getLogger(ClientPeer.class.getName()).log(System.Logger.Level.DEBUG, "a client's pool closed with slots held", stillHeld);
        }
    }
}
