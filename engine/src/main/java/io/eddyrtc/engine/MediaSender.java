package io.eddyrtc.engine;

import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Packetizer;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
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

    private final MediaLayer layer;
    private final MediaConfig config;
    private final PacketPool pool;
    private final RtcDrops drops;
    private final RandomGenerator random;
    private final OutgoingQueue outgoing;
    private final List<OutboundStream> outbound = new ArrayList<>();
    private final RtpExtensionValues sendExtensions = new RtpExtensionValues();
    private final RtpHeader sendHeader = new RtpHeader();
    private final MemorySegment payloadScratch = MemorySegment.ofArray(new byte[2048]);
    /** Our transport-wide sequence number: one count across every stream we send (RTX included). */
    private int transportSequence;

    /** {@code layer} gives the SRTP session once DTLS is up. */
    MediaSender(MediaLayer layer, MediaConfig config, PacketPool pool, RtcDrops drops, RandomGenerator random,
                OutgoingQueue outgoing) {
        this.layer = layer;
        this.config = config;
        this.pool = pool;
        this.drops = drops;
        this.random = random;
        this.outgoing = outgoing;
    }

    /** The streams we send, for reports and statistics (read-only to callers). */
    List<OutboundStream> streams() {
        return outbound;
    }

    /** A stream declared by SDP or the DirectApi, unless its SSRC is known already. */
    void declare(Media m, long ssrc, long rtxSsrc, String rid) {
        if (bySsrc(ssrc) == null) {
            outbound.add(new OutboundStream(m, ssrc, rtxSsrc, rid));
        }
    }

    /** The m-line stopped: its streams (and their RTX caches) go. */
    void retire(Media m) {
        outbound.removeIf(o -> o.media == m);
    }

    /** The peer NACKed {@code sequence} of {@code out}'s stream: an RTX packet goes out if the cache and budget allow. */
    void answerNack(long now, OutboundStream out, int sequence) {
        SendStream send = out.send();
        PacketBuffer slot = pool.acquire();
        if (slot.isNone()) {
            drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
            return;
        }
        int room = (int) slot.segment().byteSize() - layer.srtp().outbound().rtpOverhead();
        int n = send.answerNack(now, sequence, slot.segment(), 0, room);
        if (n <= 0) {
            pool.release(slot); // not cached, over the RTX budget or no RTX: counted by the stream
            return;
        }
        numberTransportWide(out.media.extensions(), slot.segment(), n); // a repair is a new packet on the wire
        queueRtp(slot, n);
    }

    /** The stream we send with {@code ssrc}, or null. A short list, scanned without an iterator. */
    OutboundStream bySsrc(long ssrc) {
        for (int i = 0; i < outbound.size(); i++) {
            OutboundStream o = outbound.get(i);
            if (o.ssrc == ssrc) {
                return o;
            }
        }
        return null;
    }

    /** Packetizes, numbers, caches, protects and queues one sample. See {@link MediaWriter#write}. */
    boolean writeSample(long now, Media m, PayloadParams payload, String rid, long wallclockNanos, long ticks,
                        MemorySegment data, long offset, int length) {
        SrtpSession srtp = layer.srtp();
        if (!m.direction().isSending()) {
            throw new IllegalStateException("mid " + m.mid() + " is " + m.direction() + " now: nothing is sent on it");
        }
        OutboundStream out = sendStreamFor(m, rid);
        Packetizer packetizer = out.packetizerFor(payload);
        SendStream send = out.sendStream(payload, random);
        int payloadRoom = config.mtu() - HEADER_ROOM - srtp.outbound().rtpOverhead();
        if (pool.maxSlots() - pool.inUse() < length / payloadRoom + 2) {
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
            sendExtensions.setAbsCaptureTime(io.eddyrtc.buffers.NtpTime.fromUnixNanos(wallclockNanos));
        }
        boolean transportWide = map.idOf(RtpExtension.TRANSPORT_WIDE_CC) > 0;
        if (map.idOf(RtpExtension.ABS_SEND_TIME) > 0) {
            sendExtensions.setAbsSendTime(RtpExtensionValues.absSendTimeOf(now + config.wallclockOffsetNanos()));
        }
        while (packetizer.hasNext()) {
            int n = packetizer.next(payloadScratch, 0);
            PacketBuffer slot = pool.acquire();
            if (slot.isNone()) {
                drops.count(RtcDropReason.SEND_BUFFER_FULL, null);
                return false;
            }
            int room = (int) slot.segment().byteSize() - srtp.outbound().rtpOverhead();
            if (transportWide) {
                sendExtensions.setTransportSequence(transportSequence++ & 0xFFFF);
            }
            int packet = send.write(now, slot.segment(), 0, room, packetizer.marker(), ticks, payloadScratch, 0, n, map,
                    sendExtensions);
            if (packet < 0) {
                pool.release(slot);
                throw new IllegalStateException("a " + n + "-byte payload did not fit a " + room + "-byte slot; the media MTU ("
                        + config.mtu() + ") must stay well under the pool's slot size");
            }
            queueRtp(slot, packet);
        }
        return true;
    }

    private OutboundStream sendStreamFor(Media m, String rid) {
        OutboundStream any = null;
        for (int i = 0; i < outbound.size(); i++) {
            OutboundStream o = outbound.get(i);
            if (o.media == m) {
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
        OutboundStream made = new OutboundStream(m, random.nextInt() & 0xFFFF_FFFFL, -1, rid);
        outbound.add(made);
        return made;
    }

    /**
     * RTP mode: copies, protects and queues one packet. See {@link Rtc#writeRtp}. A packet on the SSRC of
     * a stream we declared (SDP or DirectApi) is also kept for NACKs and counted in its reports.
     */
    boolean writeRtp(long now, MemorySegment packet, long offset, int length, ExtensionMap twccMap) {
        SrtpSession srtp = layer.srtp();
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
        if (length >= RtpHeader.FIXED) {
            OutboundStream out = bySsrc(io.eddyrtc.buffers.BigEndian.u32(target, 8)); // the SSRC
            ExtensionMap numbering = out != null ? out.media.extensions() : twccMap;
            if (numbering != null) {
                numberTransportWide(numbering, target, length); // ours, not the publisher's numbering
            }
            if (out != null) {
                PayloadParams payload = out.media.payloadFor(io.eddyrtc.buffers.BigEndian.u8(target, 1));
                if (out.send() != null) { // any payload type: forwarded audio mixes e.g. Opus and telephone-event
                    out.send().recordForwarded(now, target, 0, length);
                } else if (payload != null) {
                    out.sendStream(payload, random).recordForwarded(now, target, 0, length);
                }
            }
        }
        return queueRtp(slot, length);
    }

    /**
     * Gives the packet in {@code segment} our next transport-wide sequence number, if it carries the
     * extension under {@code map}'s id (RTX repairs and forwarded packets keep the number of another send).
     */
    private void numberTransportWide(ExtensionMap map, MemorySegment segment, int length) {
        if (map.idOf(RtpExtension.TRANSPORT_WIDE_CC) <= 0 || !sendHeader.wrap(segment, 0, length)) {
            return;
        }
        if (map.rewriteTransportSequence(sendHeader, transportSequence & 0xFFFF)) {
            transportSequence++;
        }
        sendHeader.unwrap();
    }

    private boolean queueRtp(PacketBuffer slot, int length) {
        int protectedLength = layer.srtp().outbound().protectRtp(slot.segment(), 0, length, (int) slot.segment().byteSize());
        if (protectedLength < 0) {
            pool.release(slot);
            drops.count(RtcDropReason.SRTP_REJECTED, null);
            return false;
        }
        slot.length(protectedLength);
        outgoing.add(slot);
        return true;
    }

}
