package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Packetizer;
import io.eddyrtc.engine.packet.Vp8PictureNumbers;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.sdp.StreamIds;
import io.eddyrtc.engine.stream.SendStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The send half of the media path: samples packetized, numbered (per stream and transport-wide), cached
 * for NACKs and protected; RTP-mode packets renumbered transport-wide and cached on declared SSRCs; NACKs
 * answered with RTX. Everything goes into the {@link OutgoingQueue} in pool slots. Allocates nothing per
 * packet once a stream sends.
 */
final class MediaSender {
    /** Header room kept free in every media packet: the fixed header and the extensions we write. */
    private static final int HEADER_ROOM = 12 + 48;
    /** How often RTX histories give back what fell out of their window. */
    private static final long EXPIRE_INTERVAL_NANOS = 250_000_000L;

    private final MediaConfig config;
    private final PacketPool pool;
    private final MemoryBudget memory;
    private final RtcDrops drops;
    private final RandomGenerator random;
    private final OutgoingQueue outgoing;
    private final RtcTimeline timeline;
    private final List<SsrcSender> outbound = new ArrayList<>();
    private final RtpExtensionValues sendExtensions = new RtpExtensionValues();
    private final RtpHeader sendHeader = new RtpHeader();
    /** Our transport-wide sequence number: one count across every stream we send (RTX included). */
    private int transportSequence;
    private SrtpSession srtp;
    private long nextExpireAt = Long.MIN_VALUE;
    /** What {@link #declaredStream} found for the RTP-mode packet it numbered: its transport-wide number and lane. */
    private int declaredNumber = -1;
    private OutgoingQueue.Lane declaredLane = OutgoingQueue.Lane.IMMEDIATE;
    private int paddingNumber = -1;

    /** {@code memory}: what the RTX histories' slots are charged to; {@code timeline}: where streams added and removed are recorded. */
    MediaSender(MediaConfig config, PacketPool pool, MemoryBudget memory, RtcDrops drops, RandomGenerator random,
                OutgoingQueue outgoing, RtcTimeline timeline) {
        this.config = config;
        this.pool = pool;
        this.memory = memory;
        this.drops = drops;
        this.random = random;
        this.outgoing = outgoing;
        this.timeline = timeline;
    }

    /** DTLS exported the SRTP keys: everything sent from here on is protected with {@code session}. */
    void start(SrtpSession session) {
        this.srtp = session;
    }

    /** The streams we send, for reports and statistics (read-only to callers). */
    List<SsrcSender> streams() {
        return outbound;
    }

    /** The streams {@code m} declares we send (SDP or DirectApi), unless their SSRCs are known already. */
    void declare(MediaSection m, List<StreamIds> declared) {
        for (StreamIds ids : declared) {
            if (bySsrc(ids.ssrc()) == null) {
                add(new SsrcSender(m, ids.ssrc(), ids.rtxSsrc(), ids.rid() == null ? null : ids.rid().value()), true);
            }
        }
    }

    /** The m-line stopped: its streams (and their RTX histories' slots) go. */
    void retire(MediaSection m) {
        for (int i = outbound.size() - 1; i >= 0; i--) {
            if (outbound.get(i).section == m) {
                SsrcSender gone = outbound.remove(i);
                gone.close();
                timeline.streamRemoved(false, m.mid(), gone.rid, gone.ssrc);
            }
        }
    }

    private SsrcSender add(SsrcSender out, boolean declared) {
        outbound.add(out);
        timeline.streamAdded(false, out.section.mid(), out.rid, out.ssrc, declared);
        return out;
    }

    /** Each stream's NACKs from the peer and the RTX they brought since the last summary go on {@code timeline}. */
    void summarize(RtcTimeline timeline) {
        for (int i = 0; i < outbound.size(); i++) {
            outbound.get(i).summarize(timeline);
        }
    }

    /** The {@code Rtc} is closing: every RTX history gives its slots back to the (possibly shared) pool. */
    void close() {
        for (int i = 0; i < outbound.size(); i++) {
            outbound.get(i).close();
        }
    }

    /**
     * When the RTX histories next give back the slots of packets older than their window: every
     * {@link #EXPIRE_INTERVAL_NANOS} while any holds a slot, never while none does.
     */
    long nextDeadline() {
        for (int i = 0; i < outbound.size(); i++) {
            SendStream send = outbound.get(i).send();
            if (send != null && send.history() != null && send.history().held() > 0) {
                return nextExpireAt;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Now and then, the RTX histories give back the slots of packets older than their window. */
    void handleTimeout(long now) {
        if (now < nextExpireAt) {
            return;
        }
        nextExpireAt = now + EXPIRE_INTERVAL_NANOS;
        for (int i = 0; i < outbound.size(); i++) {
            SendStream send = outbound.get(i).send();
            if (send != null) {
                send.expireHistory(now);
            }
        }
    }

    /** The peer NACKed {@code sequence} of {@code out}'s stream: an RTX packet goes out if the cache and budget allow. */
    void answerNack(long now, SsrcSender out, int sequence) {
        SendStream send = out.send();
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return;
        }
        int room = (int) slot.segment().byteSize() - srtp.outbound().rtpOverhead();
        int n = send.answerNack(now, sequence, slot.segment(), 0, room);
        if (n <= 0) {
            pool.release(slot); // not cached, over the RTX budget or no RTX: counted by the stream
            return;
        }
        if (out.forwardedFrom != null) { // a forwarded packet's repair carries the extensions it arrived with
            renameForwarded(out.section.extensions(), out.forwardedFrom, slot.segment(), n);
        }
        int number = numberTransportWide(out.section.extensions(), slot.segment(), n); // a repair is a new packet on the wire
        queueRtp(slot, n, OutgoingQueue.Lane.REPAIR, number);
    }

    /** The stream we send with {@code ssrc}, or null. A short list, scanned without an iterator. */
    SsrcSender bySsrc(long ssrc) {
        for (int i = 0; i < outbound.size(); i++) {
            SsrcSender o = outbound.get(i);
            if (o.ssrc == ssrc) {
                return o;
            }
        }
        return null;
    }

    /** Packetizes, numbers, caches, protects and queues one sample (see {@code MediaWriter.write}). */
    boolean writeSample(long now, MediaSection m, PayloadParams payload, String rid, long wallclockNanos, long ticks,
                        MemorySegment data, long offset, int length) {
        if (!m.direction().isSending()) {
            throw new IllegalStateException("mid " + m.mid() + " is " + m.direction() + " now: nothing is sent on it");
        }
        SsrcSender out = sendStreamFor(m, rid);
        Packetizer packetizer = out.packetizerFor(payload);
        SendStream send = out.sendStream(payload, random, config, pool, memory);
        int payloadRoom = config.mtu() - HEADER_ROOM - srtp.outbound().rtpOverhead();
        if (pool.maxSlots() - pool.inUse() < length / payloadRoom + 3) {
            // not room for the whole frame: send none of it rather than a numbered half the receiver cannot repair
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return false;
        }
        packetizer.begin(data, offset, length, payloadRoom);
        ExtensionMap map = m.extensions();
        sendExtensions.clear();
        if (map.idOf(RtpExtension.MID) > 0) {
            sendExtensions.setMid(m.midAscii());
        }
        if (out.ridAscii != null && map.idOf(RtpExtension.RID) > 0) {
            sendExtensions.setRid(out.ridAscii);
        }
        if (map.idOf(RtpExtension.ABS_CAPTURE_TIME) > 0) {
            sendExtensions.setAbsCaptureTime(NtpTime.fromUnixNanos(wallclockNanos));
        }
        boolean transportWide = map.idOf(RtpExtension.TRANSPORT_WIDE_CC) > 0;
        OutgoingQueue.Lane lane = laneOf(m);
        if (map.idOf(RtpExtension.ABS_SEND_TIME) > 0) {
            sendExtensions.setAbsSendTime(RtpExtensionValues.absSendTimeOf(now + config.wallclockOffsetNanos()));
        }
        // each payload is cut into a slot borrowed for this call, rather than into scratch every Rtc would keep
        PacketBuffer scratch = pool.acquire();
        if (scratch.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return false;
        }
        try {
            while (packetizer.hasNext()) {
                int n = packetizer.next(scratch.segment(), 0);
                PacketBuffer slot = pool.acquire();
                if (slot.isNone()) {
                    drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
                    return false;
                }
                int room = (int) slot.segment().byteSize() - srtp.outbound().rtpOverhead();
                int number = -1;
                if (transportWide) {
                    number = transportSequence++ & 0xFFFF;
                    sendExtensions.setTransportSequence(number);
                }
                int packet = send.write(now, slot.segment(), 0, room, packetizer.marker(), ticks, scratch.segment(), 0, n,
                        map, sendExtensions);
                if (packet < 0) {
                    pool.release(slot);
                    throw new IllegalStateException("a " + n + "-byte payload did not fit a " + room + "-byte slot; the media MTU ("
                            + config.mtu() + ") must stay well under the pool's slot size");
                }
                queueRtp(slot, packet, lane, number);
            }
            return true;
        } finally {
            pool.release(scratch);
        }
    }

    private SsrcSender sendStreamFor(MediaSection m, String rid) {
        SsrcSender any = null;
        for (int i = 0; i < outbound.size(); i++) {
            SsrcSender o = outbound.get(i);
            if (o.section == m) {
                if (rid == null ? o.rid == null : rid.equals(o.rid)) {
                    return o;
                }
                any = any == null ? o : any;
            }
        }
        if (rid == null && any != null) {
            throw new IllegalStateException("mid " + m.mid() + " sends simulcast: pick the layer with writer.rid(...)");
        }
        // no stream declared (DirectApi without SSRCs): make one, as a browser would
        return add(new SsrcSender(m, random.nextInt() & 0xFFFF_FFFFL, -1, rid), false);
    }

    /**
     * RTP mode: copies, protects and queues one packet (see {@code Rtc.writeRtp}). A packet on the SSRC of
     * a stream we declared (SDP or DirectApi) is also kept for NACKs (a copy in a slot of its own) and counted
     * in its reports.
     */
    boolean writeRtp(long now, MemorySegment packet, long offset, int length, ExtensionMap twccMap) {
        PacketBuffer slot = slotFor(length);
        if (slot.isNone()) {
            return false;
        }
        MemorySegment target = slot.segment();
        MemorySegment.copy(packet, offset, target, 0, length);
        if (length < RtpHeader.FIXED) {
            return queueRtp(slot, length, OutgoingQueue.Lane.IMMEDIATE, -1);
        }
        SendStream send = declaredStream(target, length, twccMap);
        if (send != null) {
            send.recordForwarded(now, target, 0, length);
            bySsrc(BigEndian.u32(target, 8)).forwardedFrom = null; // written in our own ids
        }
        return queueRtp(slot, length, declaredLane, declaredNumber);
    }

    /**
     * RTP mode, forwarding without a copy to keep (see {@code Rtc.forwardRtp}): {@code source}'s packet (a
     * received packet's slot, which nobody writes any more) goes out with {@code ssrc}, {@code payloadType},
     * {@code sequenceNumber} and {@code timestamp} in its header. The copy that goes out is protected in a
     * slot of its own as usual; what waits for NACKs is {@code source} itself, shared with whoever else holds
     * it, plus the rewrite. A VP8 payload also takes {@code vp8PictureId} and {@code vp8Tl0PicIdx} (-1: as it is).
     */
    boolean forwardRtp(long now, PacketBuffer source, ExtensionMap sourceExtensions, long ssrc, int payloadType, int sequenceNumber,
                       long timestamp, int vp8PictureId, int vp8Tl0PicIdx, ExtensionMap twccMap) {
        int length = source.length();
        if (length < RtpHeader.FIXED) {
            throw new IllegalArgumentException("a forwarded packet is RTP, at least " + RtpHeader.FIXED + " bytes; got " + length);
        }
        PacketBuffer slot = slotFor(length);
        if (slot.isNone()) {
            return false;
        }
        MemorySegment target = slot.segment();
        MemorySegment.copy(source.readOnlySegment(), 0, target, 0, length);
        BigEndian.putU8(target, 1, (BigEndian.u8(target, 1) & 0x80) | (payloadType & 0x7F));
        BigEndian.putU16(target, 2, sequenceNumber & 0xFFFF);
        BigEndian.putU32(target, 4, timestamp & 0xFFFF_FFFFL);
        BigEndian.putU32(target, 8, ssrc & 0xFFFF_FFFFL);
        SsrcSender out = bySsrc(ssrc & 0xFFFF_FFFFL);
        if (out != null) {
            out.forwardedFrom = sourceExtensions;
        }
        renameForwarded(out != null ? out.section.extensions() : twccMap, sourceExtensions, target, length);
        boolean renumbered = (vp8PictureId >= 0 || vp8Tl0PicIdx >= 0) && isVp8(out, payloadType)
                && renumberVp8(target, length, vp8PictureId, vp8Tl0PicIdx);
        SendStream send = declaredStream(target, length, twccMap);
        if (send != null) {
            send.recordShared(now, source, sequenceNumber, timestamp, renumbered ? vp8PictureId : -1, renumbered ? vp8Tl0PicIdx : -1);
        }
        return queueRtp(slot, length, declaredLane, declaredNumber);
    }

    private static boolean isVp8(SsrcSender out, int payloadType) {
        PayloadParams params = out == null ? null : out.section.payloadFor(payloadType);
        return params != null && params.codec() == Codec.VP8;
    }

    /** Writes the VP8 numbers into the descriptor of the RTP packet in {@code target}; false if it has none to write. */
    private boolean renumberVp8(MemorySegment target, int length, int pictureId, int tl0PicIdx) {
        if (!sendHeader.wrap(target, 0, length)) {
            return false;
        }
        try {
            return Vp8PictureNumbers.rewrite(target, sendHeader.payloadOffset(), sendHeader.payloadLength(), pictureId, tl0PicIdx);
        } finally {
            sendHeader.unwrap();
        }
    }

    /**
     * A forwarded packet's header extensions, written under the ids of the m-line it came in on ({@code from};
     * null: unknown, left as they are), renumbered to {@code map}'s, the m-line it goes out on; then those that
     * name the stream it came in on — its mid, rid and repaired rid — blanked to padding, so that the peer tells
     * it by our SSRC, not by the publisher's names (a browser drops a packet whose rid its m-line does not
     * receive). In place, the length unchanged.
     */
    private void renameForwarded(ExtensionMap map, ExtensionMap from, MemorySegment target, int length) {
        if (map == null || !sendHeader.wrap(target, 0, length)) {
            return;
        }
        map.forwardFrom(from, sendHeader);
        sendHeader.unwrap();
    }

    /** A slot for an RTP-mode packet of {@code length} bytes, or NONE (counted) when the pool has none. */
    private PacketBuffer slotFor(int length) {
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return slot;
        }
        if (length + srtp.outbound().rtpOverhead() > slot.segment().byteSize()) {
            pool.release(slot);
            throw new IllegalArgumentException("an RTP packet of " + length + " bytes does not fit a " + slot.segment().byteSize()
                    + "-byte slot with its SRTP tag; keep packets under the MTU");
        }
        return slot;
    }

    /**
     * Numbers the RTP-mode packet in {@code target} transport-wide (ours, not the publisher's numbering; the
     * number in {@link #declaredNumber}, its lane in {@link #declaredLane}) and returns the send stream of its
     * SSRC if we declared one (made on its first packet), else null.
     */
    private SendStream declaredStream(MemorySegment target, int length, ExtensionMap twccMap) {
        SsrcSender out = bySsrc(BigEndian.u32(target, 8));
        ExtensionMap numbering = out != null ? out.section.extensions() : twccMap;
        declaredNumber = numbering != null ? numberTransportWide(numbering, target, length) : -1;
        // a stream we did not declare may be audio: never held
        declaredLane = out != null ? laneOf(out.section) : OutgoingQueue.Lane.IMMEDIATE;
        if (out == null) {
            return null;
        }
        if (out.send() != null) { // any payload type: forwarded audio mixes e.g. Opus and telephone-event
            return out.send();
        }
        PayloadParams payload = out.section.payloadFor(BigEndian.u8(target, 1));
        return payload == null ? null : out.sendStream(payload, random, config, pool, memory);
    }

    /**
     * Gives the packet in {@code segment} our next transport-wide sequence number, if it carries the
     * extension under {@code map}'s id (RTX repairs and forwarded packets keep the number of another send).
     * Returns the number given, or -1.
     */
    private int numberTransportWide(ExtensionMap map, MemorySegment segment, int length) {
        if (map.idOf(RtpExtension.TRANSPORT_WIDE_CC) <= 0 || !sendHeader.wrap(segment, 0, length)) {
            return -1;
        }
        int number = -1;
        if (map.rewriteTransportSequence(sendHeader, transportSequence & 0xFFFF)) {
            number = transportSequence++ & 0xFFFF;
        }
        sendHeader.unwrap();
        return number;
    }

    /** Audio is never held by the pacer; video waits its turn. */
    private static OutgoingQueue.Lane laneOf(MediaSection m) {
        return m.kind() == MediaKind.AUDIO ? OutgoingQueue.Lane.IMMEDIATE : OutgoingQueue.Lane.MEDIA;
    }

    /**
     * A probe packet, protected in a slot of its own, on the first video stream that has sent: an RTX copy of
     * its newest packet when RTX is negotiated, the history has it and {@code copy} allows, else padding-only of
     * about {@code bytes}; numbered transport-wide so it is measured. {@link PacketBuffer#NONE} when no such
     * stream exists or the pool has no slot. Its number is {@link #paddingNumber()} then.
     */
    PacketBuffer padding(long now, int bytes, boolean copy) {
        SsrcSender out = paddingStream();
        if (out == null) {
            return PacketBuffer.NONE;
        }
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            return slot; // no probe is worth a counted drop: the probe just ends short
        }
        ExtensionMap map = out.section.extensions();
        int room = (int) slot.segment().byteSize() - srtp.outbound().rtpOverhead();
        int length = copy ? out.send().writeProbe(now, slot.segment(), 0, room) : 0;
        if (length > 0) {
            if (out.forwardedFrom != null) {
                renameForwarded(map, out.forwardedFrom, slot.segment(), length);
            }
            paddingNumber = numberTransportWide(map, slot.segment(), length);
            length = paddingNumber < 0 ? 0 : length; // a copy without the transport-wide extension measures nothing
        }
        if (length <= 0) {
            sendExtensions.clear();
            paddingNumber = transportSequence++ & 0xFFFF;
            sendExtensions.setTransportSequence(paddingNumber);
            length = out.send().writePadding(now, slot.segment(), 0, room, bytes, map, sendExtensions);
        }
        int protectedLength = length < 0 ? -1 : srtp.outbound().protectRtp(slot.segment(), 0, length, (int) slot.segment().byteSize());
        if (protectedLength < 0) {
            pool.release(slot);
            return PacketBuffer.NONE;
        }
        return slot.length(protectedLength);
    }

    /** The transport-wide number of the last {@link #padding} packet. */
    int paddingNumber() {
        return paddingNumber;
    }

    /** Whether {@link #padding} has a stream to pad on. */
    boolean canPad() {
        return paddingStream() != null;
    }

    private SsrcSender paddingStream() {
        for (int i = 0; i < outbound.size(); i++) {
            SsrcSender o = outbound.get(i);
            if (o.send() != null && o.section.kind() == MediaKind.VIDEO && o.section.direction().isSending()
                    && o.section.extensions().idOf(RtpExtension.TRANSPORT_WIDE_CC) > 0) {
                return o;
            }
        }
        return null;
    }

    private boolean queueRtp(PacketBuffer slot, int length, OutgoingQueue.Lane lane, int number) {
        int protectedLength = srtp.outbound().protectRtp(slot.segment(), 0, length, (int) slot.segment().byteSize());
        if (protectedLength < 0) {
            pool.release(slot);
            drops.count(RtcDropReason.SRTP_REJECTED, null);
            return false;
        }
        slot.length(protectedLength);
        outgoing.add(slot, lane, number);
        return true;
    }
}
