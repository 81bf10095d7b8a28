package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Turns the RTP packets of one stream (one SSRC and payload type) into whole frames, in order:
 * packets go in with {@link #push}, complete frames come out of {@link #pop}.
 *
 * <p>Each packet's payload is copied into a slot of a shared {@link PacketPool} and indexed in a ring by
 * extended sequence number, so reordering within the window costs nothing extra and a duplicate is
 * recognised by its entry. A slot is held only until its frame is emitted or given up: a stream whose
 * frames complete holds one or two, an idle one none. The ring starts at {@value #MIN_WINDOW} entries and
 * doubles when a packet lands beyond it, up to the window asked for; {@link #trim} shrinks it (and the frame
 * buffer) again once nothing is held. Slots, ring and frame buffer are charged to a {@link MemoryBudget}:
 * refused, the packet is dropped and counted ({@link #packetsRefused()}). A
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
 * <p>Allocation: none per packet; the ring and the {@link FrameBuffer} grow rarely (the frame buffer up to
 * {@code maxFrameBytes}: a frame bigger than that is dropped and counted).
 * Network input never throws: bad payloads are dropped and counted by reason.
 */
public final class FrameAssembler {
    private static final long EMPTY = Long.MIN_VALUE;
    /** Ring entries an idle stream keeps. */
    static final int MIN_WINDOW = 16;
    /** Heap bytes per ring entry: the slot reference, number, timestamp, frame start, end and padding flags. */
    static final int ENTRY_BYTES = 4 + 8 + 8 + 1 + 1 + 1;

    private final Depacketizer depacketizer;
    private final FrameBuffer frame;
    private final int holdBackFrames;
    private final PacketPool pool;
    private final MemoryBudget memory;
    /** The largest the ring may grow: the window asked for, a power of two. */
    private final int maxWindow;
    private int mask;
    private long ringCharged;
    private PacketBuffer[] slotBuffer;
    private long[] slotSeq;
    private long[] slotTimestamp;
    private boolean[] slotHead;
    private boolean[] slotTail;
    private boolean[] slotPadding;
    private int held;

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
    private long packetsRefused;

    /**
     * @param depacketizer the codec's depacketizer, used by this assembler only
     * @param pool         where payloads wait for their frame, a slot each (a slot's size is the largest payload)
     * @param memory       what the slots, the ring and the frame buffer are charged to
     * @param windowPackets packets held at most (rounded up to a power of two), e.g. 512
     * @param maxFrameBytes largest frame emitted; larger ones are dropped
     * @param holdBackFrames complete frames to hold behind a hole while waiting for it to be filled;
     *     0 gives up on a hole as soon as a later frame is complete
     */
    public FrameAssembler(Depacketizer depacketizer, PacketPool pool, MemoryBudget memory, int windowPackets,
                          int maxFrameBytes, int holdBackFrames) {
        if (windowPackets < 2 || windowPackets > 1 << 16 || holdBackFrames < 0) {
            throw new IllegalArgumentException("window 2..65536 packets and a hold-back >= 0");
        }
        this.depacketizer = depacketizer;
        this.pool = pool;
        this.memory = memory;
        this.frame = new FrameBuffer(maxFrameBytes, memory);
        this.holdBackFrames = holdBackFrames;
        this.maxWindow = Integer.highestOneBit(windowPackets - 1) << 1;
        resize(Math.min(MIN_WINDOW, maxWindow));
    }

    /** A video assembler: up to 512 packets, frames up to 4 MiB, 30 frames held behind a hole. */
    public static FrameAssembler forVideo(Depacketizer depacketizer, PacketPool pool) {
        return new FrameAssembler(depacketizer, pool, MemoryBudget.unlimited(), 512, 4 << 20, 30);
    }

    /** An audio assembler: up to 32 packets, 15 frames held behind a hole. */
    public static FrameAssembler forAudio(Depacketizer depacketizer, PacketPool pool) {
        return new FrameAssembler(depacketizer, pool, MemoryBudget.unlimited(), 32, 1500, 15);
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
        if (length > pool.slotSize()) {
            packetsOversize++;
            return false;
        }
        if (next == EMPTY) {
            next = sequence;
            highest = sequence;
        }
        if (sequence < next) {
            if (started || highest - sequence > maxWindow - 1) {
                packetsLate++;
                return false;
            }
            if (!growFor(highest - sequence)) {
                packetsRefused++; // the ring cannot reach back that far within the budget
                return false;
            }
            next = sequence; // the stream's first packets arrived out of order: nothing consumed yet
        }
        if (!growFor(sequence - next)) {
            makeRoomFor(sequence);
        }
        int slot = (int) (sequence & mask);
        if (slotSeq[slot] == sequence) {
            packetsDuplicate++;
            return false;
        }
        PacketBuffer buffer = PacketBuffer.NONE;
        if (length > 0) {
            if (!memory.tryCharge(pool.slotSize())) {
                packetsRefused++;
                return false;
            }
            buffer = pool.acquireToKeep();
            if (buffer.isNone()) {
                memory.release(pool.slotSize());
                packetsRefused++;
                return false;
            }
            MemorySegment.copy(payload, offset, buffer.segment(), 0, length);
            buffer.length(length);
        }
        clear(slot);
        slotSeq[slot] = sequence;
        slotBuffer[slot] = buffer;
        if (length > 0) {
            held++;
        }
        slotTimestamp[slot] = timestamp;
        slotPadding[slot] = length == 0;
        if (length == 0) {
            packetsPadding++;
            slotHead[slot] = false;
            slotTail[slot] = false;
        } else {
            slotHead[slot] = depacketizer.isFrameStart(payload, offset, length);
            slotTail[slot] = depacketizer.isFrameEnd(payload, offset, length, marker);
        }
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
                clear((int) (next & mask));
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
        for (int i = 0; i <= mask; i++) {
            clear(i);
        }
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

    /**
     * Shrinks the ring to its smallest and the frame buffer to its first size, if nothing waits (every packet
     * received is emitted or given up): for a stream gone quiet. Where the stream was is kept, so it goes on
     * as before when packets come again. Returns the bytes it gave back to the budget.
     */
    public long trim() {
        boolean waiting = held > 0 || (next != EMPTY && next <= highest);
        if (waiting || (mask + 1 == Math.min(MIN_WINDOW, maxWindow) && frame.capacity() <= FrameBuffer.INITIAL)) {
            return 0;
        }
        long before = memoryHeld();
        resize(Math.min(MIN_WINDOW, maxWindow)); // every entry is empty: nothing to move
        frame.shrink();
        return before - memoryHeld();
    }

    /** Gives every slot back and the ring and frame buffer's bytes to the budget: the stream is going away. */
    public void close() {
        for (int i = 0; i <= mask; i++) {
            clear(i);
        }
        memory.release(ringCharged);
        ringCharged = 0;
        frame.close();
    }

    /** Bytes held: the slots of waiting packets, the ring and the frame buffer. */
    public long memoryHeld() {
        return (long) held * pool.slotSize() + (long) (mask + 1) * ENTRY_BYTES + frame.capacity();
    }

    /** Pool slots held now: payloads waiting for the rest of their frame. */
    public int packetsHeld() {
        return held;
    }

    /** The ring's size now. */
    public int windowSize() {
        return mask + 1;
    }

    /** Packets dropped because the memory budget or the pool had no room to keep them. */
    public long packetsRefused() {
        return packetsRefused;
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
        return highest - next >= maxWindow - 1 ? first : -1; // the window asked for, not the ring as it is now
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
            boolean padding = slotPadding[slot];
            boolean tail = slotTail[slot];
            long ts = slotTimestamp[slot];
            clear(slot);
            if (padding) {
                continue;
            }
            packetsDiscarded++;
            known = true;
            knownTail = tail;
            knownTimestamp = ts;
            if (ts != runTimestamp) {
                runTimestamp = ts;
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

    /** Empties ring entry {@code slot}, giving its pool slot back. */
    private void clear(int slot) {
        PacketBuffer b = slotBuffer[slot];
        if (!b.isNone()) {
            b.release();
            memory.release(pool.slotSize());
            held--;
            slotBuffer[slot] = PacketBuffer.NONE;
        }
        slotSeq[slot] = EMPTY;
    }

    /**
     * Doubles the ring until it spans {@code span} numbers past the oldest it holds, up to the window asked
     * for; false if it cannot (the window, or the budget, is too small).
     */
    private boolean growFor(long span) {
        if (span <= mask) {
            return true;
        }
        int size = mask + 1;
        while (size < maxWindow && span > size - 1) {
            size *= 2;
        }
        if (size != mask + 1) {
            resize(size);
        }
        return span <= mask;
    }

    /**
     * Moves what is held into a ring of {@code size} entries (held packets always fit: growing only). The
     * new ring is charged to the budget; refused, the ring stays as it is and the oldest packets give way.
     */
    private void resize(int size) {
        long charge = (long) size * ENTRY_BYTES;
        memory.release(ringCharged);
        if (!memory.tryCharge(charge)) {
            if (slotSeq != null) {
                memory.tryCharge(ringCharged); // what it held a moment ago fits again
                return;
            }
            charge = 0; // the smallest ring is made regardless: the assembler cannot work without one
        }
        ringCharged = charge;
        PacketBuffer[] oldBuffer = slotBuffer;
        long[] oldSeq = slotSeq;
        long[] oldTimestamp = slotTimestamp;
        boolean[] oldHead = slotHead;
        boolean[] oldTail = slotTail;
        boolean[] oldPadding = slotPadding;
        slotBuffer = new PacketBuffer[size];
        Arrays.fill(slotBuffer, PacketBuffer.NONE);
        slotSeq = new long[size];
        Arrays.fill(slotSeq, EMPTY);
        slotTimestamp = new long[size];
        slotHead = new boolean[size];
        slotTail = new boolean[size];
        slotPadding = new boolean[size];
        mask = size - 1;
        if (oldSeq == null) {
            return;
        }
        for (int j = 0; j < oldSeq.length; j++) {
            long seq = oldSeq[j];
            if (seq == EMPTY) {
                continue;
            }
            int i = (int) (seq & mask);
            slotBuffer[i] = oldBuffer[j];
            slotSeq[i] = seq;
            slotTimestamp[i] = oldTimestamp[j];
            slotHead[i] = oldHead[j];
            slotTail[i] = oldTail[j];
            slotPadding[i] = oldPadding[j];
        }
    }

    /** Makes the window reach {@code sequence} by giving up the oldest packets. */
    private void makeRoomFor(long sequence) {
        long newNext = sequence - mask;
        if (newNext - next > mask) {
            // a jump past the whole window (a restarted sender): clear every slot at once
            for (int i = 0; i <= mask; i++) {
                if (slotSeq[i] != EMPTY) {
                    clear(i);
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
                PacketBuffer b = slotBuffer[slot];
                ok = depacketizer.depacketize(b.segment(), 0, b.length(), frame);
            }
        }
        ok = ok && depacketizer.endFrame(frame);
        long ts = timestamp(start); // never padding: a frame starts with media
        boolean tail = slotTail[(int) (end & mask)];
        for (long s = start; s <= end; s++) {
            clear((int) (s & mask));
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
