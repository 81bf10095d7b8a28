package io.eddyrtc.engine.internal.media;

import static org.junit.jupiter.api.Assertions.*;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.srtp.*;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.RtpPacketViews;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.internal.RtcDrops;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.*;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import io.eddyrtc.engine.sdp.StreamIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.*;
import org.junit.jupiter.api.Test;

/**
 * The media layer on its own, fed SRTP and SRTCP from a mirrored peer session (no ICE or DTLS): hostile RTP
 * and RTCP never throw, the receive and send paths allocate nothing once warm, simulcast repair streams are
 * not guessed into the wrong layer, alternating payload types stay cheap, and report blocks reach every
 * live stream.
 */
class MediaLayerTest {
    static final InetSocketAddress SRC = new InetSocketAddress("10.0.0.1", 1);
    PacketPool pool = PacketPool.builder().debug(false).slotSize(2048).slotsPerSlab(16).maxSlots(4096).build();
    ArrayDeque<Event> events = new ArrayDeque<>();
    SrtpSession peer;
    MediaLayer ml;
    RtpPacketViews views = new RtpPacketViews(pool);
    MemoryBudget memory = MemoryBudget.of(16 << 20);
    RtcDrops drops = new RtcDrops();

    MediaLayer layer(boolean rtpMode) {
        return layer(MediaConfig.defaults().withRtpMode(rtpMode));
    }

    MediaLayer layer(MediaConfig config) {
        SrtpProfile prof = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] k1 = new byte[16], k2 = new byte[16], s1 = new byte[14], s2 = new byte[14];
        k1[0] = 1; k2[0] = 2; s1[0] = 3; s2[0] = 4;
        SrtpConfig cfg = new SrtpConfig(SrtpConfig.defaults().replayWindow(), 100000, true);
        peer = SrtpSession.create(new SrtpKeyingMaterial(prof, k1, s1, k2, s2), cfg);
        SrtpSession mine = SrtpSession.create(new SrtpKeyingMaterial(prof, k2, s2, k1, s1), cfg);
        ml = new MediaLayer(config, pool, memory, drops, events, views, new SplittableRandom(1), 1234, "cn", new RtcTimeline());
        ml.start(0, mine);
        PayloadParams vp8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97, List.of("nack", "nack pli"));
        PayloadParams opus = new PayloadParams(111, CodecParams.of(Codec.OPUS, FormatParams.NONE), -1, List.of());
        ml.add(line(Mid.of("v"), MediaKind.VIDEO, Direction.SEND_RECV, List.of(vp8), new ExtensionMap().set(4, RtpExtension.MID),
                List.of(ids(1000, 1001)), List.of(ids(2000, 2001))));
        ml.add(line(Mid.of("a"), MediaKind.AUDIO, Direction.SEND_RECV, List.of(opus), new ExtensionMap().set(4, RtpExtension.MID),
                List.of(ids(3000, -1)), List.of()));
        return ml;
    }

    /** An m-line with our streams {@code send} and the peer's declared {@code receive}; no simulcast. */
    static NegotiatedMedia line(Mid mid, MediaKind kind, Direction direction, List<PayloadParams> codecs, ExtensionMap map,
                                List<StreamIds> send, List<StreamIds> receive) {
        return NegotiatedMedia.of(mid, kind, direction, codecs, map, "cn").withStreams(send, receive);
    }

    static StreamIds ids(long ssrc, long rtxSsrc) {
        return new StreamIds(ssrc, rtxSsrc, null);
    }

    final byte[] buf = new byte[2048];
    final MemorySegment seg = MemorySegment.ofArray(buf);

    void deliverRtcp(long now, byte[] plain, int len) {
        MemorySegment.copy(plain, 0, seg, ValueLayout.JAVA_BYTE, 0, len); // no wrapper per packet: only the layer is measured
        int n = peer.outbound().protectRtcp(seg, 0, len, buf.length);
        if (n > 0) ml.onReceive(now, DatagramKind.RTCP, SRC, seg, 0, n);
    }

    void deliverRtp(long now, byte[] plain, int len) {
        MemorySegment.copy(plain, 0, seg, ValueLayout.JAVA_BYTE, 0, len); // no wrapper per packet: only the layer is measured
        int n = peer.outbound().protectRtp(seg, 0, len, buf.length);
        if (n > 0) ml.onReceive(now, DatagramKind.RTP, SRC, seg, 0, n);
    }

    void drain() {
        for (PacketBuffer b; !(b = ml.pollTransmit()).isNone(); ) pool.release(b);
        for (Event e; (e = events.poll()) != null; ) if (e instanceof Event.RtpPacket p) views.recycle(p);
    }

    @Test
    void fuzzRtcp() {
        layer(false);
        MediaSection v = ml.section("v");
        for (int i = 0; i < 50; i++) {
            ml.writeSample(i * 33_000_000L, v, v.codecs().getFirst(), null, 0, i * 3000L, MemorySegment.ofArray(new byte[3000]), 0, 3000);
            drain();
        }
        Random r = new Random(5);
        long[] ssrcs = {1000, 1001, 2000, 2001, 3000, 1234, 0, 0xFFFFFFFFL, 42};
        int[] pts = {200, 201, 202, 203, 204, 205, 206, 207};
        long now = 2_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            int len = 8 + 4 * r.nextInt(40);
            byte[] x = new byte[len];
            r.nextBytes(x);
            MemorySegment s = MemorySegment.ofArray(x);
            int off = 0;
            while (off + 8 <= len) {
                int words = r.nextInt(4) == 0 ? r.nextInt(64) : r.nextInt((len - off) / 4);
                int pt = pts[r.nextInt(pts.length)];
                int count = r.nextInt(32);
                BigEndian.putU8(s, off, 0x80 | count | (r.nextInt(10) == 0 ? 0x20 : 0));
                BigEndian.putU8(s, off + 1, pt);
                BigEndian.putU16(s, off + 2, words);
                BigEndian.putU32(s, off + 4, ssrcs[r.nextInt(ssrcs.length)]);
                if (off + 12 <= len) BigEndian.putU32(s, off + 8, ssrcs[r.nextInt(ssrcs.length)]);
                if (off + 16 <= len && r.nextBoolean()) BigEndian.putU32(s, off + 12, ssrcs[r.nextInt(ssrcs.length)]);
                off += 4 * (words + 1);
            }
            now += 1_000_000;
            deliverRtcp(now, x, len);
            if (i % 50 == 0) { ml.handleTimeout(now); }
            drain();
        }
    }

    @Test
    void fuzzRtp() {
        layer(false);
        Random r = new Random(9);
        long now = 0;
        int[] pts = {96, 97, 111, 127, 0, 98};
        for (int i = 0; i < 100_000; i++) {
            int len = 12 + r.nextInt(80);
            byte[] x = new byte[len];
            r.nextBytes(x);
            MemorySegment s = MemorySegment.ofArray(x);
            int b0 = 0x80 | (x[0] & 0x20) | (r.nextInt(4) == 0 ? 0x10 : 0) | (r.nextInt(8) == 0 ? r.nextInt(4) : 0);
            BigEndian.putU8(s, 0, b0);
            BigEndian.putU8(s, 1, (x[1] & 0x80) | pts[r.nextInt(pts.length)]);
            long ssrc = r.nextInt(3) == 0 ? r.nextInt(50) : new long[] {2000, 2001, 2000, 2000}[r.nextInt(4)];
            BigEndian.putU32(s, 8, ssrc);
            BigEndian.putU16(s, 2, 1000 + (i / 3) + r.nextInt(20));
            int hl = 12 + 4 * (b0 & 0x0F);
            if ((b0 & 0x10) != 0 && len > hl + 8) { BigEndian.putU16(s, hl, r.nextBoolean() ? 0xBEDE : 0x1000); BigEndian.putU16(s, hl + 2, 1); }
            now += 1_000_000;
            deliverRtp(now, x, len);
            if (i % 50 == 0) { ml.handleTimeout(now); }
            drain();
        }
    }

    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static long allocated() {
        return MX.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    byte[] rtp(int pt, int seq, long ts, long ssrc, int payload) {
        byte[] p = new byte[12 + payload];
        MemorySegment s = MemorySegment.ofArray(p);
        BigEndian.putU8(s, 0, 0x80);
        BigEndian.putU8(s, 1, 0x80 | pt);
        BigEndian.putU16(s, 2, seq & 0xFFFF);
        BigEndian.putU32(s, 4, ts);
        BigEndian.putU32(s, 8, ssrc);
        p[12] = 0x10; p[13] = 0x10;
        return p;
    }

    @Test
    void allocationRtpModeReceive() {
        layer(true);
        int n = 200_000;
        byte[][] packets = new byte[n][];
        for (int i = 0; i < n; i++) {
            packets[i] = rtp(96, i, i * 3000L, 2000, 100); // made ahead, so the measurement is the layer's alone
        }
        long bytes = allocatedByLast(20_000, packets, true);
        assertTrue(bytes < 64_000, "RTP-mode receive of 20,000 packets allocated " + bytes + " bytes (reports included)");
    }

    /**
     * Delivers {@code packets} 1 ms apart (running the timers after each when {@code timers}) and returns the
     * bytes allocated while the last {@code measured} of them went through.
     */
    long allocatedByLast(int measured, byte[][] packets, boolean timers) {
        long before = 0;
        long now = 0;
        for (int i = 0; i < packets.length; i++) {
            if (i == packets.length - measured) before = allocated();
            now += 1_000_000;
            deliverRtp(now, packets[i], packets[i].length);
            if (timers) ml.handleTimeout(now);
            drain();
        }
        return allocated() - before;
    }

    @Test
    void allocationWriteSample() {
        layer(false);
        MediaSection v = ml.section("v");
        PayloadParams pp = v.codecs().getFirst();
        MemorySegment frame = MemorySegment.ofArray(new byte[3000]);
        long before = 0;
        long now = 0;
        for (int i = 0; i < 100_000; i++) {
            if (i == 90_000) before = allocated();
            now += 1_000_000;
            ml.writeSample(now, v, pp, null, 0, i * 3000L, frame, 0, 3000);
            if (i % 100 == 0) ml.handleTimeout(now);
            drain();
        }
        long bytes = allocated() - before;
        assertTrue(bytes < 16_000, "writing 10,000 three-packet samples allocated " + bytes + " bytes");
    }

    /** A receive-only simulcast video m-line "s" (VP8 96 with RTX 97) with these layers; returns its extension map. */
    ExtensionMap simulcastReceiver(Rid... layers) {
        ExtensionMap map = new ExtensionMap().set(4, RtpExtension.MID).set(10, RtpExtension.RID).set(11, RtpExtension.REPAIRED_RID);
        PayloadParams vp8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97, List.of("nack", "nack pli"));
        ml.add(new NegotiatedMedia(Mid.of("s"), MediaKind.VIDEO, Direction.RECV_ONLY, List.of(vp8), map, List.of(), List.of(),
                List.of(), List.of(layers), null, null, "cn"));
        return map;
    }

    byte[] ext(int pt, int seq, long ssrc, String rid, String rrid, boolean padding, byte[] payload, ExtensionMap map) {
        io.eddyrtc.engine.rtp.RtpExtensionValues v = new io.eddyrtc.engine.rtp.RtpExtensionValues();
        v.setMid("s".getBytes());
        if (rid != null) v.setRid(rid.getBytes());
        if (rrid != null) v.setRepairedRid(rrid.getBytes());
        byte[] out = new byte[200];
        MemorySegment o = MemorySegment.ofArray(out);
        int h = io.eddyrtc.engine.rtp.RtpHeader.write(o, 0, 200, pt, true, seq, 9000, ssrc, map, v);
        System.arraycopy(payload, 0, out, h, payload.length);
        int len = h + payload.length;
        if (padding) { out[0] |= 0x20; out[len + 3] = 4; len += 4; }
        return java.util.Arrays.copyOf(out, len);
    }

    @Test
    void simulcastRtxProbeBeforeItsLayerIsTiedToTheWrongLayer() {
        layer(true);
        ExtensionMap map = simulcastReceiver(Rid.of("q"), Rid.of("h"));
        events.clear();
        List<String> seen = new ArrayList<>();
        byte[] qPayload = {0x10, 0x10, 'Q'};
        byte[] hPayload = {0x10, 0x10, 'H'};
        long now = 1;
        deliverRtp(now++, ext(96, 100, 10, "q", null, false, qPayload, map), ext(96, 100, 10, "q", null, false, qPayload, map).length);
        byte[] probe = ext(97, 7, 21, null, "h", true, new byte[0], map); // Chrome probes on the RTX SSRC with repaired-rid
        deliverRtp(now++, probe, probe.length);
        byte[] h0 = ext(96, 101, 20, "h", null, false, hPayload, map);
        deliverRtp(now++, h0, h0.length);
        byte[] h2 = ext(96, 103, 20, "h", null, false, hPayload, map);
        deliverRtp(now++, h2, h2.length);
        byte[] rtxPayload = {0, 102, 0x10, 0x10, 'H'}; // OSN 102: h's lost packet
        byte[] rtx = ext(97, 8, 21, null, "h", false, rtxPayload, map);
        deliverRtp(now++, rtx, rtx.length);
        for (Event e; (e = events.poll()) != null; ) {
            if (e instanceof Event.RtpPacket p) {
                seen.add(p.rid() + "/" + p.header().ssrc() + "/" + (char) p.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.length() - 1));
                views.recycle(p);
            }
        }
        assertFalse(seen.contains("q/10/H"), "h's repair delivered as layer q: " + seen);
    }

    @Test
    void alternatingPayloadTypesOnOneSsrc() {
        layer(false);
        PayloadParams vp8 = new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), 97, List.of("nack"));
        PayloadParams vp9 = new PayloadParams(98, CodecParams.of(Codec.VP9, FormatParams.NONE), 99, List.of("nack"));
        ml.add(line(Mid.of("x"), MediaKind.VIDEO, Direction.RECV_ONLY, List.of(vp8, vp9), new ExtensionMap().set(4, RtpExtension.MID),
                List.of(), List.of(ids(5000, -1))));
        int n = 4000;
        byte[][] pk = new byte[n][];
        for (int i = 0; i < n; i++) pk[i] = rtp(i % 2 == 0 ? 96 : 98, i, i * 3000L, 5000, 60);
        long perPacket = allocatedByLast(1000, pk, false) / 1000;
        assertTrue(perPacket < 2_000, "one assembler per payload type, made once: " + perPacket + " bytes per packet "
                + "(frames copied out as MediaData included)");
    }

    @Test
    void streamsOfAStoppedMlineCrowdOutReportBlocksForever() {
        layer(false);
        PayloadParams opus = new PayloadParams(111, CodecParams.of(Codec.OPUS, FormatParams.NONE), -1, List.of());
        List<StreamIds> many = new ArrayList<>();
        for (int i = 0; i < 32; i++) many.add(ids(7000 + i, -1));
        ml.add(line(Mid.of("old"), MediaKind.AUDIO, Direction.RECV_ONLY, List.of(opus), new ExtensionMap(),
                List.of(), many));
        long now = 1_000_000;
        for (int i = 0; i < 32; i++) { byte[] p = rtp(111, 1, 0, 7000 + i, 20); deliverRtp(now, p, p.length); }
        drain();
        ml.stop(Mid.of("old")); // the peer stopped those 32 streams (renegotiation, port 0)
        ml.add(line(Mid.of("new"), MediaKind.AUDIO, Direction.RECV_ONLY, List.of(opus), new ExtensionMap(),
                List.of(), List.of(ids(9000, -1))));
        drain();
        boolean reported = false;
        int reportsSeen = 0;
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 50; j++) { now += 20_000_000; byte[] p = rtp(111, 10 + k * 50 + j, 0, 9000, 20); deliverRtp(now, p, p.length); ml.handleTimeout(now); 
                for (PacketBuffer b; !(b = ml.pollTransmit()).isNone(); ) {
                    MemorySegment.copy(b.segment(), 0, seg, 0, b.length());
                    int n = peer.inbound().unprotectRtcp(seg, 0, b.length());
                    pool.release(b);
                    if (n < 0) continue;
                    io.eddyrtc.engine.rtcp.RtcpCompound c = new io.eddyrtc.engine.rtcp.RtcpCompound();
                    if (!c.wrap(seg, 0, n)) continue;
                    while (c.next()) {
                        if (c.kind() == io.eddyrtc.engine.rtcp.RtcpKind.RECEIVER_REPORT) {
                            reportsSeen++;
                            var rr = c.receiverReport();
                            for (int i = 0; i < rr.blockCount(); i++) if (rr.blockSsrc(i) == 9000) reported = true;
                        }
                    }
                }
                events.clear();
            }
        }
        assertTrue(reportsSeen > 0);
        assertTrue(reported, "the live stream 9000 gets a report block (" + reportsSeen + " RRs seen)");
    }

    /** A FIR repeated with its sequence number (RFC 5104 §4.3.1) is one request; a new number is a new one. */
    @Test
    void aRetransmittedFirIsOneKeyframeRequest() {
        layer(false);
        MediaSection v = ml.section("v");
        ml.writeSample(1, v, v.codecs().getFirst(), null, 0, 0, MemorySegment.ofArray(new byte[500]), 0, 500);
        drain();
        byte[] fir = new byte[64];
        io.eddyrtc.engine.rtcp.RtcpWriter w = new io.eddyrtc.engine.rtcp.RtcpWriter();
        long now = 10_000_000;
        for (int seq : new int[] {5, 5, 5, 6}) {
            int n = w.begin(MemorySegment.ofArray(fir), 0, fir.length).fir(77, 1000, seq) ? w.finish() : -1;
            deliverRtcp(now += 1_000_000, fir, n);
        }
        List<Event.KeyframeRequest> requests = events.stream().filter(e -> e instanceof Event.KeyframeRequest)
                .map(e -> (Event.KeyframeRequest) e).toList();
        assertEquals(2, requests.size(), "FIR 5 once, then FIR 6: " + requests);
        assertEquals(new Event.KeyframeRequest("v", null, 1000, true), requests.getFirst());
    }

    /**
     * A peer sending from ever new SSRCs gets at most {@link MediaLayer#MAX_UNDECLARED} streams per m-line at
     * once; a paused one makes room for a newcomer, a live one does not.
     */
    @Test
    void undeclaredStreamsAreCappedAndPausedOnesMakeRoom() {
        layer(false);
        long now = 1_000_000;
        for (int i = 0; i < 40; i++) { // 40 SSRCs the SDP never named, all on the audio m-line
            byte[] p = rtp(111, 1, 0, 50_000 + i, 20);
            deliverRtp(now, p, p.length);
        }
        drain();
        ml.emitStats(now);
        long ingress = events.stream().filter(e -> e instanceof Event.MediaIngressStats s && s.mid().equals("a")).count();
        assertEquals(MediaReceiver.MAX_UNDECLARED, ingress, "16 streams kept, the other 24 SSRCs refused while the 16 are live");
        drain();
        now += 2_000_000_000L; // all 16 fall silent for longer than the pause time
        byte[] late = rtp(111, 1, 0, 60_000, 20);
        deliverRtp(now, late, late.length);
        drain();
        ml.emitStats(now);
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.MediaIngressStats s && s.stats().ssrc() == 60_000),
                "a paused stream made room for the newcomer");
        assertEquals(MediaReceiver.MAX_UNDECLARED,
                events.stream().filter(e -> e instanceof Event.MediaIngressStats s && s.mid().equals("a")).count());
        drain();
    }

    /** A receive budget goes out as a REMB at once, naming the video streams whose m-line negotiated goog-remb. */
    @Test
    void aReceiveBudgetIsAnnouncedByRemb() {
        layer(false);
        PayloadParams vp8 = new PayloadParams(100, CodecParams.of(Codec.VP8, FormatParams.NONE), -1, List.of("goog-remb", "nack"));
        ml.add(line(Mid.of("r"), MediaKind.VIDEO, Direction.RECV_ONLY, List.of(vp8), new ExtensionMap(),
                List.of(), List.of(ids(6000, -1))));
        drain();
        ml.setReceiveBitrate(2_500_000);
        PacketBuffer out = ml.pollTransmit();
        assertTrue(!out.isNone(), "a compound went out at once");
        MemorySegment.copy(out.segment(), 0, seg, 0, out.length());
        int n = peer.inbound().unprotectRtcp(seg, 0, out.length());
        pool.release(out);
        assertTrue(n > 0);
        io.eddyrtc.engine.rtcp.RtcpCompound c = new io.eddyrtc.engine.rtcp.RtcpCompound();
        assertTrue(c.wrap(seg, 0, n));
        boolean found = false;
        while (c.next()) {
            if (c.kind() == io.eddyrtc.engine.rtcp.RtcpKind.REMB) {
                var remb = c.remb();
                found = true;
                assertTrue(Math.abs(remb.bitrate() - 2_500_000) < 2_500_000 / 1000, "the budget, to REMB's precision: " + remb.bitrate());
                assertEquals(1, remb.ssrcCount(), "only the m-line that negotiated goog-remb");
                assertEquals(6000, remb.ssrc(0));
            }
        }
        assertTrue(found, "the compound carries a REMB");
        drain();
    }

    /**
     * Transport-wide sequence numbers are recorded per packet and reported every 50 ms: received with their
     * arrival times, lost as lost, each number once.
     */
    @Test
    void transportWideFeedbackDescribesWhatArrived() {
        layer(false);
        ExtensionMap map = new ExtensionMap().set(3, RtpExtension.TRANSPORT_WIDE_CC);
        PayloadParams vp8 = new PayloadParams(100, CodecParams.of(Codec.VP8, FormatParams.NONE), -1, List.of("transport-cc"));
        ml.add(line(Mid.of("t"), MediaKind.VIDEO, Direction.RECV_ONLY,
                List.of(vp8), map, List.of(), List.of(ids(6000, -1))));
        drain();
        long now = 1_000_000_000L;
        int[] transportSequence = {10, 11, 13, 14}; // 12 lost
        for (int i = 0; i < transportSequence.length; i++) {
            io.eddyrtc.engine.rtp.RtpExtensionValues v = new io.eddyrtc.engine.rtp.RtpExtensionValues().setTransportSequence(transportSequence[i]);
            byte[] out = new byte[100];
            int h = io.eddyrtc.engine.rtp.RtpHeader.write(MemorySegment.ofArray(out), 0, 100, 100, true, 500 + i, 3000L * i, 6000, map, v);
            out[h] = 0x10;
            out[h + 1] = 0x10;
            deliverRtp(now + i * 2_000_000L, out, h + 2);
        }
        drain();
        ml.handleTimeout(now + 60_000_000L);
        io.eddyrtc.engine.rtcp.TwccReport report = null;
        for (PacketBuffer b; !(b = ml.pollTransmit()).isNone(); ) {
            MemorySegment.copy(b.segment(), 0, seg, 0, b.length());
            int n = peer.inbound().unprotectRtcp(seg, 0, b.length());
            pool.release(b);
            io.eddyrtc.engine.rtcp.RtcpCompound c = new io.eddyrtc.engine.rtcp.RtcpCompound();
            if (n > 0 && c.wrap(seg, 0, n)) {
                while (c.next()) {
                    if (c.kind() == io.eddyrtc.engine.rtcp.RtcpKind.TRANSPORT_FEEDBACK) {
                        report = c.transportFeedback().report();
                        assertEquals(6000, c.transportFeedback().mediaSsrc());
                        break;
                    }
                }
            }
            if (report != null) {
                break;
            }
        }
        assertTrue(report != null, "a transport-wide feedback went out within the interval");
        assertEquals(10, report.baseSequence());
        assertEquals(5, report.packetCount(), "10 to 14");
        assertEquals(List.of(true, true, false, true, true),
                java.util.stream.IntStream.range(0, 5).mapToObj(report::received).toList(), "12 reported lost");
        assertEquals(8, report.deltaTicks(1), "11 arrived 2 ms after 10: 8 ticks of 250 µs");
        assertEquals(8, report.deltaTicks(3), "13 arrived 2 ms after 11, the last received before it (12 was lost)");
    }

    /** Every packet we send on an m-line with transport-cc carries the next transport-wide number, across streams. */
    @Test
    void sentPacketsAreNumberedTransportWide() {
        layer(false);
        ExtensionMap map = new ExtensionMap().set(3, RtpExtension.TRANSPORT_WIDE_CC);
        PayloadParams vp8 = new PayloadParams(100, CodecParams.of(Codec.VP8, FormatParams.NONE), -1, List.of("transport-cc"));
        for (String mid : List.of("t1", "t2")) {
            ml.add(line(Mid.of(mid), MediaKind.VIDEO, Direction.SEND_ONLY, List.of(vp8), map.copy(),
                    List.of(ids(mid.equals("t1") ? 7000 : 8000, -1)), List.of()));
        }
        drain();
        List<Integer> numbers = new ArrayList<>();
        io.eddyrtc.engine.rtp.RtpHeader h = new io.eddyrtc.engine.rtp.RtpHeader();
        io.eddyrtc.engine.rtp.RtpExtensionValues values = new io.eddyrtc.engine.rtp.RtpExtensionValues();
        for (int frame = 0; frame < 4; frame++) {
            MediaSection m = ml.section(frame % 2 == 0 ? "t1" : "t2");
            ml.writeSample(1_000_000L * frame, m, m.codecs().getFirst(), null, 0, 3000L * frame,
                    MemorySegment.ofArray(new byte[2500]), 0, 2500); // three packets
            for (PacketBuffer b; !(b = ml.pollTransmit()).isNone(); ) {
                MemorySegment.copy(b.segment(), 0, seg, 0, b.length());
                int n = peer.inbound().unprotectRtp(seg, 0, b.length());
                pool.release(b);
                assertTrue(n > 0 && h.wrap(seg, 0, n));
                values.clear();
                map.parse(h, values);
                assertTrue(values.has(RtpExtension.TRANSPORT_WIDE_CC), "every packet numbered");
                numbers.add(values.transportSequence());
                h.unwrap();
            }
        }
        assertEquals(java.util.stream.IntStream.range(0, numbers.size()).boxed().toList(), numbers,
                "one count across both streams, in send order");
        assertTrue(numbers.size() >= 8, "several packets per frame: " + numbers.size());
    }

    /**
     * Audio without NACK (Opus as browsers offer it): a lost packet holds back at most three frames, since
     * only reordering could fill the hole; no 300 ms stall after every loss.
     */
    @Test
    void audioWithoutNackWaitsOnlyBrieflyBehindALoss() {
        layer(false);
        long now = 0;
        for (int seq = 1; seq <= 9; seq++) {
            if (seq == 5) {
                continue; // lost
            }
            byte[] p = rtp(111, seq, 960L * seq, 4000, 30);
            deliverRtp(now += 20_000_000, p, p.length);
        }
        List<Event.MediaData> out = events.stream().filter(e -> e instanceof Event.MediaData).map(e -> (Event.MediaData) e).toList();
        assertEquals(8, out.size(), "1–4 at once, then 6–9 once a fourth frame stands behind the hole: " + out.size());
        assertTrue(!out.get(4).contiguous(), "the first frame after the loss says so");
        drain();
    }

    /** A layer whose RTX SSRC changed (repaired-rid) leaves no stale entry: after retirement its old RTX SSRC routes nowhere. */
    @Test
    void anRtxSsrcOfARetiredStreamRoutesNowhere() {
        layer(true);
        ExtensionMap map = simulcastReceiver(Rid.of("q"));
        byte[] q = ext(96, 100, 10, "q", null, false, new byte[] {0x10, 0x10, 'Q'}, map);
        deliverRtp(1, q, q.length);
        byte[] rtxA = ext(97, 7, 21, null, "q", false, new byte[] {0, 99, 0x10, 0x10, 'Q'}, map);
        deliverRtp(2, rtxA, rtxA.length);
        byte[] rtxB = ext(97, 8, 22, null, "q", false, new byte[] {0, 98, 0x10, 0x10, 'Q'}, map);
        deliverRtp(3, rtxB, rtxB.length);
        drain();
        ml.stop(Mid.of("s"));
        byte[] again = ext(97, 9, 21, null, "q", false, new byte[] {0, 97, 0x10, 0x10, 'Q'}, map);
        assertDoesNotThrow(() -> deliverRtp(4, again, again.length), "RTX SSRC 21 must not reach the retired stream");
        assertTrue(ml.receiver().streams().media(10) == null && ml.receiver().streams().size() == 2, "the stopped m-line's stream and its RTX entries are gone: "
                + ml.receiver().streams().size() + " entries left (the video m-line's declared 2000/2001)");
    }

    /** RTX SSRCs tied by repaired-rid replace each other: a peer cannot grow the SSRC table without bound. */
    @Test
    void oneRtxSsrcPerStreamWhateverTheProbesSay() {
        layer(true);
        ExtensionMap map = simulcastReceiver(Rid.of("q"));
        byte[] q = ext(96, 100, 10, "q", null, false, new byte[] {0x10, 0x10, 'Q'}, map);
        deliverRtp(1, q, q.length);
        for (int i = 0; i < 5000; i++) {
            byte[] rtx = ext(97, i, 100_000 + i, null, "q", true, new byte[0], map);
            deliverRtp(2 + i, rtx, rtx.length);
            drain();
        }
        int size = ml.receiver().streams().size();
        assertTrue(size < 100, "SSRC table entries kept for one peer: " + size);
    }

    /** Five payload types cycled on one SSRC: at most one assembler replaced per second, not one per packet. */
    @Test
    void cyclingFivePayloadTypesDoesNotBuildAnAssemblerPerPacket() {
        layer(false);
        List<PayloadParams> codecs = List.of(
                new PayloadParams(96, CodecParams.of(Codec.VP8, FormatParams.NONE), -1, List.of()),
                new PayloadParams(98, CodecParams.of(Codec.VP9, FormatParams.NONE), -1, List.of()),
                new PayloadParams(102, CodecParams.of(Codec.H264, FormatParams.NONE), -1, List.of()),
                new PayloadParams(45, CodecParams.of(Codec.AV1, FormatParams.NONE), -1, List.of()),
                new PayloadParams(49, CodecParams.of(Codec.H265, FormatParams.NONE), -1, List.of()));
        ml.add(line(Mid.of("x"), MediaKind.VIDEO, Direction.RECV_ONLY, codecs, new ExtensionMap().set(4, RtpExtension.MID),
                List.of(), List.of(ids(5000, -1))));
        int[] pts = {96, 98, 102, 45, 49};
        int n = 2000;
        byte[][] pk = new byte[n][];
        for (int i = 0; i < n; i++) pk[i] = rtp(pts[i % 5], i, i * 3000L, 5000, 60);
        long perPacket = allocatedByLast(1000, pk, false) / 1000;
        assertTrue(perPacket < 2_000, perPacket + " bytes allocated per packet");
    }

    /** A packet for a held m-line makes no stream, and a stream that never delivered counts as paused. */
    @Test
    void aStreamThatNeverDeliveredDoesNotBlockTheUndeclaredCap() {
        layer(false);
        MediaSection v = ml.section("v");
        NegotiatedMedia i = v.agreed();
        java.util.function.Function<Direction, NegotiatedMedia> with = i::withDirection;
        ExtensionMap map = new ExtensionMap().set(4, RtpExtension.MID);
        long now = 1_000_000_000L;
        for (int k = 0; k < 15; k++) { // 15 undeclared streams, live for a moment
            byte[] p = midPacket(96, k, 50_000 + k, map);
            deliverRtp(now++, p, p.length);
        }
        ml.change(with.apply(Direction.SEND_ONLY)); // the peer's direction changes (hold)
        byte[] late = midPacket(96, 0, 70_000, map); // a packet from a new SSRC arrives meanwhile
        deliverRtp(now++, late, late.length);
        ml.change(with.apply(Direction.SEND_RECV));
        drain();
        now += 3_600_000_000_000L; // an hour later, every stream long paused
        ml.handleTimeout(now);
        drain();
        byte[] fresh = midPacket(96, 0, 80_000, map);
        deliverRtp(now, fresh, fresh.length);
        drain();
        assertNotNull(ml.receiver().streams().media(80_000), "a new SSRC is taken an hour later");
    }

    byte[] midPacket(int pt, int seq, long ssrc, ExtensionMap map) {
        byte[] out = new byte[200];
        io.eddyrtc.engine.rtp.RtpExtensionValues v = new io.eddyrtc.engine.rtp.RtpExtensionValues().setMid("v".getBytes());
        int h = io.eddyrtc.engine.rtp.RtpHeader.write(MemorySegment.ofArray(out), 0, 200, pt, true, seq, 9000, ssrc, map, v);
        out[h] = 0x10; out[h + 1] = 0x10;
        return java.util.Arrays.copyOf(out, h + 3);
    }

    @Test
    void pausedUndeclaredStreamsMakeRoomForANewOne() {
        layer(false);
        ExtensionMap map = new ExtensionMap().set(4, RtpExtension.MID);
        long now = 1_000_000_000L;
        for (int k = 0; k < 16; k++) {
            byte[] p = midPacket(96, k, 50_000 + k, map);
            deliverRtp(now++, p, p.length);
        }
        drain();
        now += 3_600_000_000_000L;
        ml.handleTimeout(now);
        drain();
        byte[] fresh = midPacket(96, 0, 80_000, map);
        deliverRtp(now, fresh, fresh.length);
        drain();
        assertNotNull(ml.receiver().streams().media(80_000));
    }

    /** However many SSRCs the peer declares or sends from, one Rtc keeps {@code maxReceiveStreams} streams. */
    @Test
    void theRtcWideStreamLimitHoldsAcrossMlines() {
        layer(MediaConfig.defaults().withReceiveLimits(8, 32)); // the video m-line declares one stream already
        ml.add(line(Mid.of("w"), MediaKind.VIDEO, Direction.RECV_ONLY, ml.section("v").codecs(), new ExtensionMap().set(4, RtpExtension.MID),
                List.of(), List.of(ids(7000, 7001), ids(7002, 7003), ids(7004, 7005))));
        assertEquals(0, drops.dropped(RtcDropReason.STREAM_LIMIT), "four declared streams fit");
        long now = 1_000_000;
        for (int i = 0; i < 10; i++) { // ten SSRCs no SDP named, on the audio m-line
            byte[] p = rtp(111, 1, 0, 50_000 + i, 20);
            deliverRtp(now++, p, p.length);
        }
        drain();
        assertEquals(6, drops.dropped(RtcDropReason.STREAM_LIMIT), "four of the ten make eight streams; six are refused");
        ml.change(line(Mid.of("w"), MediaKind.VIDEO, Direction.RECV_ONLY, ml.section("v").codecs(), new ExtensionMap().set(4, RtpExtension.MID),
                List.of(), List.of(ids(7000, 7001), ids(7002, 7003), ids(7004, 7005), ids(7006, 7007))));
        assertEquals(7, drops.dropped(RtcDropReason.STREAM_LIMIT), "a stream declared in a re-offer past the limit is counted");
        assertNull(ml.receiver().streams().media(7006), "and not set up");
    }

    /** Sample mode: the frame assemblers of all streams together stay within {@code maxFrameAssemblers}. */
    @Test
    void frameAssemblersAreBoundedAcrossStreams() {
        layer(MediaConfig.defaults().withReceiveLimits(64, 3));
        long now = 1_000_000;
        for (int i = 0; i < 5; i++) { // five audio streams, each needing an assembler
            byte[] p = rtp(111, 1, 0, 50_000 + i, 20);
            deliverRtp(now++, p, p.length);
        }
        drain();
        assertEquals(2, drops.dropped(RtcDropReason.STREAM_LIMIT), "three streams got an assembler, two packets were not decoded");
        ml.stop(Mid.of("a")); // their streams retire, and their assemblers with them
        byte[] video = midPacket(96, 0, 80_000, new ExtensionMap().set(4, RtpExtension.MID));
        deliverRtp(now, video, video.length);
        drain();
        assertEquals(2, drops.dropped(RtcDropReason.STREAM_LIMIT), "the budget freed by the stopped m-line is used again");
    }
}
