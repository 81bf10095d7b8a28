package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.SrtpDropReason;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.bwe.TwccRecorder;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.jfr.DropTally;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The media half of an {@code Rtc}: its m-lines ({@link MediaSection}s) set up and changed, SRTP/SRTCP
 * in and out, and the timers. Received RTP goes to the {@link MediaReceiver}, RTCP to the
 * {@link RtcpReader}; samples and RTP-mode packets go out through the {@link MediaSender}, RTCP through
 * the {@link RtcpScheduler}. Outgoing packets live in {@link PacketPool} slots in one bounded
 * {@link OutgoingQueue} until the {@code Rtc} has lent them to the caller. Per packet, nothing is
 * allocated once a stream is known.
 */
public final class MediaLayer {
    private final MediaConfig config;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final String cname;

    private final Map<String, MediaSection> sections = new LinkedHashMap<>();
    private final OutgoingQueue outgoing;
    private final MediaReceiver receiver;
    private final MediaSender sender;
    private final RtcpReader rtcpReader;
    private final RtcpScheduler rtcp;
    /** Send-side estimation and pacing, or null when the config has none. */
    private final SendCongestion congestion;

    private SrtpSession srtp;
    /** What SRTP dropped of what we received, as the last summary saw it. */
    private final DropTally<SrtpDropReason> srtpDrops =
            new DropTally<>("SRTP", SrtpDropReason.class, reason -> srtp == null ? 0 : srtp.inbound().dropped(reason));
    private boolean connectedWithoutSrtp;
    private long packetsAuthenticated;
    private long packetsSent;
    /** The extension map that numbers packets transport-wide (ids are the same across a BUNDLE), or null. */
    private ExtensionMap twccMap;

    /**
     * @param events   where media events go, in order with the {@code Rtc}'s others
     * @param lender   makes the {@link Event.RtpPacket} views RTP mode lends out
     * @param rtcpSsrc the SSRC of our reports when we send no media
     * @param memory   what the caches, rings and streams that grow with traffic are charged to
     * @param timeline where streams added, paused and removed, keyframe requests and bitrate estimates are recorded (JFR)
     */
    public MediaLayer(MediaConfig config, PacketPool pool, MemoryBudget memory, RtcDrops drops, ArrayDeque<Event> events,
                      RtpPacketLender lender, RandomGenerator random, long rtcpSsrc, String cname, RtcTimeline timeline) {
        this.config = config;
        this.drops = drops;
        this.events = events;
        this.cname = cname;
        this.outgoing = new OutgoingQueue(pool, drops);
        TwccRecorder twcc = new TwccRecorder(config.mtu(), memory);
        this.rtcp = new RtcpScheduler(config, pool, drops, outgoing, twcc, rtcpSsrc, cname.getBytes(StandardCharsets.US_ASCII));
        this.sender = new MediaSender(config, pool, memory, drops, random, outgoing, timeline);
        this.receiver = new MediaReceiver(config, pool, memory, drops, events, lender, rtcp, twcc, sections.values(), timeline);
        this.congestion = config.bwe() == null ? null : new SendCongestion(config.bwe(), outgoing, sender, events, timeline);
        this.rtcpReader = new RtcpReader(sender, receiver.streams(), congestion, drops, events, timeline);
    }

    // ---------------------------------------------------------------- set-up

    /** DTLS exported the SRTP keys: media can flow, and reports start one interval from {@code now}. */
    public void start(long now, SrtpSession session) {
        this.srtp = session;
        sender.start(session);
        rtcp.start(now, session);
        if (congestion != null) {
            congestion.start(now);
        }
    }

    public boolean started() {
        return srtp != null;
    }

    /** The SRTP profile DTLS negotiated, or null before the keys. */
    public SrtpProfile srtpProfile() {
        return srtp == null ? null : srtp.profile();
    }

    /** DTLS connected without SRTP keys: the peer negotiated no use_srtp, so no media can flow on this Rtc. */
    public void connectedWithoutSrtp() {
        connectedWithoutSrtp = true;
    }

    private String noSrtp(String what) {
        return connectedWithoutSrtp
                ? what + " needs SRTP, and DTLS agreed no SRTP profile with the peer (no use_srtp): this connection carries data channels only"
                : what + " needs SRTP keys: wait for Event.Connected";
    }

    /** SRTP and SRTCP packets that authenticated. */
    public long packetsAuthenticated() {
        return packetsAuthenticated;
    }

    /** SRTP and SRTCP packets handed out for sending. */
    public long packetsSent() {
        return packetsSent;
    }

    /** The m-line {@code mid}, or null. */
    public MediaSection section(String mid) {
        return sections.get(mid);
    }

    /** Every m-line, in the order they were added. */
    public List<MediaSection> sections() {
        return List.copyOf(sections.values());
    }

    /** A negotiated m-line appears (SDP or DirectApi): its declared streams are set up at once. */
    public MediaSection add(NegotiatedMedia agreed) {
        String mid = agreed.mid().value();
        if (sections.containsKey(mid)) {
            throw new IllegalStateException("mid " + mid + " exists already; change it instead of adding it again");
        }
        MediaSection m = new MediaSection(agreed);
        sections.put(mid, m);
        declareStreams(m, agreed);
        findTwccMap();
        events.add(new Event.MediaAdded(mid, agreed.kind(), agreed.direction()));
        return m;
    }

    /** A renegotiation changed an m-line: new streams are declared, the direction is updated. */
    public void change(NegotiatedMedia agreed) {
        MediaSection m = sections.get(agreed.mid().value());
        if (m == null) {
            throw new IllegalStateException("mid " + agreed.mid() + " was never added");
        }
        Direction before = m.direction();
        m.update(agreed);
        declareStreams(m, agreed);
        findTwccMap();
        if (before != agreed.direction()) {
            events.add(new Event.MediaChanged(m.mid(), agreed.direction()));
        }
    }

    /**
     * An m-line stopped (port 0): it neither sends nor receives from here on, and it is forgotten — its mid
     * never comes back, and a peer that stops and recycles m-lines in a loop must not grow the layer.
     */
    public void stop(Mid mid) {
        MediaSection m = sections.remove(mid.value());
        if (m == null) {
            return;
        }
        m.update(m.agreed().withDirection(Direction.INACTIVE));
        receiver.retire(m);
        sender.retire(m); // their RTX histories' slots go with them
        findTwccMap();
        events.add(new Event.MediaChanged(m.mid(), Direction.INACTIVE));
    }

    /** Transport-wide numbers are read with the first m-line's map that negotiated them (BUNDLE shares the id). */
    private void findTwccMap() {
        twccMap = null;
        for (MediaSection m : sections.values()) {
            if (m.extensions().idOf(RtpExtension.TRANSPORT_WIDE_CC) > 0) {
                twccMap = m.extensions();
                break;
            }
        }
        receiver.numberedBy(twccMap);
    }

    private void declareStreams(MediaSection m, NegotiatedMedia agreed) {
        receiver.declare(m, agreed.receiveStreams());
        sender.declare(m, agreed.sendStreams());
    }

    /**
     * DirectApi: receive payload type {@code pt} as {@code codec} on {@code mid}, adding the m-line
     * (receive-only, NACK on for video) if it does not exist yet.
     */
    public void receiveMedia(String mid, int pt, Codec codec) {
        if (codec.isRepair()) {
            throw new IllegalArgumentException(codec + " repairs another payload type; declare the media codec instead");
        }
        List<String> feedback = codec.kind() == MediaKind.VIDEO ? List.of("nack", "nack pli") : List.of();
        PayloadParams params = new PayloadParams(pt, CodecParams.of(codec, FormatParams.NONE), -1, feedback);
        MediaSection m = sections.get(mid);
        if (m == null) {
            add(NegotiatedMedia.of(Mid.of(mid), codec.kind(), Direction.RECV_ONLY, List.of(params), new ExtensionMap(), cname));
            return;
        }
        List<PayloadParams> codecs = new ArrayList<>(m.codecs());
        codecs.removeIf(p -> p.pt() == pt);
        codecs.add(params);
        change(m.agreed().withCodecs(codecs));
    }

    // ---------------------------------------------------------------- SRTP in and out

    /** SRTP/SRTCP from the peer: unprotected in place, then read. Never throws on the content. */
    public void onReceive(long now, DatagramKind kind, InetSocketAddress source, MemorySegment segment, long offset, int length) {
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
            rtcp.mediaMoved(now);
            receiver.onRtp(now, source, segment, offset, plain);
        }
    }

    /** Sends one sample on {@code m} (see {@code MediaWriter.write}). */
    public boolean writeSample(long now, MediaSection m, PayloadParams payload, String rid, long wallclockNanos, long ticks,
                               MemorySegment data, long offset, int length) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("writing samples"));
        }
        rtcp.mediaMoved(now);
        return sender.writeSample(now, m, payload, rid, wallclockNanos, ticks, data, offset, length);
    }

    /** Sends one RTP packet as it is (see {@code Rtc.writeRtp}). */
    public boolean writeRtp(long now, MemorySegment packet, long offset, int length) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("writing RTP"));
        }
        rtcp.mediaMoved(now);
        return sender.writeRtp(now, packet, offset, length, twccMap);
    }

    /** Sends a received packet's slot on with its header rewritten (see {@code Rtc.forwardRtp}). */
    public boolean forwardRtp(long now, PacketBuffer source, ExtensionMap sourceExtensions, long ssrc, int payloadType,
                              int sequenceNumber, long timestamp, int vp8PictureId, int vp8Tl0PicIdx) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("forwarding RTP"));
        }
        rtcp.mediaMoved(now);
        return sender.forwardRtp(now, source, sourceExtensions, ssrc, payloadType, sequenceNumber, timestamp, vp8PictureId,
                vp8Tl0PicIdx, twccMap);
    }

    /**
     * The next protected packet to send at {@code now}, or {@link PacketBuffer#NONE} (nothing queued, or the
     * pacer holds what is: {@link #nextDeadline} says when); the caller releases it to the pool. RTCP and audio
     * first, then repairs, then video.
     */
    public PacketBuffer pollTransmit(long now) {
        PacketBuffer next = outgoing.pollImmediate();
        if (!next.isNone()) {
            if (congestion != null) {
                congestion.onImmediateSent(now, outgoing.polledSequence(), next.length());
            }
        } else {
            next = congestion == null ? outgoing.pollPaced() : congestion.pollPaced(now);
        }
        if (!next.isNone()) {
            packetsSent++;
        }
        return next;
    }

    /** Send-side estimation and pacing, or null when the config has none. */
    public SendCongestion congestion() {
        return congestion;
    }

    // ---------------------------------------------------------------- RTCP asked for, timers

    /** Sends a PLI to the sender of every stream received on {@code mid}, each within its rate limit. */
    public void requestKeyframe(long now, String mid, String rid) {
        if (srtp == null) {
            throw new IllegalStateException(noSrtp("requesting a keyframe"));
        }
        receiver.requestKeyframe(now, mid, rid);
    }

    /** Announces a receive budget by REMB (see {@code Rtc.setReceiveBitrate}). */
    public void setReceiveBitrate(long bitsPerSecond) {
        rtcp.setRembBitrate(bitsPerSecond, receiver.receivers());
    }

    /**
     * When {@link #handleTimeout} (or, for the pacer, {@link #pollTransmit}) next has work at {@code now}: a
     * report, transport-wide feedback, a NACK, a pause, RTX history to give back, a paced packet or the
     * estimator falling due.
     */
    public long nextDeadline(long now) {
        if (srtp == null || sections.isEmpty()) {
            return Long.MAX_VALUE; // no m-line (a data-channel-only peer): no reports to send, no timers at all
        }
        long next = Math.min(Math.min(rtcp.nextDeadline(), receiver.nextDeadline()), sender.nextDeadline());
        return congestion == null ? next : Math.min(next, congestion.nextDeadline(now));
    }

    public void handleTimeout(long now) {
        if (srtp == null || sections.isEmpty()) {
            return;
        }
        receiver.handleTimeout(now);
        sender.handleTimeout(now);
        rtcp.handleTimeout(now, sender.streams(), receiver.receivers());
        if (congestion != null) {
            congestion.handleTimeout(now);
        }
    }

    /** The {@code Rtc} is closing: queued and kept packets go back to the pool and SRTP keys are wiped. */
    public void close() {
        outgoing.clear();
        sender.close();
        receiver.close();
        if (srtp != null) {
            srtp.close();
        }
    }

    /** Statistics events for every stream, on the {@code Rtc}'s statistics interval. */
    public void emitStats(long now) {
        receiver.emitStats(now);
        List<SsrcSender> outbound = sender.streams();
        for (int i = 0; i < outbound.size(); i++) {
            SsrcSender out = outbound.get(i);
            if (out.send() != null) {
                events.add(new Event.MediaEgressStats(out.section.mid(), out.rid, out.send().stats(now)));
            }
        }
    }

    /** What was counted per packet since the last summary goes on {@code timeline}: SRTP drops, each stream's NACKs and RTX. */
    public void summarize(RtcTimeline timeline) {
        srtpDrops.report(timeline);
        receiver.summarize(timeline);
        sender.summarize(timeline);
    }

    /** The receive half, whose SSRC table tests read to see what a stopped or crowded m-line leaves behind. */
    MediaReceiver receiver() {
        return receiver;
    }
}
