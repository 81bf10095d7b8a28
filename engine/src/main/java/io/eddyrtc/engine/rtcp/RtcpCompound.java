package io.eddyrtc.engine.rtcp;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;

/**
 * A reusable cursor over the packets of one (unprotected) compound RTCP datagram. One instance per
 * {@code Rtc}; it allocates nothing per datagram.
 *
 * <pre>{@code
 * compound.wrap(segment, offset, length);
 * while (compound.next()) {
 *     switch (compound.kind()) {
 *         case SENDER_REPORT -> onSr(compound.senderReport());
 *         case NACK -> onNack(compound.nack());
 *         case TRANSPORT_FEEDBACK -> onTwcc(compound.transportFeedback().report());
 *         default -> { }
 *     }
 * }
 * }</pre>
 *
 * <p>Every packet's common header is checked (version 2, a length that fits what is left, sane
 * padding) and then the packet is wrapped in the flyweight for its kind, which checks its own
 * structure. {@link #next()} only stops on packets that passed; the rest are counted by
 * {@link RtcpDropReason}. A header that cannot be trusted ends the compound, since the position of
 * the next packet depends on it; a packet whose length was sound but whose body is malformed is
 * skipped and the cursor goes on.
 *
 * <p>RFC 3550 wants an SR or RR first; RFC 5506 (reduced-size RTCP, which browsers negotiate with
 * {@code a=rtcp-rsize}) lifts that, so the cursor accepts any order. Padding (the P bit) is accepted
 * on any packet, and excluded from the packet's window.
 *
 * <p>The flyweight accessors return the same instance each time, valid until the next call to
 * {@link #next()} or {@link #wrap}; only the one matching {@link #kind()} is wrapped.
 */
public final class RtcpCompound {
    public static final int TYPE_SR = 200;
    public static final int TYPE_RR = 201;
    public static final int TYPE_SDES = 202;
    public static final int TYPE_BYE = 203;
    public static final int TYPE_APP = 204;
    public static final int TYPE_RTPFB = 205;
    public static final int TYPE_PSFB = 206;
    public static final int TYPE_XR = 207;
    /** Bytes of the common header: V/P/count, type, length. */
    public static final int HEADER_LENGTH = 4;
    private static final RtcpDropReason[] REASONS = RtcpDropReason.values();

    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();
    private final SourceDescription sourceDescription = new SourceDescription();
    private final Goodbye goodbye = new Goodbye();
    private final AppPacket app = new AppPacket();
    private final FeedbackPacket feedback = new FeedbackPacket();
    private final GenericNack nack = new GenericNack();
    private final FullIntraRequest fullIntraRequest = new FullIntraRequest();
    private final Remb remb = new Remb();
    private final TransportFeedback transportFeedback = new TransportFeedback();
    private final ExtendedReport extendedReport = new ExtendedReport();
    private final long[] dropped = new long[REASONS.length];

    private MemorySegment segment = MemorySegment.NULL;
    private long position;
    private long end;
    private boolean ended = true;
    private RtcpKind kind = RtcpKind.UNKNOWN;
    private long packetOffset;
    private int packetLength;
    private int droppedInCompound;
    private RtcpDropReason lastDropReason;

    /**
     * Points the cursor at a compound datagram. Returns false, leaving no packets to read, if the
     * window does not lie inside the segment (a caller bug, not bad input).
     */
    public boolean wrap(MemorySegment segment, long offset, int length) {
        droppedInCompound = 0;
        lastDropReason = null;
        if (segment == null || offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            this.segment = MemorySegment.NULL;
            ended = true;
            return false;
        }
        this.segment = segment;
        this.position = offset;
        this.end = offset + length;
        this.ended = false;
        return true;
    }

    /**
     * Moves to the next well-formed packet. Returns false at the end of the compound, or when a
     * header that cannot be trusted ended it early ({@link #droppedInCompound()} tells).
     */
    public boolean next() {
        while (!ended) {
            long at = position;
            long left = end - at;
            if (left == 0) {
                ended = true;
                return false;
            }
            if (left < HEADER_LENGTH) {
                return endWith(RtcpDropReason.TRUNCATED_HEADER);
            }
            int first = BigEndian.u8(segment, at);
            if (first >>> 6 != 2) {
                return endWith(RtcpDropReason.BAD_VERSION);
            }
            int bytes = HEADER_LENGTH + 4 * BigEndian.u16(segment, at + 2);
            if (bytes > left) {
                return endWith(RtcpDropReason.LENGTH_OVERRUN);
            }
            position = at + bytes;
            int content = bytes;
            if ((first & 0x20) != 0) {
                int padding = BigEndian.u8(segment, at + bytes - 1);
                if (padding == 0 || padding > bytes - HEADER_LENGTH) {
                    drop(RtcpDropReason.BAD_PADDING);
                    continue;
                }
                content -= padding;
            }
            packetOffset = at;
            packetLength = content;
            RtcpDropReason refused = classify(BigEndian.u8(segment, at + 1), first & 0x1F, at, content);
            if (refused == null) {
                return true;
            }
            drop(refused);
        }
        return false;
    }

    /** Sets {@link #kind} and wraps its flyweight; returns why the packet is refused, or null. */
    private RtcpDropReason classify(int type, int count, long at, int length) {
        switch (type) {
            case TYPE_SR -> {
                kind = RtcpKind.SENDER_REPORT;
                return senderReport.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_REPORT;
            }
            case TYPE_RR -> {
                kind = RtcpKind.RECEIVER_REPORT;
                return receiverReport.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_REPORT;
            }
            case TYPE_SDES -> {
                kind = RtcpKind.SOURCE_DESCRIPTION;
                return sourceDescription.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_SDES;
            }
            case TYPE_BYE -> {
                kind = RtcpKind.GOODBYE;
                return goodbye.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_BYE;
            }
            case TYPE_APP -> {
                kind = RtcpKind.APP;
                return app.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_APP;
            }
            case TYPE_RTPFB -> {
                if (count == GenericNack.FORMAT) {
                    kind = RtcpKind.NACK;
                    return nack.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
                }
                if (count == TransportFeedback.FORMAT) {
                    kind = RtcpKind.TRANSPORT_FEEDBACK;
                    return transportFeedback.wrap(segment, at, length)
                            ? null : RtcpDropReason.MALFORMED_TRANSPORT_FEEDBACK;
                }
                kind = RtcpKind.RTPFB_OTHER;
                return feedback.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
            }
            case TYPE_PSFB -> {
                if (count == 1) {
                    kind = RtcpKind.PLI;
                    return feedback.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
                }
                if (count == FullIntraRequest.FORMAT) {
                    kind = RtcpKind.FIR;
                    return fullIntraRequest.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
                }
                if (count == Remb.FORMAT && length >= FeedbackPacket.FCI + 4
                        && BigEndian.u32(segment, at + FeedbackPacket.FCI) == Remb.IDENTIFIER) {
                    kind = RtcpKind.REMB;
                    return remb.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
                }
                kind = RtcpKind.PSFB_OTHER;
                return feedback.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_FEEDBACK;
            }
            case TYPE_XR -> {
                kind = RtcpKind.EXTENDED_REPORT;
                return extendedReport.wrap(segment, at, length) ? null : RtcpDropReason.MALFORMED_XR;
            }
            default -> {
                kind = RtcpKind.UNKNOWN;
                return null;
            }
        }
    }

    private boolean endWith(RtcpDropReason reason) {
        drop(reason);
        ended = true;
        return false;
    }

    private void drop(RtcpDropReason reason) {
        dropped[reason.ordinal()]++;
        droppedInCompound++;
        lastDropReason = reason;
    }

    /** What the current packet is. */
    public RtcpKind kind() {
        return kind;
    }

    /** The current packet's type octet (200..207, or another value for {@link RtcpKind#UNKNOWN}). */
    public int packetType() {
        return BigEndian.u8(segment, packetOffset + 1);
    }

    /** The five bits after V and P: report/source count, or feedback format. */
    public int countOrFormat() {
        return BigEndian.u8(segment, packetOffset) & 0x1F;
    }

    /** The segment the compound lies in. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset in {@link #segment()} of the current packet's first header byte. */
    public long packetOffset() {
        return packetOffset;
    }

    /** Length of the current packet, header included and padding excluded. */
    public int packetLength() {
        return packetLength;
    }

    public SenderReport senderReport() {
        return senderReport;
    }

    public ReceiverReport receiverReport() {
        return receiverReport;
    }

    public SourceDescription sourceDescription() {
        return sourceDescription;
    }

    public Goodbye goodbye() {
        return goodbye;
    }

    public AppPacket app() {
        return app;
    }

    /** The feedback view for {@link RtcpKind#PLI}, {@link RtcpKind#RTPFB_OTHER} and {@link RtcpKind#PSFB_OTHER}. */
    public FeedbackPacket feedback() {
        return feedback;
    }

    public GenericNack nack() {
        return nack;
    }

    public FullIntraRequest fullIntraRequest() {
        return fullIntraRequest;
    }

    public Remb remb() {
        return remb;
    }

    public TransportFeedback transportFeedback() {
        return transportFeedback;
    }

    public ExtendedReport extendedReport() {
        return extendedReport;
    }

    /** Packets (or compound tails) refused since the last {@link #wrap}. */
    public int droppedInCompound() {
        return droppedInCompound;
    }

    /** Why the most recent refusal since the last {@link #wrap} happened, or null if none. */
    public RtcpDropReason lastDropReason() {
        return lastDropReason;
    }

    /** Refusals for every reason over the cursor's lifetime. */
    public long droppedTotal() {
        long total = 0;
        for (long n : dropped) {
            total += n;
        }
        return total;
    }

    /** Refusals for {@code reason} over the cursor's lifetime. */
    public long dropped(RtcpDropReason reason) {
        return dropped[reason.ordinal()];
    }
}
