package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.Flyweight;

/** A BYE packet (RFC 3550 §6.6): the SSRCs that leave, and an optional reason text. */
public final class Goodbye extends Flyweight {
    private static final int SOURCES = 4;

    @Override
    protected boolean validate() {
        int end = SOURCES + 4 * sourceCount();
        if (end > length()) {
            return false;
        }
        // anything after the sources is a length-prefixed reason, which must fit
        return end == length() || end + 1 + u8(end) <= length();
    }

    /** Number of SSRCs/CSRCs leaving (SC). */
    public int sourceCount() {
        return u8(0) & 0x1F;
    }

    public long source(int i) {
        return u32(SOURCES + 4 * i);
    }

    /** Whether a reason follows the sources. */
    public boolean hasReason() {
        return reasonAt() < length();
    }

    /** Offset of the reason text within the wrapped window (valid when {@link #hasReason()}). */
    public int reasonOffset() {
        return reasonAt() + 1;
    }

    /** Length of the reason text in bytes, 0 if none. */
    public int reasonLength() {
        return hasReason() ? u8(reasonAt()) : 0;
    }

    private int reasonAt() {
        return SOURCES + 4 * sourceCount();
    }
}
