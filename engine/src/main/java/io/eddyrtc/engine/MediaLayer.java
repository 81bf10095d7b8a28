package io.eddyrtc.engine;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.packet.Vp8Depacketizer;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The media half of an {@link Rtc}: SRTP/SRTCP in and out, RTP routed by payload type to per-SSRC
 * receive state, RTCP read for feedback, and the outgoing media queue. Outgoing packets live in
 * {@link PacketPool} slots until the {@code Rtc} has handed them to the caller.
 */
final class MediaLayer {
    private static final int RTCP_PSFB = 206;
    private static final int PSFB_PLI = 1;
    private static final int PSFB_FIR = 4;

    /** What to do with RTP of one payload type: the mid it belongs to and its codec. */
    private record MediaReceiver(String mid, int payloadType, Codec codec) {}

    /** Per-SSRC receive state: the extended RTP timestamp and the depacketizer. */
    private static final class InboundStream {
        final Vp8Depacketizer vp8 = new Vp8Depacketizer();
        final MediaReceiver receiver;
        long lastTimestamp = -1;

        InboundStream(MediaReceiver receiver) {
            this.receiver = receiver;
        }

        long extendTimestamp(long timestamp) {
            lastTimestamp = lastTimestamp < 0 ? timestamp : SequenceNumbers.extend32(lastTimestamp, timestamp);
            return lastTimestamp;
        }
    }

    private final PacketPool pool;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final long rtcpSenderSsrc;
    private final RtpHeader rtpHeader = new RtpHeader();
    private final Map<Integer, MediaReceiver> receivers = new HashMap<>();
    private final Map<Long, InboundStream> inbound = new HashMap<>();
    private final ArrayDeque<PacketBuffer> outgoing = new ArrayDeque<>();
    private SrtpSession srtp;
    private long packetsAuthenticated;
    private long packetsSent;

    MediaLayer(PacketPool pool, RtcDrops drops, ArrayDeque<Event> events, long rtcpSenderSsrc) {
        this.pool = pool;
        this.drops = drops;
        this.events = events;
        this.rtcpSenderSsrc = rtcpSenderSsrc;
    }

    /** DTLS exported the SRTP keys: media can flow. */
    void start(SrtpSession session) {
        this.srtp = session;
    }

    boolean started() {
        return srtp != null;
    }

    SrtpSession srtp() {
        return srtp;
    }

    long packetsAuthenticated() {
        return packetsAuthenticated;
    }

    /** SRTP and SRTCP packets handed out for sending. */
    long packetsSent() {
        return packetsSent;
    }

    void receiveMedia(String mid, int payloadType, Codec codec) {
        if (codec != Codec.VP8 && codec.kind() != MediaKind.AUDIO) {
            throw new IllegalArgumentException(codec + " cannot be received yet: VP8 and audio codecs can; "
                    + "the other depacketizers arrive with the RTP layer");
        }
        receivers.put(payloadType, new MediaReceiver(mid, payloadType, codec));
    }

    /** SRTP/SRTCP from the peer: unprotected in place, then read. Never throws on the content. */
    void onReceive(DatagramKind kind, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (srtp == null) {
            drops.count(RtcDropReason.SRTP_NOT_READY, source);
            return;
        }
        int plain = kind == DatagramKind.RTP
                ? srtp.inbound().unprotectRtp(segment, offset, length)
                : srtp.inbound().unprotectRtcp(segment, offset, length);
        if (plain < 0) {
            drops.count(RtcDropReason.SRTP_REJECTED, source);
            return;
        }
        packetsAuthenticated++;
        if (kind == DatagramKind.RTCP) {
            onRtcp(segment, offset, plain);
        } else {
            onRtp(source, segment, offset, plain);
        }
    }

    private void onRtp(InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (!rtpHeader.wrap(segment, offset, length)) {
            drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
            return;
        }
        MediaReceiver receiver = receivers.get(rtpHeader.payloadType());
        if (receiver == null) {
            rtpHeader.unwrap();
            drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
            return;
        }
        long ssrc = rtpHeader.ssrc();
        InboundStream stream = inbound.computeIfAbsent(ssrc, k -> new InboundStream(receiver));
        byte[] payload = new byte[rtpHeader.payloadLength()];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + rtpHeader.payloadOffset(), payload, 0, payload.length);
        long rtpTime = stream.extendTimestamp(rtpHeader.timestamp());
        if (receiver.codec() == Codec.VP8) {
            Vp8Depacketizer.Frame frame = stream.vp8.push(rtpHeader.sequenceNumber(), rtpHeader.timestamp(), rtpHeader.marker(),
                    payload, 0, payload.length);
            if (frame != null) {
                events.add(new Event.MediaData(receiver.mid(), receiver.payloadType(), receiver.codec(), ssrc, rtpTime,
                        frame.data(), frame.keyframe()));
            }
        } else {
            events.add(new Event.MediaData(receiver.mid(), receiver.payloadType(), receiver.codec(), ssrc, rtpTime, payload, false));
        }
        rtpHeader.unwrap();
    }

    /**
     * Reads an RTCP compound packet: keyframe requests (PLI, FIR) become {@link Event.KeyframeRequest};
     * the other reports are not interpreted yet.
     */
    private void onRtcp(MemorySegment segment, long offset, int length) {
        int at = 0;
        while (at + 4 <= length) {
            int first = BigEndian.u8(segment, offset + at);
            int type = BigEndian.u8(segment, offset + at + 1);
            int bytes = 4 * (BigEndian.u16(segment, offset + at + 2) + 1);
            if (first >>> 6 != 2 || at + bytes > length) {
                drops.count(RtcDropReason.NO_MEDIA_RECEIVER, null); // malformed compound: the rest is not readable
                return;
            }
            int format = first & 0x1F;
            if (type == RTCP_PSFB && bytes >= 12 && (format == PSFB_PLI || format == PSFB_FIR)) {
                // PLI names the media source in its header; FIR lists it in its first FCI entry
                long mediaSsrc = format == PSFB_PLI || bytes < 20
                        ? BigEndian.u32(segment, offset + at + 8)
                        : BigEndian.u32(segment, offset + at + 12);
                events.add(new Event.KeyframeRequest(mediaSsrc, format == PSFB_FIR));
            }
            at += bytes;
        }
    }

    /** Sends a PLI to the sender of every stream received for {@code mid}. */
    void requestKeyframe(String mid) {
        if (srtp == null) {
            throw new IllegalStateException("RTCP needs SRTP keys: wait for Event.Connected");
        }
        for (Map.Entry<Long, InboundStream> e : inbound.entrySet()) {
            if (!e.getValue().receiver.mid().equals(mid)) {
                continue;
            }
            PacketBuffer slot = pool.acquire();
            if (slot.isNone()) {
                drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
                return;
            }
            MemorySegment pli = slot.segment();
            BigEndian.putU8(pli, 0, 0x80 | PSFB_PLI);
            BigEndian.putU8(pli, 1, RTCP_PSFB);
            BigEndian.putU16(pli, 2, 2);
            BigEndian.putU32(pli, 4, rtcpSenderSsrc);
            BigEndian.putU32(pli, 8, e.getKey());
            queueRtcp(slot, 12);
        }
    }

    /** Protects the RTCP compound of {@code length} bytes at the start of {@code slot} and queues it. */
    private void queueRtcp(PacketBuffer slot, int length) {
        int n = srtp.outbound().protectRtcp(slot.segment(), 0, length, (int) slot.segment().byteSize());
        if (n < 0) {
            pool.release(slot);
            drops.count(RtcDropReason.SRTP_REJECTED, null);
            return;
        }
        slot.length(n);
        outgoing.add(slot);
    }

    /** RTP mode: copies, protects and queues one packet. See {@link Rtc#writeRtp}. */
    boolean writeRtp(MemorySegment packet, long offset, int length) {
        if (srtp == null) {
            throw new IllegalStateException("RTP needs SRTP keys: wait for Event.Connected before writing media");
        }
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return false;
        }
        MemorySegment target = slot.segment();
        if (length + srtp.outbound().rtpOverhead() > target.byteSize()) {
            pool.release(slot);
            throw new IllegalArgumentException("an RTP packet of " + length + " bytes does not fit a " + target.byteSize()
                    + "-byte slot with its SRTP tag; keep packets under the MTU");
        }
        MemorySegment.copy(packet, offset, target, 0, length);
        int protectedLength = srtp.outbound().protectRtp(target, 0, length, (int) target.byteSize());
        if (protectedLength < 0) {
            pool.release(slot);
            drops.count(RtcDropReason.SRTP_REJECTED, null);
            return false;
        }
        slot.length(protectedLength);
        outgoing.add(slot);
        return true;
    }

    /** The next protected packet to send, or {@link PacketBuffer#NONE}; the caller releases it to the pool. */
    PacketBuffer pollTransmit() {
        PacketBuffer next = outgoing.poll();
        if (next == null) {
            return PacketBuffer.NONE;
        }
        packetsSent++;
        return next;
    }

    PacketPool pool() {
        return pool;
    }
}
