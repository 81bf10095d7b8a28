package io.eddyrtc.sctp;

/** Why {@link DataChannels} ignored a message from the peer; counted, never thrown. */
public enum DataChannelDropReason {
    /** A payload protocol id data channels do not use. */
    UNKNOWN_PPID,
    /** A message on a channel that is not open. */
    NOT_OPEN,
    /** A DCEP message that is empty, of an unknown type, or whose label runs past its end. */
    MALFORMED,
    /** A DATA_CHANNEL_OPEN that cannot be answered: the association is not up or shutting down, or no such stream. */
    CANNOT_ANSWER,
    /** A DATA_CHANNEL_ACK for a channel we did not open, or one already acknowledged. */
    UNEXPECTED_ACK,
    /** A DATA_CHANNEL_OPEN for an id that is open (or still closing). */
    ALREADY_OPEN,
    /** A DATA_CHANNEL_OPEN whose label or protocol is longer than {@link SctpConfig#maxLabelBytes()}. */
    LABEL_TOO_LONG,
    /** A DATA_CHANNEL_OPEN while {@link SctpConfig#maxChannels()} channels are open. */
    TOO_MANY_CHANNELS
}
