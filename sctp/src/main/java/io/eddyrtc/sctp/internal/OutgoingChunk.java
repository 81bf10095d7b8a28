package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.PacketBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A DATA chunk we queued or sent, with what retransmission needs to know about it. Its user data is in a pool
 * slot ({@link #slot}) or, without a pool, a heap array ({@link #heap}). Reused: {@link OutboundData} keeps
 * spare ones, so queueing a message makes no object once an association has sent a few.
 */
final class OutgoingChunk {
    int stream;
    int ssn;
    int ppid;
    int flags;
    /** The user data: in {@link #slot} unless that is {@link PacketBuffer#NONE}, then in {@link #heap}. */
    PacketBuffer slot = PacketBuffer.NONE;
    byte[] heap;
    int length;
    /** The message this chunk is a fragment of, numbered in the order they were queued: its fragments are given up together. */
    long message;
    /** Partial reliability (RFC 3758): retransmissions allowed (-1: no limit) and when to give up ({@code Long.MAX_VALUE}: never). */
    int maxRetransmits;
    long expiresAt;
    boolean abandoned;
    long tsn;
    long sentAt;
    int transmissions;
    int missingReports;
    boolean gapAcked;
    boolean retransmit;

    OutgoingChunk set(int stream, int ssn, int ppid, int flags, long message, int maxRetransmits, long expiresAt) {
        this.stream = stream;
        this.ssn = ssn;
        this.ppid = ppid;
        this.flags = flags;
        this.message = message;
        this.maxRetransmits = maxRetransmits;
        this.expiresAt = expiresAt;
        this.abandoned = false;
        this.tsn = 0;
        this.sentAt = 0;
        this.transmissions = 0;
        this.missingReports = 0;
        this.gapAcked = false;
        this.retransmit = false;
        return this;
    }

    boolean reliable() {
        return maxRetransmits < 0 && expiresAt == Long.MAX_VALUE;
    }

    /** Given up: retransmitted as often as allowed, or its lifetime is over. */
    boolean exhausted(long now) {
        return (maxRetransmits >= 0 && transmissions > maxRetransmits) || now >= expiresAt;
    }

    /** Copies the user data to {@code at} in {@code out}. */
    void copyData(byte[] out, int at) {
        if (slot.isNone()) {
            System.arraycopy(heap, 0, out, at, length);
        } else {
            MemorySegment.copy(slot.segment(), ValueLayout.JAVA_BYTE, 0, out, at, length);
        }
    }
}
