package io.eddyrtc.sctp;

/** What an {@link SctpAssociation} reports, polled with {@link SctpAssociation#pollEvent()}. */
public sealed interface SctpEvent {
    /** The four-way handshake finished: messages can flow. */
    record Connected() implements SctpEvent {}

    /** A whole user message from the peer on {@code stream} with payload protocol id {@code ppid}. */
    record Message(int stream, int ppid, byte[] data) implements SctpEvent {}

    /** The peer reset its outgoing side of these streams (RFC 6525), as it does when it closes a data channel. */
    record StreamsReset(int[] streams) implements SctpEvent {}

    /** The peer performed our reset of these outgoing streams: they start over at SSN 0. */
    record OutgoingStreamsReset(int[] streams) implements SctpEvent {}

    /** The bytes queued on {@code stream} fell to its low-water mark or below: the writer may send more. */
    record BufferedAmountLow(int stream) implements SctpEvent {}

    /** The association ended: ABORT, SHUTDOWN, or too many retransmissions; {@code reason} says which. */
    record Closed(String reason) implements SctpEvent {}
}
