package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.bwe.TwccRecorder;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.sdp.StreamIds;
import io.eddyrtc.engine.stream.ReceiveOutcome;
import io.eddyrtc.engine.stream.ReceiveStream;
import io.eddyrtc.engine.stream.ReceiveStreamConfig;
import io.eddyrtc.engine.stream.ReceiveStreams;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The receive half of the media path, the mirror of {@link MediaSender}: unprotected RTP finds its stream
 * (by SSRC, RTX SSRC, the mid and rid header extensions, or the payload type), is counted, and is either
 * depacketized into {@link Event.MediaData} samples or lent out as an {@link Event.RtpPacket} (RTP mode).
 * Streams the peer never declared are discovered from their first packet, within a cap per m-line. Asks
 * the {@link RtcpScheduler} for NACKs and PLIs, and reports paused streams. Per packet, nothing is
 * allocated once a stream is known.
 */
final class MediaReceiver {
    /** Streams the peer never declared that one m-line keeps at once (see {@link #roomForUndeclared}). */
    static final int MAX_UNDECLARED = 16;

    private final MediaConfig config;
    private final PacketPool pool;
    private final MemoryBudget memory;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final RtpPacketLender lender;
    private final RtcpScheduler rtcp;
    private final TwccRecorder twcc;
    /** Every m-line of the {@code Rtc}, in order (the media layer's, read here). */
    private final Collection<MediaSection> sections;
    private final RtcTimeline timeline;

    private final ReceiveStreams streams = new ReceiveStreams();
    private final Map<ReceiveStream, SsrcReceiver> receiverOf = new IdentityHashMap<>();
    private final List<SsrcReceiver> receivers = new ArrayList<>();

    /** Frame assemblers held across every stream, within {@link MediaConfig#maxFrameAssemblers()}. */
    private int assemblers;
    /** {@link #discover} refused a new stream for {@link MediaConfig#maxReceiveStreams()}, not for want of a route. */
    private boolean overStreamLimit;

    private final RtpHeader header = new RtpHeader();
    private final RtpExtensionValues extensions = new RtpExtensionValues();
    private final byte[] idScratch = new byte[RtpExtensionValues.MAX_ID_BYTES];
    /** The extension map that numbers packets transport-wide (ids are the same across a BUNDLE), or null. */
    private ExtensionMap twccMap;

    MediaReceiver(MediaConfig config, PacketPool pool, MemoryBudget memory, RtcDrops drops, ArrayDeque<Event> events,
                  RtpPacketLender lender, RtcpScheduler rtcp, TwccRecorder twcc, Collection<MediaSection> sections,
                  RtcTimeline timeline) {
        this.config = config;
        this.pool = pool;
        this.memory = memory;
        this.drops = drops;
        this.events = events;
        this.lender = lender;
        this.rtcp = rtcp;
        this.twcc = twcc;
        this.sections = sections;
        this.timeline = timeline;
    }

    /** The SSRC table of what we receive (media and RTX), which RTCP's sender reports are matched against. */
    ReceiveStreams streams() {
        return streams;
    }

    /** The streams we receive, for reports and statistics (read-only to callers). */
    List<SsrcReceiver> receivers() {
        return receivers;
    }

    /** Transport-wide sequence numbers are read with {@code map}'s id from here on (null: none negotiated). */
    void numberedBy(ExtensionMap map) {
        this.twccMap = map;
    }

    // ---------------------------------------------------------------- set-up

    /** The streams the peer declared on {@code m} (SDP or DirectApi): set up at once, their RTX SSRCs tied to them. */
    void declare(MediaSection m, List<StreamIds> declared) {
        for (StreamIds ids : declared) {
            ReceiveStream known = streams.media(ids.ssrc());
            if (known == null && receivers.size() >= config.maxReceiveStreams()) {
                drops.count(RtcDropReason.STREAM_LIMIT, null);
                continue;
            }
            if (known == null) {
                known = newReceiver(m, ids.ssrc(), null, true).receive;
            }
            if (ids.rtxSsrc() >= 0 && streams.repairedBy(ids.rtxSsrc()) == null) {
                streams.associateRtx(ids.rtxSsrc(), known);
            }
        }
    }

    /** {@code m} stopped: its streams are forgotten, their SSRCs route nowhere until a new stream claims them. */
    void retire(MediaSection m) {
        for (int k = receivers.size() - 1; k >= 0; k--) {
            if (receivers.get(k).section == m) {
                retire(receivers.get(k));
            }
        }
    }

    private void retire(SsrcReceiver in) {
        assemblers -= in.assemblerCount();
        in.close();
        streams.remove(in.receive);
        receiverOf.remove(in.receive);
        receivers.remove(in);
        timeline.streamRemoved(true, in.section.mid(), in.rid, in.receive.ssrc());
    }

    /**
     * Room for one more stream the peer never declared on {@code m}: at most {@value #MAX_UNDECLARED} per
     * m-line (SSRCs change when tracks are replaced; simulcast has a few layers, each with RTX), so a peer
     * sending from ever new SSRCs cannot make us keep a stream (and in sample mode its frame assemblers) for
     * each. When full, the longest-silent one goes if it has been paused; else the
     * newcomer is refused (and counted by the caller).
     */
    private boolean roomForUndeclared(MediaSection m, long now) {
        int count = 0;
        SsrcReceiver quietest = null;
        for (int k = 0; k < receivers.size(); k++) {
            SsrcReceiver in = receivers.get(k);
            if (in.section == m && !in.declared) {
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

    private SsrcReceiver newReceiver(MediaSection m, long ssrc, String rid, boolean declared) {
        PayloadParams first = m.codecs().isEmpty() ? null : m.codecs().getFirst();
        int clockRate = first == null ? (m.kind() == MediaKind.AUDIO ? 48_000 : 90_000) : first.spec().clockRate();
        boolean nack = first != null && first.hasFeedback("nack");
        ReceiveStream receive = new ReceiveStream(ssrc, ReceiveStreamConfig.defaults(clockRate).withNack(nack), memory);
        if (rid != null) {
            receive.setRid(rid.getBytes(StandardCharsets.US_ASCII));
        }
        SsrcReceiver in = new SsrcReceiver(m, receive, rid, config, pool, memory);
        in.declared = declared;
        streams.add(receive);
        receiverOf.put(receive, in);
        receivers.add(in);
        timeline.streamAdded(true, m.mid(), rid, ssrc, declared);
        return in;
    }

    // ---------------------------------------------------------------- receive

    /** One authenticated, unprotected RTP packet. Never throws on the content. */
    void onRtp(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (!header.wrap(segment, offset, length)) {
            drops.count(RtcDropReason.MALFORMED_RTP, source);
            return;
        }
        try {
            long ssrc = header.ssrc();
            if (twccMap != null) { // every packet counts for the sender's estimate: media, RTX, padding
                long where = twccMap.locate(header, RtpExtension.TRANSPORT_WIDE_CC);
                if (where >= 0 && (where & 0xFFFF) >= 2) {
                    twcc.onPacket(now, BigEndian.u16(header.segment(), header.offset() + (where >>> 16)), ssrc);
                }
            }
            ReceiveStream receive = streams.media(ssrc);
            boolean repair = false;
            if (receive == null) {
                receive = streams.repairedBy(ssrc);
                repair = receive != null;
            }
            if (receive == null) {
                overStreamLimit = false;
                SsrcReceiver found = discover(now, ssrc);
                if (found == null) {
                    drops.count(overStreamLimit ? RtcDropReason.STREAM_LIMIT : RtcDropReason.NO_MEDIA_RECEIVER, source);
                    return;
                }
                receive = found.receive;
                repair = receive.ssrc() != ssrc;
            }
            SsrcReceiver in = receiverOf.get(receive);
            if (in == null || !in.section.direction().isReceiving()) {
                drops.count(RtcDropReason.NO_MEDIA_RECEIVER, source);
                return;
            }
            ReceiveOutcome outcome;
            if (repair) {
                PayloadParams main = in.section.payloadFor(header.payloadType());
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
                timeline.streamPaused(in.section.mid(), in.rid, receive.ssrc(), false);
                events.add(new Event.StreamPaused(in.section.mid(), in.rid, receive.ssrc(), false));
            }
            PayloadParams payload = in.section.payloadFor(header.payloadType());
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
    private SsrcReceiver discover(long now, long ssrc) {
        int pt = header.payloadType();
        MediaSection m = null;
        for (MediaSection candidate : sections) {
            extensions.clear();
            candidate.extensions().parse(header, extensions);
            if (extensions.has(RtpExtension.MID)) {
                if (extensions.midEquals(candidate.midAscii())) {
                    m = candidate;
                    break;
                }
                continue;
            }
            if (candidate.agreed().payload(pt) != null && candidate.direction().isReceiving()) {
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
        PayloadParams params = m.agreed().payload(pt);
        if (params == null) {
            return null;
        }
        if (params.pt() != pt) { // an RTX payload type: find the stream it repairs
            ReceiveStream repaired = streams.associateByRepairedRid(ssrc, extensions, idScratch);
            if (repaired == null && (extensions.has(RtpExtension.REPAIRED_RID) || !m.agreed().receiveRids().isEmpty())) {
                // it names a layer (or the m-line has layers) whose stream has not appeared yet: guessing
                // would tie this RTX stream to the wrong layer for good, so wait for the layer's media
                return null;
            }
            if (repaired == null) {
                SsrcReceiver only = null;
                for (SsrcReceiver in : receivers) {
                    if (in.section == m && in.receive.rtxSsrc() < 0) {
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
            return receiverOf.get(repaired);
        }
        if (!roomForUndeclared(m, now)) {
            return null;
        }
        if (receivers.size() >= config.maxReceiveStreams()) {
            overStreamLimit = true;
            return null;
        }
        String rid = null;
        if (extensions.has(RtpExtension.RID)) {
            int n = extensions.copyRid(idScratch);
            rid = new String(idScratch, 0, n, StandardCharsets.US_ASCII);
        }
        return newReceiver(m, ssrc, rid, false);
    }

    /**
     * Sample mode: the payload goes to its type's assembler, an empty fill of the same number to the
     * stream's other assemblers, and every frame that completes comes out as {@link Event.MediaData}.
     */
    private void depacketize(long now, SsrcReceiver in, PayloadParams payload, ReceiveStream receive) {
        int before = in.assemblerCount();
        FrameAssembler own = in.assemblerFor(payload, now, assemblers < config.maxFrameAssemblers());
        assemblers += in.assemblerCount() - before;
        if (own == null) {
            // a fifth payload type within a second, or no room for one more assembler in this Rtc: not decoded
            drops.count(in.full() ? RtcDropReason.NOT_DEPACKETIZED : RtcDropReason.STREAM_LIMIT, null);
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
    private void fill(long now, SsrcReceiver in, ReceiveStream receive) {
        long sequence = receive.lastExtendedSequence();
        for (int i = 0; i < in.slots(); i++) {
            FrameAssembler a = in.assembler(i);
            if (a != null) {
                a.push(sequence, receive.lastExtendedTimestamp(), false, header.segment(), header.offset(), 0);
            }
        }
        emitFrames(now, in, receive);
    }

    private void emitFrames(long now, SsrcReceiver in, ReceiveStream receive) {
        for (int i = 0; i < in.slots(); i++) {
            FrameAssembler a = in.assembler(i);
            if (a == null) {
                continue;
            }
            PayloadParams params = in.params(i);
            while (a.pop()) {
                byte[] data = a.frame().toByteArray();
                events.add(new Event.MediaData(in.section.mid(), params.pt(), params.codec(), receive.ssrc(), in.rid,
                        a.frameTimestamp(), data, a.frameKeyframe(), a.frameContiguous(), now));
            }
        }
    }

    /** RTP mode: the packet is copied into a pool slot that a reused view lends to the caller. */
    private void deliverRtp(long now, SsrcReceiver in, ReceiveStream receive, InetSocketAddress source) {
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
        events.add(lender.lend(in.section.mid(), in.rid, receive.lastExtendedSequence(), receive.lastExtendedTimestamp(), now,
                in.section.extensions(), slot));
    }

    // ---------------------------------------------------------------- RTCP asked for, timers, statistics

    /** Sends a PLI for every stream received on {@code mid} (of layer {@code rid} only, unless null), each within its rate limit. */
    void requestKeyframe(long now, String mid, String rid) {
        for (int i = 0; i < receivers.size(); i++) {
            SsrcReceiver in = receivers.get(i);
            if (in.section.mid().equals(mid) && (rid == null || rid.equals(in.rid)) && in.receive.lastPacketAt() != Long.MIN_VALUE
                    && in.receive.keyframeRequests().tryRequest(now)) {
                rtcp.pli(in.receive.ssrc());
                timeline.keyframeRequest(true, false, mid, in.rid, in.receive.ssrc());
            }
        }
    }

    /** When a NACK falls due or a stream falls silent long enough to be paused. */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < receivers.size(); i++) {
            SsrcReceiver in = receivers.get(i);
            next = Math.min(next, in.receive.nextTimeout());
            if (!in.paused && in.receive.lastPacketAt() != Long.MIN_VALUE) {
                next = Math.min(next, in.receive.lastPacketAt() + config.pauseAfterNanos());
            }
        }
        return next;
    }

    /** NACKs that fell due go out; streams silent for {@link MediaConfig#pauseAfterNanos()} are reported paused. */
    void handleTimeout(long now) {
        for (int i = 0; i < receivers.size(); i++) {
            SsrcReceiver in = receivers.get(i);
            if (now >= in.receive.nextTimeout()) {
                rtcp.nacks(now, in.receive);
            }
            long last = in.receive.lastPacketAt();
            if (!in.paused && last != Long.MIN_VALUE && now >= last + config.pauseAfterNanos()) {
                in.paused = true;
                in.trim(); // a quiet stream keeps its assemblers at their smallest
                timeline.streamPaused(in.section.mid(), in.rid, in.receive.ssrc(), true);
                events.add(new Event.StreamPaused(in.section.mid(), in.rid, in.receive.ssrc(), true));
            }
        }
    }

    /** Each stream's NACKs and the repairs that came since the last summary go on {@code timeline}. */
    void summarize(RtcTimeline timeline) {
        for (int i = 0; i < receivers.size(); i++) {
            receivers.get(i).summarize(timeline);
        }
    }

    /** The {@code Rtc} is closing: every stream gives back what it holds. */
    void close() {
        for (int i = 0; i < receivers.size(); i++) {
            receivers.get(i).close();
        }
    }

    /** {@link Event.MediaIngressStats} for every stream that has received a packet. */
    void emitStats(long now) {
        for (int i = 0; i < receivers.size(); i++) {
            SsrcReceiver in = receivers.get(i);
            if (in.receive.lastPacketAt() != Long.MIN_VALUE) {
                events.add(new Event.MediaIngressStats(in.section.mid(), in.rid, in.receive.stats(now)));
            }
        }
    }
}
