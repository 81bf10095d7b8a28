package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.NtpTime;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Packetizer;
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

    private final MediaConfig config;
    private final PacketPool pool;
    private final RtcDrops drops;
    private final RandomGenerator random;
    private final OutgoingQueue outgoing;
    private final List<SsrcSender> outbound = new ArrayList<>();
    private final RtpExtensionValues sendExtensions = new RtpExtensionValues();
    private final RtpHeader sendHeader = new RtpHeader();
    private final MemorySegment payloadScratch = MemorySegment.ofArray(new byte[2048]);
    /** Our transport-wide sequence number: one count across every stream we send (RTX included). */
    private int transportSequence;
    private SrtpSession srtp;

    MediaSender(MediaConfig config, PacketPool pool, RtcDrops drops, RandomGenerator random, OutgoingQueue outgoing) {
        this.config = config;
        this.pool = pool;
        this.drops = drops;
        this.random = random;
        this.outgoing = outgoing;
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
                outbound.add(new SsrcSender(m, ids.ssrc(), ids.rtxSsrc(), ids.rid() == null ? null : ids.rid().value()));
            }
        }
    }

    /** The m-line stopped: its streams (and their RTX caches) go. */
    void retire(MediaSection m) {
        outbound.removeIf(o -> o.section == m);
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
        numberTransportWide(out.section.extensions(), slot.segment(), n); // a repair is a new packet on the wire
        queueRtp(slot, n);
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
            sendExtensions.setAbsCaptureTime(NtpTime.fromUnixNanos(wallclockNanos));
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
        SsrcSender made = new SsrcSender(m, random.nextInt() & 0xFFFF_FFFFL, -1, rid);
        outbound.add(made);
        return made;
    }

    /**
     * RTP mode: copies, protects and queues one packet (see {@code Rtc.writeRtp}). A packet on the SSRC of
     * a stream we declared (SDP or DirectApi) is also kept for NACKs and counted in its reports.
     */
    boolean writeRtp(long now, MemorySegment packet, long offset, int length, ExtensionMap twccMap) {
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
            SsrcSender out = bySsrc(BigEndian.u32(target, 8)); // the SSRC
            ExtensionMap numbering = out != null ? out.section.extensions() : twccMap;
            if (numbering != null) {
                numberTransportWide(numbering, target, length); // ours, not the publisher's numbering
            }
            if (out != null) {
                PayloadParams payload = out.section.payloadFor(BigEndian.u8(target, 1));
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
        int protectedLength = srtp.outbound().protectRtp(slot.segment(), 0, length, (int) slot.segment().byteSize());
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
