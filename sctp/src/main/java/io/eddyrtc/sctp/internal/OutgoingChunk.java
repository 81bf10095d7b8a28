package io.eddyrtc.sctp.internal;

/** A DATA chunk we queued or sent, with what retransmission needs to know about it. */
final class OutgoingChunk {
    final int stream;
    final int ssn;
    final int ppid;
    final int flags;
    final byte[] data;
    final DeliveryPolicy policy;
    long tsn;
    long sentAt;
    int transmissions;
    int missingReports;
    boolean gapAcked;
    boolean retransmit;

    OutgoingChunk(int stream, int ssn, int ppid, int flags, byte[] data, DeliveryPolicy policy) {
        this.stream = stream;
        this.ssn = ssn;
        this.ppid = ppid;
        this.flags = flags;
        this.data = data;
        this.policy = policy;
    }
}
