package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.engine.rtcp.RtcpCompound;
import io.eddyrtc.engine.rtcp.RtcpKind;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * One sending flow of the evaluation: a synthetic encoder that makes 30 frames a second at
 * {@code min(estimate, desired)} (less the audio), each ±20 % and a keyframe of four times the size every
 * 7 to 13 s (a viewer joining, a loss too long to repair) which the next half second's frames pay back, as
 * an encoder's rate control does, cut into packets of at most 1200 bytes, plus audio of 120 bytes every 20 ms; a
 * {@link BandwidthEstimator} and a {@link Pacer} as an {@code Rtc} would run them. Audio goes out at once,
 * video when the pacer lets it, padding while a probe runs and no video waits. Each datagram carries its
 * kind, flow, transport-wide number and send time (for the receiver's delay figures).
 */
final class SyntheticSender {
    static final int MAX_PACKET = 1200;
    static final int HEADER = 12;
    static final byte MEDIA = 1;
    static final byte PADDING = 2;
    static final byte AUDIO = 3;
    static final byte FEEDBACK = 4;
    private static final int FPS = 30;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final int AUDIO_BYTES = 120;
    private static final long AUDIO_NANOS = 20_000_000L;
    static final long AUDIO_BPS = AUDIO_BYTES * 8 * 1_000_000_000L / AUDIO_NANOS;
    /** Keyframes come 7 to 13 s apart (a viewer joining, a loss too long to repair), at no fixed phase. */
    private static final long KEYFRAME_MIN_NANOS = 7_000_000_000L;
    private static final long KEYFRAME_SPREAD_NANOS = 6_000_000_000L;

    final int flow;
    final BandwidthEstimator bwe;
    final Pacer pacer;
    private final Random random;
    private final long desiredBps;
    private final long startAt;
    private final ArrayDeque<Integer> video = new ArrayDeque<>();
    private final RtcpCompound compound = new RtcpCompound();
    private long queuedBytes;
    private int audioPending;
    private long nextFrameAt;
    private long nextAudioAt;
    private long nextKeyframeAt = Long.MIN_VALUE;
    /** Bytes a keyframe took over its share, which the following frames give back. */
    private double encoderDebt;
    private int transportSequence;
    private boolean started;
    long bytesSent;
    long paddingSent;
    /**
     * Set (over 0): the video goes at this rate whatever the estimate, as an SFU forwards a layer the publisher
     * encodes: the estimate paces it and sizes nothing. Its keyframes are as the encoder's above.
     */
    long applicationBps;

    SyntheticSender(int flow, BweConfig config, long desiredBps, long startAt, Random random) {
        this.flow = flow;
        this.bwe = new BandwidthEstimator(config);
        this.pacer = new Pacer(config.initialBps());
        this.random = random;
        this.desiredBps = desiredBps;
        this.startAt = startAt;
        this.nextFrameAt = startAt;
        this.nextAudioAt = startAt;
        bwe.setDesiredBitrate(desiredBps);
    }

    long nextDeadline(long now) {
        long next = Math.min(nextFrameAt, nextAudioAt);
        if (started) {
            next = Math.min(next, bwe.nextDeadline());
            if ((bwe.hasProbe() && !pacer.probing()) || audioPending > 0) {
                next = Math.min(next, now);
            }
            next = Math.min(next, pacer.nextSendAt(now, queuedBytes));
        }
        return next;
    }

    void timeout(long now) {
        if (now < startAt) {
            return;
        }
        if (!started) {
            started = true;
            bwe.start(now);
        }
        while (now >= nextAudioAt) {
            audioPending++;
            nextAudioAt += AUDIO_NANOS;
        }
        while (now >= nextFrameAt) {
            encodeFrame(now);
            nextFrameAt += FRAME_NANOS;
        }
        bwe.handleTimeout(now);
        pacer.setEstimate(bwe.estimate());
    }

    private void encodeFrame(long now) {
        long target = Math.max(0, Math.min(bwe.estimate(), desiredBps) - AUDIO_BPS);
        if (applicationBps > 0) {
            target = applicationBps;
            bwe.setCurrentBitrate(now, applicationBps + AUDIO_BPS); // as an SFU says what it forwards
        }
        double budget = target / 8.0 / FPS;
        double bytes = budget * (0.8 + 0.4 * random.nextDouble());
        if (nextKeyframeAt == Long.MIN_VALUE || now >= nextKeyframeAt) {
            nextKeyframeAt = now + KEYFRAME_MIN_NANOS + (long) (random.nextDouble() * KEYFRAME_SPREAD_NANOS);
            encoderDebt += 3 * bytes;
            bytes *= 4;
        } else {
            // the encoder's rate control pays a keyframe back over the next half second, as real ones do
            double repay = Math.min(encoderDebt, budget / 5);
            encoderDebt -= repay;
            bytes -= repay;
        }
        int left = (int) bytes;
        int packets = Math.max(1, (left + MAX_PACKET - HEADER - 1) / (MAX_PACKET - HEADER));
        int each = Math.max(HEADER + 1, left / packets + HEADER);
        for (int i = 0; i < packets; i++) {
            video.add(each);
            queuedBytes += each;
        }
    }

    /** Hands every datagram due at {@code now} to {@code out}. */
    void drain(long now, BiConsumer<Integer, byte[]> out) {
        if (!started) {
            return;
        }
        while (!pacer.probing() && bwe.hasProbe()) {
            pacer.startProbe(now, bwe.nextProbe());
        }
        while (audioPending > 0) {
            audioPending--;
            send(now, AUDIO, AUDIO_BYTES, false, out);
        }
        while (!video.isEmpty() && pacer.canSend(now, queuedBytes)) {
            int size = video.poll();
            queuedBytes -= size;
            send(now, MEDIA, size, true, out);
        }
        if (video.isEmpty()) {
            for (int wanted; (wanted = pacer.paddingWanted(now)) > 0; ) {
                send(now, PADDING, Math.clamp(wanted, 200, MAX_PACKET), true, out);
            }
        }
    }

    private void send(long now, byte kind, int size, boolean paced, BiConsumer<Integer, byte[]> out) {
        byte[] datagram = new byte[size];
        int sequence = transportSequence++ & 0xFFFF;
        datagram[0] = kind;
        datagram[1] = (byte) flow;
        BigEndian.putU16(datagram, 2, sequence);
        BigEndian.putU64(datagram, 4, now);
        int cluster = pacer.onSent(now, size, paced);
        bwe.onPacketSent(now, sequence, size, kind == PADDING, cluster);
        bytesSent += size;
        if (kind == PADDING) {
            paddingSent += size;
        }
        out.accept(flow, datagram);
    }

    /** Feedback from the receiver: RTCP after the two-byte kind and flow. */
    void onFeedback(long now, byte[] datagram) {
        if (!compound.wrap(MemorySegment.ofArray(datagram), 2, datagram.length - 2)) {
            return;
        }
        while (compound.next()) {
            if (compound.kind() == RtcpKind.TRANSPORT_FEEDBACK) {
                bwe.onTransportFeedback(now, compound.transportFeedback().report());
            }
        }
        pacer.setEstimate(bwe.estimate());
    }
}
