package io.eddyrtc.engine.stream;

import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.lang.foreign.MemorySegment;

/** Builds test RTP packets into one reusable buffer and wraps a header over them. */
final class Packets {
    final MemorySegment buffer = MemorySegment.ofArray(new byte[1500]);
    final RtpHeader header = new RtpHeader();

    /** A packet with {@code payload} zero bytes, wrapped. */
    RtpHeader rtp(long ssrc, int pt, int seq, long ts, int payload) {
        int h = RtpHeader.write(buffer, 0, 1500, pt, false, seq, ts, ssrc, null, null);
        buffer.asSlice(h, payload).fill((byte) seq);
        if (header.parse(buffer, 0, h + payload) != RtpDropReason.NONE) {
            throw new AssertionError("test packet did not parse");
        }
        return header;
    }
}
