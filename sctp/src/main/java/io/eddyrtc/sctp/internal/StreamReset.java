package io.eddyrtc.sctp.internal;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.sctp.SctpDropReason;
import java.util.ArrayDeque;

/**
 * Stream reconfiguration (RFC 6525), the part data channels need: resetting our outgoing streams (one
 * Outgoing SSN Reset Request at a time, resent until the peer answers) and performing the peer's resets
 * of its outgoing streams once every DATA up to its last TSN arrived.
 */
public final class StreamReset {
    private static final int RESULT_PERFORMED = 1;
    private static final int RESULT_IN_PROGRESS = 6;

    private final OutgoingPackets out;
    private final AssociationListener listener;
    private final InboundData inbound;
    private final OutboundData outbound;
    private final RetransmissionTimeout rto;

    private long myRequestSeq;                     // our next request sequence number
    private long peerRequestNext;                  // the peer's next request sequence number we expect
    private byte[] pendingRequest;                 // our outstanding request, resent until answered
    private int[] pendingStreams;
    private long resendAt = Long.MAX_VALUE;
    private final ArrayDeque<int[]> queued = new ArrayDeque<>();

    public StreamReset(long myInitialTsn, OutgoingPackets out, InboundData inbound, OutboundData outbound,
                       RetransmissionTimeout rto, AssociationListener listener) {
        this.myRequestSeq = myInitialTsn; // RFC 6525 §5.1.1: the first request sequence number is the initial TSN
        this.out = out;
        this.inbound = inbound;
        this.outbound = outbound;
        this.rto = rto;
        this.listener = listener;
    }

    /** The peer's initial TSN, which its first request sequence number equals. */
    public void start(long peerInitialTsn) {
        peerRequestNext = peerInitialTsn;
    }

    public long deadline() {
        return resendAt;
    }

    public void stopTimer() {
        resendAt = Long.MAX_VALUE;
    }

    /** Resets our outgoing side of {@code streams}; a request waits for the one outstanding and for its streams' queues. */
    public void request(long now, int[] streams) {
        queued.add(streams.clone());
        sendNext(now);
    }

    public void onTimeout(long now) {
        if (now >= resendAt && pendingRequest != null) {
            out.send(SctpPacket.chunk(SctpPacket.RE_CONFIG, 0, pendingRequest)); // unanswered: ask again
            resendAt = now + rto.current();
        }
        sendNext(now);
    }

    /**
     * Sends the next request, once the one outstanding is answered and the messages queued on its streams
     * all have TSNs: the request names the last TSN assigned, and the peer resets after it, so anything
     * queued on those streams still has to go first.
     */
    public void sendNext(long now) {
        if (pendingRequest != null || queued.isEmpty()) {
            return;
        }
        for (int stream : queued.peek()) {
            if (outbound.bufferedAmount(stream) > 0) {
                return;
            }
        }
        int[] streams = queued.poll();
        byte[] v = new byte[SctpPacket.padded(16 + 2 * streams.length)];
        BigEndian.putU16(v, 0, SctpPacket.PARAM_OUTGOING_RESET);
        BigEndian.putU16(v, 2, 16 + 2 * streams.length);
        BigEndian.putU32(v, 4, myRequestSeq);
        BigEndian.putU32(v, 8, peerRequestNext - 1);
        BigEndian.putU32(v, 12, outbound.lastAssignedTsn()); // the peer resets once it has everything up to it
        for (int i = 0; i < streams.length; i++) {
            BigEndian.putU16(v, 16 + 2 * i, streams[i]);
        }
        pendingRequest = v;
        pendingStreams = streams;
        out.send(SctpPacket.chunk(SctpPacket.RE_CONFIG, 0, v));
        resendAt = now + rto.current();
    }

    /**
     * A RE-CONFIG chunk's value, {@code length} bytes at {@code at}: one or two parameters (RFC 6525 §3.1),
     * requests and responses. Their framing is checked before any is applied.
     */
    public void onReconfig(long now, byte[] p, int at, int length) {
        int end = at + length;
        int params = 0;
        for (int i = at; i + 4 <= end; i += SctpPacket.padded(BigEndian.u16(p, i + 2))) {
            int paramLength = BigEndian.u16(p, i + 2);
            if (paramLength < 4 || i + paramLength > end || ++params > 2) {
                listener.dropped(SctpDropReason.MALFORMED);
                return;
            }
        }
        for (int i = at; i + 4 <= end; ) {
            int type = BigEndian.u16(p, i);
            int paramLength = BigEndian.u16(p, i + 2);
            if (type == SctpPacket.PARAM_OUTGOING_RESET && paramLength >= 16) {
                onOutgoingResetRequest(p, i, paramLength);
            } else if (type == SctpPacket.PARAM_RECONFIG_RESPONSE && paramLength >= 12) {
                onResponse(now, BigEndian.u32(p, i + 4), BigEndian.u32(p, i + 8));
            } else {
                listener.dropped(SctpDropReason.UNEXPECTED_CHUNK); // other reconfiguration requests are not supported
            }
            i += SctpPacket.padded(paramLength);
        }
    }

    /** The peer resets its outgoing streams (our incoming ones): once we have all its DATA up to its last TSN. */
    private void onOutgoingResetRequest(byte[] p, int at, int length) {
        long requestSeq = BigEndian.u32(p, at + 4);
        long lastTsn = inbound.extend(BigEndian.u32(p, at + 12));
        int result;
        if (requestSeq == peerRequestNext - 1) {
            result = RESULT_PERFORMED; // a retransmission of a request we already performed
        } else if (requestSeq != peerRequestNext) {
            listener.dropped(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        } else if (inbound.cumulativeTsn() < lastTsn) {
            result = RESULT_IN_PROGRESS; // DATA still missing: the peer asks again
        } else {
            int[] streams = new int[(length - 16) / 2];
            for (int i = 0; i < streams.length; i++) {
                streams[i] = BigEndian.u16(p, at + 16 + 2 * i);
            }
            inbound.resetStreams(streams);
            peerRequestNext++;
            listener.streamsReset(streams);
            result = RESULT_PERFORMED;
        }
        byte[] response = new byte[12];
        BigEndian.putU16(response, 0, SctpPacket.PARAM_RECONFIG_RESPONSE);
        BigEndian.putU16(response, 2, 12);
        BigEndian.putU32(response, 4, requestSeq);
        BigEndian.putU32(response, 8, result);
        out.send(SctpPacket.chunk(SctpPacket.RE_CONFIG, 0, response));
    }

    private void onResponse(long now, long responseSeq, long result) {
        if (pendingRequest == null || responseSeq != myRequestSeq) {
            listener.dropped(SctpDropReason.UNEXPECTED_CHUNK);
            return;
        }
        if (result == RESULT_IN_PROGRESS) {
            return; // the timer asks again
        }
        if (result == RESULT_PERFORMED) {
            outbound.resetStreams(pendingStreams);
            listener.outgoingStreamsReset(pendingStreams);
        }
        myRequestSeq++;
        pendingRequest = null;
        pendingStreams = null;
        resendAt = Long.MAX_VALUE;
        sendNext(now);
    }
}
