package io.eddyrtc.engine.packet;

import static io.eddyrtc.buffers.BigEndian.putU8;
import static io.eddyrtc.buffers.BigEndian.u8;

import java.lang.foreign.MemorySegment;

/**
 * AV1 (the AOM RTP payload format): the frame is a temporal unit in low-overhead format (OBUs with
 * or without obu_size). Temporal delimiters are dropped; every other OBU becomes an element without
 * its size field, each element preceded by a LEB128 length (W = 0), fragmented across packets with
 * Y/Z where it does not fit. N is set on the first packet of a temporal unit that holds a sequence
 * header (a new coded video sequence starts at a keyframe with one).
 */
public final class Av1Packetizer implements Packetizer {
    private MemorySegment frame;
    private long scanAt;
    private long frameEnd;
    private int mtu;
    private boolean first;
    private boolean newSequence;
    private boolean last;

    private boolean hasObu;
    private int obuHeader;
    private int obuExtension;
    private int obuHeaderLength;
    private long obuPayload;
    private long obuPayloadEnd;
    /** How far into the current element (rewritten header, then payload) earlier packets got. */
    private long obuSent;

    @Override
    public void begin(MemorySegment frame, long offset, int length, int mtu) {
        if (length <= 0 || mtu < 8) {
            throw new IllegalArgumentException("an AV1 temporal unit needs bytes and an MTU of at least 8");
        }
        this.frame = frame;
        this.frameEnd = offset + length;
        this.mtu = mtu;
        this.first = true;
        this.last = false;
        this.newSequence = false;
        this.scanAt = offset;
        while (nextObu()) { // validate the whole unit first: bad input is the caller's mistake
            newSequence |= ((obuHeader >>> 3) & 0x0F) == Av1PayloadDepacketizer.OBU_SEQUENCE_HEADER;
        }
        this.scanAt = offset;
        nextObu();
        if (!hasObu) {
            throw new IllegalArgumentException("the AV1 temporal unit holds no OBU other than temporal delimiters");
        }
    }

    /** Reads the next OBU worth sending at {@code scanAt}; throws on a malformed unit. */
    private boolean nextObu() {
        while (scanAt < frameEnd) {
            int header = u8(frame, scanAt);
            int headerLength = (header & 0x04) != 0 ? 2 : 1;
            if ((header & 0x80) != 0 || scanAt + headerLength > frameEnd) {
                throw new IllegalArgumentException("not an AV1 OBU header at " + scanAt);
            }
            long payload = scanAt + headerLength;
            long payloadEnd = frameEnd;
            if ((header & 0x02) != 0) {
                long packed = Leb128.read(frame, payload, frameEnd);
                if (packed == Leb128.INVALID || Leb128.value(packed) > frameEnd - payload - Leb128.encodedSize(packed)) {
                    throw new IllegalArgumentException("an AV1 obu_size runs past the temporal unit at " + scanAt);
                }
                payload += Leb128.encodedSize(packed);
                payloadEnd = payload + Leb128.value(packed);
            }
            int type = (header >>> 3) & 0x0F;
            int extension = headerLength == 2 ? u8(frame, scanAt + 1) : 0;
            scanAt = payloadEnd;
            if (type == Av1PayloadDepacketizer.OBU_TEMPORAL_DELIMITER) {
                continue;
            }
            hasObu = true;
            obuHeader = header & ~0x02;
            obuExtension = extension;
            obuHeaderLength = headerLength;
            obuPayload = payload;
            obuPayloadEnd = payloadEnd;
            obuSent = 0;
            return true;
        }
        hasObu = false;
        return false;
    }

    @Override
    public boolean hasNext() {
        return hasObu;
    }

    @Override
    public int next(MemorySegment out, long to) {
        boolean continues = obuSent > 0;
        long w = to + 1;
        long limit = to + mtu;
        boolean continuesNext = false;
        while (hasObu) {
            long room = limit - w;
            long remaining = obuHeaderLength + (obuPayloadEnd - obuPayload) - obuSent;
            long chunk = Math.min(remaining, room - Leb128.size(room));
            if (chunk <= 0 || (obuSent == 0 && chunk < remaining && chunk <= obuHeaderLength)) {
                break; // never split an OBU header: start the OBU in the next packet instead
            }
            w += Leb128.write(out, w, chunk);
            writeElement(out, w, obuSent, chunk);
            w += chunk;
            obuSent += chunk;
            if (chunk < remaining) {
                continuesNext = true;
                break;
            }
            nextObu();
        }
        putU8(out, to, (continues ? Av1PayloadDepacketizer.Z : 0) | (continuesNext ? Av1PayloadDepacketizer.Y : 0)
                | (first && newSequence ? Av1PayloadDepacketizer.N : 0));
        first = false;
        last = !hasObu;
        return (int) (w - to);
    }

    /** Copies bytes {@code [from, from + count)} of the element: the rewritten header, then the payload. */
    private void writeElement(MemorySegment out, long at, long from, long count) {
        long end = from + count;
        for (; from < obuHeaderLength && from < end; from++, at++, count--) {
            putU8(out, at, from == 0 ? obuHeader : obuExtension);
        }
        if (count > 0) {
            MemorySegment.copy(frame, obuPayload + (from - obuHeaderLength), out, at, count);
        }
    }

    @Override
    public boolean marker() {
        return last;
    }
}
