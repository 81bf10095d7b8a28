package io.eddyrtc.engine.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Turns the RTP packets of one stream (one SSRC and payload type) into whole frames, in order:
 * packets go in with {@link #push}, complete frames come out of {@link #pop}.
 *
 * <p>Packets are copied into a fixed ring of preallocated slots indexed by extended sequence number,
 * so reordering within the window costs nothing extra and a duplicate is recognised by its slot. A
 * frame is the run of consecutive sequence numbers between a frame start and a frame end (the codec
 * says which payloads are which; a change of RTP timestamp also ends a frame). It is emitted only when
 * every packet of it is present. A frame with a hole is never emitted: the assembler waits for the
 * missing packet (a retransmission may fill it) until {@code holdBackFrames} complete frames queue up
 * behind it, or the window is full; then it gives up on everything before the next complete frame,
 * counts the loss, and emits that frame with {@link #frameContiguous()} false. A packet with an
 * empty payload is padding (bandwidth probes share the media's sequence numbers): it fills its
 * sequence number and nothing else, so it neither breaks nor joins frames. Until the first frame is
 * out, a packet older than the first one received may still lead the stream, and a frame joined
 * midway is given up as soon as a complete one follows.
 *
 * <p>Allocation: none per packet. The slots and the {@link FrameBuffer} are made once; the frame
 * buffer grows rarely, up to {@code maxFrameBytes}. A frame bigger than that is dropped and counted.
 * Network input never throws: bad payloads are dropped and counted by reason.
 */
public final class FrameAssembler {
    private static final long EMPTY = Long.MIN_VALUE;

    private final Depacketizer depacketizer;
    private final FrameBuffer frame;
    private final int holdBackFrames;
    private final int mask;
    private final int slotBytes;
    private final MemorySegment slotData;
    private final long[] slotSeq;
    private final long[] slotTimestamp;
    private final int[] slotLength;
    private final boolean[] slotHead;
    private final boolean[] slotTail;
    private final boolean[] slotPadding;

    /** The lowest sequence number not yet emitted or given up; {@code EMPTY} before the first packet. */
    private long next = EMPTY;
    private long highest = EMPTY;
    /** What is known of packet {@code next - 1}: whether it was present, its timestamp, whether it ended a frame. */
    private boolean previousKnown;
    private long previousTimestamp;
    private boolean previousTail;
    private boolean lostSinceEmitted;
    /** False until the first frame is emitted or given up: before that, an older packet may still lead. */
    private boolean started;
    /** Where {@link #frameEnd} may continue scanning for the frame starting at {@code resumeStart}. */
    private long resumeStart = EMPTY;
    private long resumeAt;

    private long frameTimestamp;
    private long frameFirstSequence;
    private long frameLastSequence;
    private boolean frameKeyframe;
    private boolean frameContiguous;
    private int frameTemporalLayer;
    private int framePictureId;
    private final TemporalContiguity layers = new TemporalContiguity();

    private long framesEmitted;
    private long framesDropped;
    private long framesOversize;
    private long framesMalformed;
    private long framesUndecodable;
    private long packetsDuplicate;
    private long packetsLate;
    private long packetsOversize;
    private long packetsDiscarded;
    private long packetsPadding;

    /**
     * @param depacketizer the codec's depacketizer, used by this assembler only
     * @param windowPackets packets held at most (rounded up to a power of two), e.g. 128
     * @param maxPayloadBytes largest RTP payload kept (a slot's size), e.g. 1500
     * @param maxFrameBytes largest frame emitted; larger ones are dropped
     * @param holdBackFrames complete frames to hold behind a hole while waiting for it to be filled;
     *     0 gives up on a hole as soon as a later frame is complete
     */
    public FrameAssembler(Depacketizer depacketizer, int windowPackets, int maxPayloadBytes, int maxFrameBytes,
            int holdBackFrames) {
        if (windowPackets < 2 || windowPackets > 1 << 16 || maxPayloadBytes <= 0 || holdBackFrames < 0) {
            throw new IllegalArgumentException("window 2..65536 packets, a positive payload size and a hold-back >= 0");
        }
        this.depacketizer = depacketizer;
        this.frame = new FrameBuffer(maxFrameBytes);
        this.holdBackFrames = holdBackFrames;
        int slots = Integer.highestOneBit(windowPackets - 1) << 1;
        if ((long) slots * maxPayloadBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("window of " + slots + " packets of " + maxPayloadBytes
                    + " bytes is over 2 GiB: use fewer packets or smaller payloads");
        }
        this.mask = slots - 1;
        this.slotBytes = maxPayloadBytes;
        this.slotData = MemorySegment.ofArray(new byte[slots * maxPayloadBytes]);
        this.slotSeq = new long[slots];
        this.slotTimestamp = new long[slots];
        this.slotLength = new int[slots];
        this.slotHead = new boolean[slots];
        this.slotTail = new boolean[slots];
        this.slotPadding = new boolean[slots];
        Arrays.fill(slotSeq, EMPTY);
    }

    /** A video assembler: 512 packets, 1500-byte payloads, frames up to 4 MiB, 30 frames held behind a hole. */
    public static FrameAssembler forVideo(Depacketizer depacketizer) {
        return new FrameAssembler(depacketizer, 512, 1500, 4 << 20, 30);
    }

    /** An audio assembler: 32 packets, 1500-byte payloads, 15 frames held behind a hole. */
    public static FrameAssembler forAudio(Depacketizer depacketizer) {
        return new FrameAssembler(depacketizer, 32, 1500, 1500, 15);
    }

    /**
     * Takes one packet: its extended (64-bit, unwrapped) sequence number, RTP timestamp, marker bit
     * and payload window. The payload is copied; the caller may reuse its memory at once. Returns
     * false if the packet was dropped (duplicate, too late, too big, or a bad window), which is counted.
     */
    public boolean push(long sequence, long timestamp, boolean marker, MemorySegment payload, long offset, int length) {
        if (length < 0 || offset < 0 || offset > payload.byteSize() - length || sequence < 0) {
            packetsDiscarded++;
            return false;
        }
        if (length > slotBytes) {
            packetsOversize++;
            return false;
        }
        if (next == EMPTY) {
            next = sequence;
            highest = sequence;
        }
        if (sequence < next) {
            if (started || highest - sequence > mask) {
                packetsLate++;
                return false;
            }
            next = sequence; // the stream's first packets arrived out of order: nothing consumed yet
        }
        if (sequence - next > mask) {
            makeRoomFor(sequence);
        }
        int slot = (int) (sequence & mask);
        if (slotSeq[slot] == sequence) {
            packetsDuplicate++;
            return false;
        }
        slotSeq[slot] = sequence;
        slotTimestamp[slot] = timestamp;
        slotLength[slot] = length;
        slotPadding[slot] = length == 0;
        if (length == 0) {
            packetsPadding++;
            slotHead[slot] = false;
            slotTail[slot] = false;
        } else {
            slotHead[slot] = depacketizer.isFrameStart(payload, offset, length);
            slotTail[slot] = depacketizer.isFrameEnd(payload, offset, length, marker);
        }
        MemorySegment.copy(payload, offset, slotData, (long) slot * slotBytes, length);
        if (sequence > highest) {
            highest = sequence;
        }
        return true;
    }

    /**
     * Emits the next complete frame, if any: returns true and makes the frame readable through
     * {@link #frame()} and the {@code frame...} getters until the next call. Call it until it returns
     * false after each {@link #push}.
     */
    public boolean pop() {
        while (next != EMPTY && next <= highest) {
            if (present(next) && slotPadding[(int) (next & mask)]) {
                // padding only holds a sequence number: it sits between frames, and the boundary
                // known before it still holds after it
                slotSeq[(int) (next & mask)] = EMPTY;
                next++;
                continue;
            }
            long end = present(next) && startsFrame(next) ? frameEnd(next) : -1;
            if (end >= 0) {
                if (emit(next, end)) {
                    return true;
                }
                continue; // malformed or oversize: dropped and counted, try what follows
            }
            if (started && present(next) && !startsFrame(next)) {
                // its predecessor is gone for good, so it can only belong to a broken frame: drop
                // that frame's remaining packets together
                long j = next + 1;
                while (j <= highest && present(j) && !startsFrame(j)) {
                    j++;
                }
                discardBefore(j);
                continue;
            }
            long start = completeFrameAfterHole();
            if (start < 0) {
                return false;
            }
            discardBefore(start);
        }
        return false;
    }

    /**
     * Forgets every held packet and where the stream was, as if it had just started (for a sender
     * that restarted, or a new payload type on the same SSRC). Counters are kept.
     */
    public void reset() {
        Arrays.fill(slotSeq, EMPTY);
        next = EMPTY;
        highest = EMPTY;
        previousKnown = false;
        previousTail = false;
        lostSinceEmitted = false;
        started = false;
        resumeStart = EMPTY;
        layers.reset();
        frame.clear();
    }

    /** The frame {@link #pop} emitted: bytes {@code [0, frame().length())}. */
    public FrameBuffer frame() {
        return frame;
    }

    public long frameTimestamp() {
        return frameTimestamp;
    }

    /** Extended sequence number of the frame's first packet. */
    public long frameFirstSequence() {
        return frameFirstSequence;
    }

    /** Extended sequence number of the frame's last packet. */
    public long frameLastSequence() {
        return frameLastSequence;
    }

    public boolean frameKeyframe() {
        return frameKeyframe;
    }

    /**
     * True if this frame can be decoded after the previous emitted one: nothing was lost between
     * them, or (VP8/VP9 with temporal layers) only frames of higher temporal layers that this one
     * does not refer to. False means a decoder needs a keyframe (unless this is one).
     */
    public boolean frameContiguous() {
        return frameContiguous;
    }

    /** The frame's temporal layer (VP8/VP9 with layer indices), or -1. */
    public int frameTemporalLayer() {
        return frameTemporalLayer;
    }

    /** The frame's picture id (VP8/VP9), or -1. */
    public int framePictureId() {
        return framePictureId;
    }

    /**
     * Higher temporal layer frames dropped after a loss because they may refer to a lost frame (also
     * counted in {@link #framesDropped()}).
     */
    public long framesUndecodable() {
        return framesUndecodable;
    }

    /** The codec's depacketizer (for codec-specific fields of the last frame). */
    public Depacketizer depacketizer() {
        return depacketizer;
    }

    public long framesEmitted() {
        return framesEmitted;
    }

    /** Frames given up: lost packets, malformed or too big, or upper-layer frames left undecodable by a loss. */
    public long framesDropped() {
        return framesDropped;
    }

    public long framesMalformed() {
        return framesMalformed;
    }

    public long framesOversize() {
        return framesOversize;
    }

    public long packetsDuplicate() {
        return packetsDuplicate;
    }

    /** Packets that arrived after their frame was emitted or given up. */
    public long packetsLate() {
        return packetsLate;
    }

    public long packetsOversize() {
        return packetsOversize;
    }

    /** Packets with an empty payload (padding only): they hold a sequence number and nothing else. */
    public long packetsPadding() {
        return packetsPadding;
    }

    /** Held packets thrown away because their frame could not be completed, plus bad windows. */
    public long packetsDiscarded() {
        return packetsDiscarded;
    }

    private boolean present(long sequence) {
        return slotSeq[(int) (sequence & mask)] == sequence;
    }

    private long timestamp(long sequence) {
        return slotTimestamp[(int) (sequence & mask)];
    }

    /** Whether present packet {@code s} begins a frame, by its codec or by the media packet before it. */
    private boolean startsFrame(long s) {
        int slot = (int) (s & mask);
        if (slotPadding[slot]) {
            return false;
        }
        if (slotHead[slot]) {
            return true;
        }
        long before = s - 1;
        while (before >= next && present(before) && slotPadding[(int) (before & mask)]) {
            before--; // look through padding to the media packet before it
        }
        if (before < next) {
            return previousKnown && (previousTail || previousTimestamp != slotTimestamp[slot]);
        }
        if (!present(before)) {
            return false;
        }
        int b = (int) (before & mask);
        return slotTail[b] || slotTimestamp[b] != slotTimestamp[slot];
    }

    /** The last packet of the frame starting at present packet {@code s}, or -1 if one is missing. */
    private long frameEnd(long s) {
        long ts = timestamp(s);
        // packets before resumeAt were checked on an earlier call for the same start (present, same
        // timestamp, no end): a big frame arriving packet by packet is scanned once, not once per packet
        long j = s == resumeStart && resumeAt > s ? resumeAt : s;
        for (; j <= highest; j++) {
            if (!present(j)) {
                resumeStart = s;
                resumeAt = j;
                return -1;
            }
            if (slotPadding[(int) (j & mask)]) {
                continue; // carries nothing; the frame goes on after it
            }
            if (j > s && timestamp(j) != ts) {
                return j - 1; // the timestamp changed with no gap: the marker was lost or never set
            }
            if (slotTail[(int) (j & mask)]) {
                return j;
            }
        }
        resumeStart = s;
        resumeAt = j;
        return -1;
    }

    /**
     * With the frame at {@code next} incomplete: the start of the first complete frame after it if
     * enough complete frames wait behind the hole (or the window is full), else -1 to keep waiting.
     */
    private long completeFrameAfterHole() {
        long first = -1;
        int complete = 0;
        // before the first frame, wait for nothing: the head of a frame joined midway never comes
        int holdBack = started ? holdBackFrames : 0;
        for (long s = next + 1; s <= highest; s++) {
            if (!present(s) || !startsFrame(s)) {
                continue;
            }
            long end = frameEnd(s);
            if (end < 0) {
                continue;
            }
            if (first < 0) {
                first = s;
            }
            complete++;
            if (complete > holdBack) {
                return first;
            }
            s = end;
        }
        return highest - next >= mask ? first : -1;
    }

    /**
     * Gives up on every packet before {@code sequence}: the frames they belonged to are lost. Each
     * run of one timestamp among them counts as a dropped frame (at least one: whole frames may
     * have vanished without a trace).
     */
    private void discardBefore(long sequence) {
        int frames = 0;
        long runTimestamp = EMPTY;
        // what is known of the last media packet before the new next, through padding, with no gap
        boolean known = previousKnown;
        boolean knownTail = previousTail;
        long knownTimestamp = previousTimestamp;
        for (long s = next; s < sequence; s++) {
            int slot = (int) (s & mask);
            if (slotSeq[slot] != s) {
                known = false;
                continue;
            }
            slotSeq[slot] = EMPTY;
            if (slotPadding[slot]) {
                continue;
            }
            packetsDiscarded++;
            known = true;
            knownTail = slotTail[slot];
            knownTimestamp = slotTimestamp[slot];
            if (slotTimestamp[slot] != runTimestamp) {
                runTimestamp = slotTimestamp[slot];
                frames++;
            }
        }
        if (frames > 0 || sequence > next) {
            framesDropped += Math.max(1, frames);
            lostSinceEmitted = true;
        }
        started = true;
        // a discarded packet still tells where frames end: a marker (or a new timestamp) right
        // before the new next makes it a frame start, even though the frame before was incomplete
        previousKnown = known;
        previousTail = knownTail;
        previousTimestamp = knownTimestamp;
        long last = sequence - 1;
        next = sequence;
        if (last > highest) {
            highest = last;
        }
    }

    /** Makes the window reach {@code sequence} by giving up the oldest packets. */
    private void makeRoomFor(long sequence) {
        long newNext = sequence - mask;
        if (newNext - next > mask) {
            // a jump past the whole window (a restarted sender): clear every slot at once
            for (int i = 0; i <= mask; i++) {
                if (slotSeq[i] != EMPTY) {
                    slotSeq[i] = EMPTY;
                    packetsDiscarded++;
                }
            }
            framesDropped++;
            lostSinceEmitted = true;
            previousKnown = false;
            next = newNext;
            highest = Math.max(highest, newNext - 1);
            return;
        }
        discardBefore(newNext);
    }

    private boolean emit(long start, long end) {
        frame.clear();
        depacketizer.beginFrame();
        boolean ok = true;
        for (long s = start; s <= end && ok; s++) {
            int slot = (int) (s & mask);
            if (!slotPadding[slot]) {
                ok = depacketizer.depacketize(slotData, (long) slot * slotBytes, slotLength[slot], frame);
            }
        }
        ok = ok && depacketizer.endFrame(frame);
        long ts = timestamp(start); // never padding: a frame starts with media
        boolean tail = slotTail[(int) (end & mask)];
        for (long s = start; s <= end; s++) {
            slotSeq[(int) (s & mask)] = EMPTY;
        }
        next = end + 1;
        started = true;
        previousKnown = true;
        previousTimestamp = ts;
        previousTail = tail;
        if (!ok || frame.overflowed()) {
            if (frame.overflowed()) {
                framesOversize++;
            } else {
                framesMalformed++;
            }
            framesDropped++;
            lostSinceEmitted = true;
            frame.clear();
            return false;
        }
        int verdict = layers.check(depacketizer.pictureId(), depacketizer.pictureIdBits(),
                depacketizer.tl0PictureIndex(), depacketizer.temporalLayer(), !lostSinceEmitted);
        if (verdict == TemporalContiguity.DROP) {
            framesUndecodable++; // a higher temporal layer frame that may refer to what was lost
            framesDropped++;
            frame.clear();
            return false;
        }
        frameTimestamp = ts;
        frameFirstSequence = start;
        frameLastSequence = end;
        frameKeyframe = depacketizer.keyframe();
        frameContiguous = verdict == TemporalContiguity.EMIT_CONTIGUOUS;
        frameTemporalLayer = depacketizer.temporalLayer();
        framePictureId = depacketizer.pictureId();
        lostSinceEmitted = false;
        framesEmitted++;
        return true;
    }
}
