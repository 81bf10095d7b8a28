package io.eddyrtc.engine;

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

    /** Writes one message: binary, or UTF-8 text when {@code binary} is false. */
    public void write(boolean binary, byte[] data) {
        rtc.writeChannel(id, binary, Objects.requireNonNull(data, "data"));
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
