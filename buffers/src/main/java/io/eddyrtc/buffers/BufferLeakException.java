package io.eddyrtc.buffers;

/**
 * Thrown by a debug-mode {@link PacketPool} when slots are still held at a check or at close.
 * Each leaked slot's acquisition stack trace is attached as a suppressed exception, so the report
 * names where every leaked buffer was acquired.
 */
public final class BufferLeakException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int leaked;

    BufferLeakException(int leaked, String message) {
        super(message);
        this.leaked = leaked;
    }

    /** How many slots were still acquired. */
    public int leaked() {
        return leaked;
    }
}
