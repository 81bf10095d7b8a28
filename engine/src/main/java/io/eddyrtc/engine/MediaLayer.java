package io.eddyrtc.engine;

import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.bwe.TwccRecorder;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import io.eddyrtc.engine.stream.ReceiveOutcome;
import io.eddyrtc.engine.stream.ReceiveStream;
import io.eddyrtc.engine.stream.ReceiveStreamConfig;
import io.eddyrtc.engine.stream.ReceiveStreams;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The media half of an {@link Rtc}: SRTP/SRTCP in and out; received RTP found its stream (by SSRC, RTX
 * SSRC, the mid and rid header extensions, or the payload type), counted, and either depacketized into
 * samples or handed out as RTP. Sending is {@link MediaSender}'s (samples and RTP-mode packets, NACK
 * answers); RTCP is read by {@link RtcpReader} and written by {@link RtcpSender} on this layer's timers. Outgoing packets
 * live in {@link PacketPool} slots until the {@code Rtc} has lent them to the caller. Per packet, nothing
 * is allocated once a stream is known.
 */
final class MediaLayer {
    /** Streams the peer never declared that one m-line keeps at once (see {@link #roomForUndeclared}). */
    static final int MAX_UNDECLARED = 16;

    private final MediaConfig config;
    private final PacketPool pool;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final byte[] cname;

    private final Map<String, Media> media = new LinkedHashMap<>();
    private final ReceiveStreams streams = new ReceiveStreams();
    private final Map<ReceiveStream, InboundStream> inboundOf = new IdentityHashMap<>();
    private final List<InboundStream> inbound = new ArrayList<>();

    private final RtpHeader header = new RtpHeader();
    private final RtpExtensionValues extensions = new RtpExtensionValues();
    private final byte[] idScratch = new byte[RtpExtensionValues.MAX_ID_BYTES];
    private final RtcpReader rtcpReader;
    private final RtcpSender rtcpSender;
    private final TwccRecorder twcc;
    /** The extension map that numbers packets transport-wide (ids are the same across a BUNDLE), or null. */
    private ExtensionMap twccMap;
    private final ArrayDeque<Event.RtpPacket> freeViews = new ArrayDeque<>();
    /** Protected packets waiting for {@link #pollTransmit}, in pool slots. */
    private final OutgoingQueue outgoing;
    private final MediaSender sender;

    private SrtpSession srtp;
    private boolean connectedWithoutSrtp;
    private long packetsAuthenticated;
    private long packetsSent;
    private long nextReportAt = Long.MAX_VALUE;

    MediaLayer(MediaConfig config, PacketPool pool, RtcDrops drops, ArrayDeque<Event> events, RandomGenerator random,
               long rtcpSsrc, String cname) {
        this.config = config;
        this.pool = pool;
        this.drops = drops;
        this.events = events;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        this.outgoing = new OutgoingQueue(pool, drops);
        this.sender = new MediaSender(this, config, pool, drops, random, outgoing);
        this.twcc = new TwccRecorder(config.mtu());
        this.rtcpReader = new RtcpReader(this, streams, drops, events);
        this.rtcpSender = new RtcpSender(config, pool, drops, outgoing, rtcpSsrc, this.cname);
    }

    // ---------------------------------------------------------------- set-up

    /** DTLS exported the SRTP keys: media can flow, and reports start one interval from {@code now}. */
    void start(long now, SrtpSession session) {
        this.srtp = session;
        rtcpSender.start(session);
        this.nextReportAt = now + config.reportIntervalNanos();
    }

    boolean started() {
        return srtp != null;
    }

    /** DTLS connected without SRTP keys: the peer negotiated no use_srtp, so no media can flow on this Rtc. */
    void connectedWithoutSrtp() {
        connectedWithoutSrtp = true;
    }

    private String noSrtp(String what) {
        return connectedWithoutSrtp
                ? what + " needs SRTP, and DTLS agreed no SRTP profile with the peer (no use_srtp): this connection carries data channels only"
                : what + " needs SRTP keys: wait for Event.Connected";
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

    Media media(String mid) {
        return media.get(mid);
    }

    List<Media> allMedia() {
        return List.copyOf(media.values());
    }

    /** A negotiated m-line appears (SDP or DirectApi): its declared streams are set up at once. */
    Media add(Rtc rtc, NegotiatedMedia info) {
        String mid = info.mid().value();
        if (media.containsKey(mid)) {
            throw new IllegalStateException("mid " + mid + " exists already; change it instead of adding it again");
        }
        Media m = new Media(rtc, info);
        media.put(mid, m);
        declareStreams(m, info);
        findTwccMap();
        events.add(new Event.MediaAdded(mid, info.kind(), info.direction()));
        return m;
    }

    /** A renegotiation changed an m-line: new streams are declared, the direction is updated. */
    void change(NegotiatedMedia info) {
        Media m = media.get(info.mid().value());
        if (m == null) {
            throw new IllegalStateException("mid " + info.mid() + " was never added");
        }
        Direction before = m.direction();
        m.update(info);
        declareStreams(m, info);
        findTwccMap();
        if (before != info.direction()) {
            events.add(new Event.MediaChanged(m.mid(), info.direction()));
        }
    }

    /** An m-line stopped (port 0): it neither sends nor receives any more. */
    void stop(Mid mid) {
        Media m = media.get(mid.value());
        if (m == null) {
            return;
        }
        m.update(m.info().withDirection(Direction.INACTIVE));
        for (int k = inbound.size() - 1; k >= 0; k--) {
            if (inbound.get(k).media == m) {
                retire(inbound.get(k));
            }
        }
        sender.retire(m); // their RTX caches go with them
        events.add(new Event.MediaChanged(m.mid(), Direction.INACTIVE));
    }

    /** Forgets a receive stream: its SSRCs route nowhere until a new stream claims them. */
    private void retire(InboundStream in) {
        streams.remove(in.receive);
        inboundOf.remove(in.receive);
        inbound.remove(in);
    }

    /**
     * Room for one more stream the peer never declared on {@code m}: at most {@value #MAX_UNDECLARED} per
     * m-line (SSRCs change when tracks are replaced; simulcast has a few layers, each with RTX), so a peer
     * sending from ever new SSRCs cannot make us keep a stream — in sample mode with a frame assembler of
     * most of a megabyte — for each. When full, the longest-silent one goes if it has been paused; else the
     * newcomer is refused (and counted by the caller).
     */
    private boolean roomForUndeclared(Media m, long now) {
        int count = 0;
        InboundStream quietest = null;
        for (int k = 0; k < inbound.size(); k++) {
            InboundStream in = inbound.get(k);
            if (in.media == m && !in.declared) {
                count++;
                if (quietest == null || in.receive.lastPacketAt() < quietest.receive.lastPacketAt()) {
                    quietest = in;
                }
            }
        }
        if (count < MAX_UNDECLARED) {
            return true;
        }
        long last = quietest.receive.lastPacketAt();
        if (last == Long.MIN_VALUE || now - last >= config.pauseAfterNanos()) { // never delivered a packet, or paused
            retire(quietest);
            return true;
        }
        return false;
    }

    /** Transport-wide numbers are read with the first m-line's map that negotiated them (BUNDLE shares the id). */
    private void findTwccMap() {
        twccMap = null;
        for (Media m : media.values()) {
            if (m.extensions().idOf(RtpExtension.TRANSPORT_WIDE_CC) > 0) {
                twccMap = m.extensions();
                return;
            }
        }
    }

    private void declareStreams(Media m, NegotiatedMedia info) {
        for (io.eddyrtc.engine.sdp.StreamIds declared : info.receiveStreams()) {
            ReceiveStream known = streams.media(declared.ssrc());
            if (known == null) {
                InboundStream made = newInbound(m, declared.ssrc(), null);
                made.declared = true;
                known = made.receive;
            }
            if (declared.rtxSsrc() >= 0 && streams.repairedBy(declared.rtxSsrc()) == null) {
                streams.associateRtx(declared.rtxSsrc(), known);
            }
        }
        for (io.eddyrtc.engine.sdp.StreamIds declared : info.sendStreams()) {
            sender.declare(m, declared.ssrc(), declared.rtxSsrc(), declared.rid() == null ? null : declared.rid().value());
        }
    }

    private InboundStream newInbound(Media m, long ssrc, String rid) {
        PayloadParams first = m.payloadParams().isEmpty() ? null : m.payloadParams().getFirst();
        int clockRate = first == null ? (m.kind() == MediaKind.AUDIO ? 48_000 : 90_000) : first.spec().clockRate();
        boolean nack = first != null && first.hasFeedback("nack");
        ReceiveStream receive = new ReceiveStream(ssrc, ReceiveStreamConfig.defaults(clockRate).withNack(nack));
        if (rid != null) {
            receive.setRid(rid.getBytes(StandardCharsets.US_ASCII));
        }
        InboundStream in = new InboundStream(m, receive, rid, config);
        streams.add(receive);
        inboundOf.put(receive, in);
        inbound.add(in);
        return in;
    }

    /**
     * DirectApi: receive payload type {@code pt} as {@code codec} on {@code mid}, adding the m-line
     * (receive-only, NACK on for video) if it does not exist yet.
     */
    void receiveMedia(Rtc rtc, String mid, int pt, Codec codec) {
        if (codec.isRepair()) {
            throw new IllegalArgumentException(codec + " repairs another payload type; declare the media codec instead");
        }
        List<String> feedback = codec.kind() == MediaKind.VIDEO ? List.of("nack", "nack pli") : List.of();
        PayloadParams params = new PayloadParams(pt, CodecParams.of(codec, FormatParams.NONE), -1, feedback);
        Media m = media.get(mid);
        if (m == null) {
            add(rtc, NegotiatedMedia.of(Mid.of(mid), codec.kind(), Direction.RECV_ONLY, List.of(params), new ExtensionMap(),
                    new String(cname, StandardCharsets.US_ASCII)));
            return;
        }
        NegotiatedMedia i = m.info();
        List<PayloadParams> codecs = new ArrayList<>(i.codecs());
        codecs.removeIf(p -> p.pt() == pt);
        codecs.add(params);
        change(i.withCodecs(codecs));
    }

    // ---------------------------------------------------------------- receive

    /** SRTP/SRTCP from the peer: unprotected in place, then read. Never throws on the content. */
    void onReceive(long now, DatagramKind kind, InetSocketAddress source, MemorySegment segment, long offset, int length) {
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
            rtcpReader.read(now, source, segment, offset, plain);
        } else {
            onRtp(now, source, segment, offset, plain);
        }
    }

    private void onRtp(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (!header.wrap(segment, offset, length)) {
            drops.count(RtcDropReason.MALFORMED_RTP, source);
            return;
        }
        try {
            long ssrc = header.ssrc();
            if (twccMap != null) { // every packet counts for the sender's estimate: media, RTX, padding
                long where = twccMap.locate(header, RtpExtension.TRANSPORT_WIDE_CC);
                if (where >= 0 && (where & 0xFFFF) >= 2) {
                    twcc.onPacket(now, io.eddyrtc.buffers.BigEndian.u16(header.segment(), header.offset() + (where >>> 16)), ssrc);
                }
            }
            ReceiveStream receive = streams.media(ssrc);
            boolean repair = false;
            if (receive == null) {
                receive = streams.repairedBy(ssrc);
                repair = receive != null;
            }
            if (receive == null) {
                InboundStream found = discover(now, ssrc);
                if (found == null) {
                    drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
                    return;
                }
                receive = found.receive;
                repair = receive.ssrc() != ssrc;
            }
            InboundStream in = inboundOf.get(receive);
            if (in == null || !in.media.direction().isReceiving()) {
                drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
                return;
            }
            ReceiveOutcome outcome;
            if (repair) {
                PayloadParams main = in.media.payloadFor(header.payloadType());
                if (main == null || main.rtxPt() != header.payloadType()) {
                    drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
                    return;
                }
                outcome = receive.onRtx(now, header, main.pt());
            } else {
                outcome = receive.onRtp(now, header);
            }
            if (outcome == ReceiveOutcome.PADDING) {
                // numbered but empty (bandwidth probing): the assemblers must see the number, or it looks lost
                if (config.rtpMode()) {
                    deliverRtp(now, in, receive, source);
                } else {
                    fill(now, in, receive);
                }
                return;
            }
            if (outcome != ReceiveOutcome.NEW && outcome != ReceiveOutcome.LATE) {
                return; // duplicates, stale packets and jumps are counted by the stream
            }
            if (receive.justRestarted()) {
                in.restart(); // the sender's sequence numbers started over: so must the frames keyed by them
            }
            if (in.paused) {
                in.paused = false;
                events.add(new Event.StreamPaused(in.media.mid(), in.rid, receive.ssrc(), false));
            }
            PayloadParams payload = in.media.payloadFor(header.payloadType());
            if (payload == null || payload.pt() != header.payloadType()) {
                drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
                fill(now, in, receive);
                return;
            }
            if (config.rtpMode()) {
                deliverRtp(now, in, receive, source);
            } else if (payload.codec().isRepair()) {
                drops.count(RtcDropReason.NOT_DEPACKETIZED, source); // RED/ULPFEC: forwarded in RTP mode, not decoded
                fill(now, in, receive);
            } else {
                depacketize(now, in, payload, receive);
            }
        } finally {
            header.unwrap();
        }
    }

    /**
     * A packet from an SSRC no stream claims yet: finds its m-line (mid extension, else the only m-line
     * with its payload type) and either starts a stream for it or, for an RTX payload type, ties it to the
     * stream it repairs (repaired-rid extension, else the m-line's only stream without RTX). Runs once per
     * new SSRC, so it may allocate.
     */
    private InboundStream discover(long now, long ssrc) {
        int pt = header.payloadType();
        Media m = null;
        for (Media candidate : media.values()) {
            extensions.clear();
            candidate.extensions().parse(header, extensions);
            if (extensions.has(RtpExtension.MID)) {
                if (extensions.midEquals(candidate.midAscii())) {
                    m = candidate;
                    break;
                }
                continue;
            }
            if (candidate.info().payload(pt) != null && candidate.direction().isReceiving()) {
                if (m != null) {
                    return null; // two m-lines share the payload type and nothing says which: unroutable
                }
                m = candidate;
            }
        }
        if (m == null || !m.direction().isReceiving()) {
            return null; // held or stopped: no stream for it (a late packet must not bring a stopped one back)
        }
        extensions.clear();
        m.extensions().parse(header, extensions);
        PayloadParams params = m.info().payload(pt);
        if (params == null) {
            return null;
        }
        if (params.pt() != pt) { // an RTX payload type: find the stream it repairs
            ReceiveStream repaired = streams.associateByRepairedRid(ssrc, extensions, idScratch);
            if (repaired == null && (extensions.has(RtpExtension.REPAIRED_RID) || !m.receiveRids().isEmpty())) {
                // it names a layer (or the m-line has layers) whose stream has not appeared yet: guessing
                // would tie this RTX stream to the wrong layer for good, so wait for the layer's media
                return null;
            }
            if (repaired == null) {
                InboundStream only = null;
                for (InboundStream in : inbound) {
                    if (in.media == m && in.receive.rtxSsrc() < 0) {
                        if (only != null) {
                            return null;
                        }
                        only = in;
                    }
                }
                if (only == null) {
                    return null;
                }
                streams.associateRtx(ssrc, only.receive);
                repaired = only.receive;
            }
            return inboundOf.get(repaired);
        }
        if (!roomForUndeclared(m, now)) {
            return null;
        }
        String rid = null;
        if (extensions.has(RtpExtension.RID)) {
            int n = extensions.copyRid(idScratch);
            rid = new String(idScratch, 0, n, StandardCharsets.US_ASCII);
        }
        return newInbound(m, ssrc, rid);
    }

    /**
     * Sample mode: the payload goes to its type's assembler, an empty fill of the same number to the
     * stream's other assemblers, and every frame that completes comes out as {@link Event.MediaData}.
     */
    private void depacketize(long now, InboundStream in, PayloadParams payload, ReceiveStream receive) {
        FrameAssembler own = in.assemblerFor(payload, now);
        if (own == null) {
            drops.count(RtcDropReason.NOT_DEPACKETIZED, null); // a fifth payload type within a second: not decoded
            fill(now, in, receive);
            return;
        }
        long sequence = receive.lastExtendedSequence();
        long timestamp = receive.lastExtendedTimestamp();
        own.push(sequence, timestamp, header.marker(), header.segment(), header.offset() + header.payloadOffset(),
                header.payloadLength());
        for (int i = 0; i < in.slots(); i++) {
            FrameAssembler other = in.assembler(i);
            if (other != null && other != own) {
                other.push(sequence, timestamp, false, header.segment(), header.offset(), 0);
            }
        }
        emitFrames(now, in, receive);
    }

    /** A number that carries no media of ours (padding, an unknown or undecoded type): an empty fill everywhere. */
    private void fill(long now, InboundStream in, ReceiveStream receive) {
        long sequence = receive.lastExtendedSequence();
        for (int i = 0; i < in.slots(); i++) {
            FrameAssembler a = in.assembler(i);
            if (a != null) {
                a.push(sequence, receive.lastExtendedTimestamp(), false, header.segment(), header.offset(), 0);
            }
        }
        emitFrames(now, in, receive);
    }

    private void emitFrames(long now, InboundStream in, ReceiveStream receive) {
        for (int i = 0; i < in.slots(); i++) {
            FrameAssembler a = in.assembler(i);
            if (a == null) {
                continue;
            }
            PayloadParams params = in.params(i);
            while (a.pop()) {
                byte[] data = a.frame().toByteArray();
                events.add(new Event.MediaData(in.media.mid(), params.pt(), params.codec(), receive.ssrc(), in.rid,
                        a.frameTimestamp(), data, a.frameKeyframe(), a.frameContiguous(), now));
            }
        }
    }

    /** RTP mode: the packet is copied into a pool slot that a reused view lends to the caller. */
    private void deliverRtp(long now, InboundStream in, ReceiveStream receive, InetSocketAddress source) {
        PacketBuffer slot = pool.acquire();
        if (slot.isNone() || slot.segment().byteSize() < header.length()) {
            if (!slot.isNone()) {
                pool.release(slot);
            }
            drops.count(RtcDropReason.RECEIVE_BUFFER_FULL, source);
            return;
        }
        MemorySegment.copy(header.segment(), header.offset(), slot.segment(), 0, header.length());
        slot.length(header.length());
        Event.RtpPacket view = freeViews.poll();
        if (view == null) {
            view = new Event.RtpPacket();
        }
        events.add(view.set(in.media.mid(), in.rid, receive.lastExtendedSequence(), receive.lastExtendedTimestamp(), now, slot));
    }

    /** The caller is done with an {@link Event.RtpPacket}: its slot goes back to the pool, the view to reuse. */
    void recycle(Event.RtpPacket view) {
        PacketBuffer slot = view.release();
        if (!slot.isNone()) {
            pool.release(slot);
        }
        freeViews.add(view);
    }

    /** The peer NACKed {@code sequence} of {@code out}'s stream (see {@link MediaSender#answerNack}). */
    void answerNack(long now, OutboundStream out, int sequence) {
        sender.answerNack(now, out, sequence);
    }

    /** The stream we send with {@code ssrc}, or null. */
    OutboundStream outboundBySsrc(long ssrc) {
        return sender.bySsrc(ssrc);
    }

    boolean writeSample(long now, Media m, PayloadParams payload, String rid, long wallclockNanos, long ticks,
                        MemorySegment data, long offset, int length) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("writing samples"));
        }
        return sender.writeSample(now, m, payload, rid, wallclockNanos, ticks, data, offset, length);
    }

    boolean writeRtp(long now, MemorySegment packet, long offset, int length) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("writing RTP"));
        }
        return sender.writeRtp(now, packet, offset, length, twccMap);
    }

    /** The next protected packet to send, or {@link PacketBuffer#NONE}; the caller releases it to the pool. */
    PacketBuffer pollTransmit() {
        PacketBuffer next = outgoing.poll();
        if (!next.isNone()) {
            packetsSent++;
        }
        return next;
    }

    // ---------------------------------------------------------------- RTCP out and timers

    /** Sends a PLI to the sender of every stream received on {@code mid}, each within its rate limit. */
    void requestKeyframe(long now, String mid) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("requesting a keyframe"));
        }
        for (int i = 0; i < inbound.size(); i++) {
            InboundStream in = inbound.get(i);
            if (in.media.mid().equals(mid) && in.receive.lastPacketAt() != Long.MIN_VALUE
                    && in.receive.keyframeRequests().tryRequest(now)) {
                rtcpSender.pli(in.receive.ssrc());
            }
        }
    }

    /** Announces a receive budget by REMB (see {@link Rtc#setReceiveBitrate}). */
    void setReceiveBitrate(long bitsPerSecond) {
        rtcpSender.setRembBitrate(bitsPerSecond, inbound);
    }

    /** When {@link #handleTimeout} next has work: a report, or a NACK falling due. */
    long nextDeadline(long now) {
        if (srtp == null) {
            return Long.MAX_VALUE;
        }
        long next = Math.min(nextReportAt, twcc.dueAt());
        for (int i = 0; i < inbound.size(); i++) {
            InboundStream in = inbound.get(i);
            next = Math.min(next, in.receive.nextTimeout());
            if (!in.paused && in.receive.lastPacketAt() != Long.MIN_VALUE) {
                next = Math.min(next, in.receive.lastPacketAt() + config.pauseAfterNanos());
            }
        }
        return next;
    }

    void handleTimeout(long now) {
        if (srtp == null) {
            return;
        }
        for (int i = 0; i < inbound.size(); i++) {
            InboundStream in = inbound.get(i);
            if (now >= in.receive.nextTimeout()) {
                rtcpSender.nacks(now, in.receive);
            }
            long last = in.receive.lastPacketAt();
            if (!in.paused && last != Long.MIN_VALUE && now >= last + config.pauseAfterNanos()) {
                in.paused = true;
                events.add(new Event.StreamPaused(in.media.mid(), in.rid, in.receive.ssrc(), true));
            }
        }
        if (now >= twcc.dueAt()) {
            io.eddyrtc.engine.rtcp.TwccReport feedback = twcc.nextFeedback(now);
            if (feedback != null) {
                rtcpSender.transportFeedback(twcc.mediaSsrc(), feedback);
            }
        }
        if (now >= nextReportAt) {
            rtcpSender.reports(now, sender.streams(), inbound);
            nextReportAt = now + config.reportIntervalNanos();
        }
    }

    /**
     * The {@code Rtc} is closing: queued packets go back to the pool, and so do the slots of RTP-mode views
     * still waiting in {@code pending} events; SRTP keys are wiped.
     */
    void close(ArrayDeque<Event> pending) {
        outgoing.clear();
        pending.removeIf(e -> {
            if (e instanceof Event.RtpPacket view) {
                recycle(view);
                return true;
            }
            return false;
        });
        if (srtp != null) {
            srtp.close();
        }
    }

    /** For tests: entries in the SSRC table (media and RTX). */
    int ssrcEntries() {
        return streams.size();
    }

    /** For tests: whether a receive stream exists for media SSRC {@code ssrc}. */
    boolean hasStream(long ssrc) {
        return streams.media(ssrc) != null;
    }

    /** Statistics events for every stream, on the {@code Rtc}'s statistics interval. */
    void emitStats(long now) {
        for (int i = 0; i < inbound.size(); i++) {
            InboundStream in = inbound.get(i);
            if (in.receive.lastPacketAt() != Long.MIN_VALUE) {
                events.add(new Event.MediaIngressStats(in.media.mid(), in.rid, in.receive.stats(now)));
            }
        }
        List<OutboundStream> outbound = sender.streams();
        for (int i = 0; i < outbound.size(); i++) {
            OutboundStream out = outbound.get(i);
            if (out.send() != null) {
                events.add(new Event.MediaEgressStats(out.media.mid(), out.rid, out.send().stats(now)));
            }
        }
    }
}
