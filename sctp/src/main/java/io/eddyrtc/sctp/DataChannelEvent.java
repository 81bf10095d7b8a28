package io.eddyrtc.sctp;

/** What {@link DataChannels} reports. */
public sealed interface DataChannelEvent {
    /** A channel opened: the peer sent DATA_CHANNEL_OPEN, or acknowledged ours. */
    record Open(int id, String label, String protocol, boolean ordered) implements DataChannelEvent {}

    /** Channel {@code id}'s bufferedAmount fell to its low-water mark: send more. */
    record BufferedAmountLow(int id) implements DataChannelEvent {}

    /** Channel {@code id} closed (either side closed it; both stream directions are reset). */
    record Closed(int id) implements DataChannelEvent {}

    /** A whole message on channel {@code id}; {@code binary} false means UTF-8 text. */
    record Message(int id, boolean binary, byte[] data) implements DataChannelEvent {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
