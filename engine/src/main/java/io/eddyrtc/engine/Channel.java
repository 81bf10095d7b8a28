package io.eddyrtc.engine;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A data channel of an {@link Rtc}, for writing; obtained with {@link Rtc#channel(int)}. */
public final class Channel {
    private final Rtc rtc;
    private final int id;

    Channel(Rtc rtc, int id) {
        this.rtc = rtc;
        this.id = id;
    }

    public int id() {
        return id;
    }

    /**
     * Writes one message: binary, or UTF-8 text when {@code binary} is false. The bytes are copied (into pool slots,
     * charged to the {@code Rtc}'s memory budget, until the peer acknowledges them), so {@code data} may be reused at
     * once.
     *
     * @throws IllegalStateException when the message would take what waits to be sent past the memory budget: wait
     *     for {@link Event.ChannelBufferedAmountLow} (or a smaller {@link #bufferedAmount()}) and write again
     */
    public void write(boolean binary, byte[] data) {
        rtc.writeChannel(id, binary, Objects.requireNonNull(data, "data"), 0, data.length);
    }

    /** Writes {@code length} bytes at {@code offset} of {@code data} as one message (see {@link #write(boolean, byte[])}). */
    public void write(boolean binary, byte[] data, int offset, int length) {
        rtc.writeChannel(id, binary, Objects.requireNonNull(data, "data"), offset, length);
    }

    /**
     * Writes {@code length} bytes at {@code offset} of {@code data} as one message (see {@link #write(boolean, byte[])}):
     * from a native buffer, or a received {@link Event.ChannelData}'s {@code segment()} to echo or forward it.
     */
    public void write(boolean binary, MemorySegment data, long offset, int length) {
        rtc.writeChannel(id, binary, Objects.requireNonNull(data, "data"), offset, length);
    }

    /** Writes one text message. */
    public void writeText(String text) {
        write(false, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes written to this channel and not yet sent (the W3C bufferedAmount). */
    public long bufferedAmount() {
        return rtc.channelBufferedAmount(id);
    }

    /** Asks for {@link Event.ChannelBufferedAmountLow} when {@link #bufferedAmount()} falls to {@code bytes} or below. */
    public void setBufferedAmountLowThreshold(long bytes) {
        rtc.setChannelBufferedAmountLowThreshold(id, bytes);
    }

    /** Closes the channel (RFC 8831 §6.7); {@link Event.ChannelClose} follows when both directions are reset. */
    public void close() {
        rtc.closeChannel(id);
    }

    @Override
    public String toString() {
        return "Channel[" + id + "]";
    }
}
