package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.MemoryBudget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.packet.Captures.Emitted;
import io.eddyrtc.engine.packet.Captures.Line;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every shared capture through its depacketizer and a {@link FrameAssembler}, checked against the
 * Wireshark summary beside it: one frame per RTP timestamp, keyframes where the summary (or the
 * bitstream) says, NAL unit types in the order the summary lists them, well-formed output.
 */
class CaptureDepacketizerTest {

    /** Timestamps in order of first appearance, with their lines. */
    static Map<Long, List<Line>> byTimestamp(List<Line> lines) {
        Map<Long, List<Line>> frames = new LinkedHashMap<>();
        for (Line l : lines) {
            frames.computeIfAbsent(l.timestamp(), t -> new ArrayList<>()).add(l);
        }
        return frames;
    }


    /** A capture replay: no retransmission will come, so the assembler need not wait behind a hole. */
    static FrameAssembler replayAssembler(Codec codec) {
        return new FrameAssembler(Depacketizer.of(codec), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 512, 4 << 20, 0);
    }

    /** A capture with its Wireshark summary, replayed in order: what every per-codec test starts from. */
    record Replay(List<Line> lines, List<byte[]> packets, FrameAssembler assembler, List<Emitted> frames) {
        static Replay of(String capture, Codec codec) throws IOException {
            List<Line> lines = Captures.summary(capture);
            List<byte[]> packets = Captures.packets(capture);
            assertEquals(lines.size(), packets.size(), "one summary line per packet");
            FrameAssembler a = replayAssembler(codec);
            return new Replay(lines, packets, a, Captures.assemble(a, packets));
        }

        /** The summary lines by RTP timestamp, in order of first appearance. */
        Map<Long, List<Line>> expected() {
            return byTimestamp(lines);
        }
    }

    /**
     * The frames a capture must yield, worked out from the packets alone: the packets of a timestamp
     * are consecutive, the last has the marker, and the first either follows a packet that arrived,
     * opens the capture, or is a frame start by {@code head} (read independently of the code under test).
     */
    static List<Long> expectedFrames(List<byte[]> packets, java.util.function.Predicate<byte[]> head) {
        Map<Long, List<byte[]>> byTs = new LinkedHashMap<>();
        Set<Integer> seqs = new java.util.HashSet<>();
        for (byte[] p : packets) {
            byTs.computeIfAbsent(ts(p), t -> new ArrayList<>()).add(p);
            seqs.add(seq(p));
        }
        List<Long> expected = new ArrayList<>();
        int firstSeq = seq(packets.get(0));
        for (Map.Entry<Long, List<byte[]>> e : byTs.entrySet()) {
            List<byte[]> ps = e.getValue();
            int first = seq(ps.get(0));
            boolean consecutive = true;
            for (int i = 1; i < ps.size(); i++) {
                consecutive &= seq(ps.get(i)) == ((seq(ps.get(i - 1)) + 1) & 0xFFFF);
            }
            boolean ended = (ps.get(ps.size() - 1)[1] & 0x80) != 0;
            boolean started = first == firstSeq || seqs.contains((first - 1) & 0xFFFF) || head.test(ps.get(0));
            if (consecutive && ended && started) {
                expected.add(e.getKey());
            }
        }
        return expected;
    }

    static int seq(byte[] p) {
        return ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
    }

    static long ts(byte[] p) {
        return ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFF) << 16) | ((p[6] & 0xFF) << 8) | (p[7] & 0xFF);
    }

    /** Frame timestamps in order, and each frame contiguous exactly when it follows the previous one's last packet. */
    static void assertFramesAndContiguity(List<Long> expected, List<Emitted> frames) {
        assertEquals(expected, frames.stream().map(Emitted::timestamp).toList());
        for (int i = 0; i < frames.size(); i++) {
            boolean follows = i == 0 || frames.get(i).firstSeq() == frames.get(i - 1).lastSeq() + 1;
            assertEquals(follows, frames.get(i).contiguous(), "contiguous, frame " + frames.get(i).timestamp());
        }
    }

    @Test
    void vp8() throws IOException {
        Replay r = Replay.of("vp8", Codec.VP8);
        List<byte[]> packets = r.packets();
        List<Emitted> frames = r.frames();
        Map<Long, List<Line>> expected = r.expected();
        assertEquals(expected.size(), frames.size());
        assertEquals(0, r.assembler().framesDropped());
        for (Emitted f : frames) {
            boolean key = expected.get(f.timestamp()).get(0).info().contains("Keyframe");
            assertEquals(key, f.keyframe(), "frame " + f.timestamp());
            assertTrue(f.contiguous());
            int payloadBytes = 0;
            for (long s = f.firstSeq(); s <= f.lastSeq(); s++) {
                byte[] p = packets.get((int) (s - frames.get(0).firstSeq()));
                payloadBytes += p.length - rtpHeader(p) - vp8Descriptor(p, rtpHeader(p));
            }
            assertEquals(payloadBytes, f.data().length, "frame size: its packets' payloads less their descriptors");
        }
        assertEquals(expected.values().stream().filter(l -> l.get(0).info().contains("Keyframe")).count(),
                frames.stream().filter(Emitted::keyframe).count());
    }

    /**
     * The VP8 capture has two temporal layers (TID 0 and 1 alternating, TL0PICIDX counting layer-0
     * frames). Losing a layer-1 frame leaves the next layer-0 frame decodable; losing a layer-0 frame
     * makes the layer-1 frame after it undecodable (dropped) and the next layer-0 frame not contiguous.
     */
    @Test
    void vp8TemporalLayersDecideContiguity() throws IOException {
        List<byte[]> packets = Captures.packets("vp8");
        // single-packet frames only, so that dropping one packet drops one whole frame
        int tl1 = -1;
        int tl0 = -1;
        for (int i = 10; i < packets.size() - 3 && (tl0 < 0 || tl1 < 0); i++) {
            byte[] p = packets.get(i);
            boolean single = (p[1] & 0x80) != 0 && (packets.get(i - 1)[1] & 0x80) != 0;
            int d = rtpHeader(p);
            int tid = (p[d + 5] & 0xFF) >>> 6; // X, I with M (2 bytes), L, T: TID is in the fifth byte
            boolean nextSingle = (packets.get(i + 1)[1] & 0x80) != 0;
            if (single && nextSingle && (p[d] & 0xFF) == 0x90 && (p[d + 1] & 0xFF) == 0xE0) {
                if (tid == 1 && tl1 < 0) {
                    tl1 = i;
                } else if (tid == 0 && tl0 < 0 && (tl1 < 0 || i > tl1 + 4)) {
                    tl0 = i;
                }
            }
        }
        assertTrue(tl0 > 0 && tl1 > 0);

        List<byte[]> withoutTl1 = new ArrayList<>(packets);
        withoutTl1.remove(tl1);
        FrameAssembler a = replayAssembler(Codec.VP8);
        List<Emitted> frames = Captures.assemble(a, withoutTl1);
        assertEquals(1, a.framesDropped(), "the lost frame only");
        assertTrue(frames.stream().allMatch(Emitted::contiguous), "layer 0 never missed a frame");

        List<byte[]> withoutTl0 = new ArrayList<>(packets);
        withoutTl0.remove(tl0);
        FrameAssembler b = replayAssembler(Codec.VP8);
        List<Emitted> frames2 = Captures.assemble(b, withoutTl0);
        assertEquals(1, b.framesUndecodable(), "the layer-1 frame right after it");
        assertEquals(2, b.framesDropped());
        assertEquals(1, frames2.stream().filter(f -> !f.contiguous()).count());
        assertEquals(packets.size() - 2, frames2.size() + 0L + frames2.stream().mapToLong(f -> f.lastSeq() - f.firstSeq()).sum());
    }

    /**
     * Every capture again, its packets (after the first four) shuffled within groups of four and one
     * in eight sent twice: the same frames come out, with the same bytes, as from the capture in order.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"vp8,VP8", "vp9,VP9", "contiguous_vp9,VP9", "h264,H264", "h266,H266",
            "av1,AV1"})
    void reorderedAndDuplicatedCapturesGiveTheSameFrames(String capture, Codec codec) throws IOException {
        List<byte[]> packets = Captures.packets(capture);
        List<Emitted> inOrder = Captures.assemble(new FrameAssembler(Depacketizer.of(codec), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 512, 4 << 20, 3),
                packets);
        java.util.Random r = new java.util.Random(capture.hashCode());
        List<byte[]> shaken = new ArrayList<>(packets.subList(0, 4)); // the stream starts with its first packet
        for (int at = 4; at < packets.size(); at += 4) {
            List<byte[]> group = new ArrayList<>(packets.subList(at, Math.min(packets.size(), at + 4)));
            java.util.Collections.shuffle(group, r);
            for (byte[] p : group) {
                shaken.add(p);
                if (r.nextInt(8) == 0) {
                    shaken.add(p);
                }
            }
        }
        FrameAssembler a = new FrameAssembler(Depacketizer.of(codec), AssemblerPools.pool(1500), MemoryBudget.unlimited(), 512, 4 << 20, 3);
        List<Emitted> frames = Captures.assemble(a, shaken);
        assertTrue(a.packetsDuplicate() + a.packetsLate() > 0);
        assertEquals(inOrder.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(inOrder.get(i).timestamp(), frames.get(i).timestamp());
            org.junit.jupiter.api.Assertions.assertArrayEquals(inOrder.get(i).data(), frames.get(i).data());
            assertEquals(inOrder.get(i).contiguous(), frames.get(i).contiguous());
            assertEquals(inOrder.get(i).keyframe(), frames.get(i).keyframe());
        }
    }

    /** The VP8 descriptor length, read here independently of the code under test (RFC 7741 §4.2). */
    static int vp8Descriptor(byte[] p, int at) {
        int n = 1;
        if ((p[at] & 0x80) != 0) {
            int x = p[at + 1] & 0xFF;
            n++;
            if ((x & 0x80) != 0) {
                n += (p[at + n] & 0x80) != 0 ? 2 : 1;
            }
            n += (x & 0x40) != 0 ? 1 : 0;
            n += (x & 0x30) != 0 ? 1 : 0;
        }
        return n;
    }

    static int rtpHeader(byte[] p) {
        int h = 12 + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0) {
            h += 4 + 4 * (((p[h + 2] & 0xFF) << 8) | (p[h + 3] & 0xFF));
        }
        return h;
    }

    @Test
    void vp9() throws IOException {
        Replay r = Replay.of("vp9", Codec.VP9);
        List<byte[]> packets = r.packets();
        List<Emitted> frames = r.frames();
        // the capture lost packets: frames with a hole are dropped, the rest come out, flagged when
        // a frame before them was lost
        List<Long> expected = expectedFrames(packets, p -> {
            int d = rtpHeader(p);
            return (p[d] & 0x08) != 0 && (p[d] & 0x20) == 0; // B, and no layer indices
        });
        assertTrue(expected.size() < r.expected().size());
        assertFramesAndContiguity(expected, frames);
        int keyframes = 0;
        for (Emitted f : frames) {
            assertEquals(vp9Keyframe(f.data()), f.keyframe(), "frame " + f.timestamp());
            keyframes += f.keyframe() ? 1 : 0;
        }
        assertTrue(keyframes >= 1, "the capture starts with a keyframe");
        assertTrue(frames.get(0).keyframe());
        assertTrue(frames.stream().anyMatch(f -> !f.contiguous()));
    }

    @Test
    void contiguousVp9() throws IOException {
        List<byte[]> packets = Captures.packets("contiguous_vp9");
        FrameAssembler a = replayAssembler(Codec.VP9);
        List<Emitted> frames = Captures.assemble(a, packets);
        Set<Long> timestamps = new LinkedHashSet<>();
        for (byte[] p : packets) {
            timestamps.add(ts(p));
        }
        assertEquals(0, a.framesDropped());
        assertEquals(expectedFrames(packets, p -> false), frames.stream().map(Emitted::timestamp).toList());
        assertTrue(frames.size() >= timestamps.size() - 1, "all but a last, unfinished one");
        for (Emitted f : frames) {
            assertTrue(f.contiguous());
            assertEquals(vp9Keyframe(f.data()), f.keyframe(), "frame " + f.timestamp());
        }
    }

    /** From the VP9 uncompressed header (VP9 spec §6.2): frame marker 2, not show-existing, frame_type 0. */
    static boolean vp9Keyframe(byte[] f) {
        int b = f[0] & 0xFF;
        assertEquals(2, b >>> 6, "frame_marker");
        int profile = ((b >>> 5) & 1) | (((b >>> 4) & 1) << 1);
        int bit = profile == 3 ? 5 : 4; // index of show_existing_frame from the top
        boolean showExisting = ((b >>> (7 - bit)) & 1) == 1;
        return !showExisting && ((b >>> (6 - bit)) & 1) == 0;
    }

    @Test
    void h264() throws IOException {
        Replay r = Replay.of("h264", Codec.H264);
        List<Line> lines = r.lines();
        List<Emitted> frames = r.frames();
        Map<Long, List<Line>> expected = r.expected();
        Map<Integer, String> infoBySeq = new java.util.HashMap<>();
        lines.forEach(l -> infoBySeq.put(l.seq(), l.info()));
        // a packet starts a frame if the summary shows a whole slice, an FU-A start or a STAP-A
        List<Long> wanted = new ArrayList<>(expectedFrames(r.packets(), p -> {
            String info = infoBySeq.get(seq(p));
            return info.startsWith("STAP-A") || info.startsWith("FU-A Start") || info.endsWith("IDR-Slice");
        }));
        // one STAP-A in the capture is cut short (Wireshark: "Bad NAL Length"): its frame is dropped
        long bad = lines.stream().filter(l -> l.info().contains("Bad NAL Length")).findFirst().orElseThrow().timestamp();
        assertTrue(wanted.remove(bad));
        assertEquals(1, r.assembler().framesMalformed());
        assertFramesAndContiguity(wanted, frames);
        assertEquals(expected.size() - 4, frames.size(), "three frames lost a packet, one is malformed");
        for (Emitted f : frames) {
            List<Integer> types = Captures.annexBTypes(f.data(), Codec.H264);
            List<Integer> nals = new ArrayList<>();
            for (Line l : expected.get(f.timestamp())) {
                String info = l.info();
                if (info.startsWith("STAP-A")) {
                    nals.add(7);
                    nals.add(8);
                    if (info.contains("IDR-Slice")) {
                        nals.add(5);
                    }
                } else if (info.contains("FU-A Start:IDR-Slice")) {
                    nals.add(5);
                } else if (info.contains("FU-A Start:non-IDR-Slice") || info.equals("non-IDR-Slice")) {
                    nals.add(1);
                }
            }
            assertEquals(nals, types, "NAL units of frame " + f.timestamp());
            assertEquals(types.contains(5), f.keyframe());
            if (f.keyframe()) {
                assertEquals(List.of(7, 8, 5), types.subList(0, 3), "parameter sets before the IDR");
            }
        }
        long idrFrames = expected.values().stream()
                .filter(l -> l.stream().anyMatch(x -> x.info().contains("IDR-Slice") && !x.info().contains("non-IDR")))
                .count();
        assertEquals(idrFrames, frames.stream().filter(Emitted::keyframe).count(), "every IDR (the cut frame is not labelled one)");
    }

    @Test
    void h266() throws IOException {
        Replay r = Replay.of("h266", Codec.H266);
        List<byte[]> packets = r.packets();
        List<Emitted> frames = r.frames();
        Map<Long, List<Line>> expected = r.expected();
        // Wireshark's H.266 summary omits "Mark", but the packets carry it
        assertEquals(expected.size(), frames.size());
        assertEquals(expectedFrames(packets, p -> false), frames.stream().map(Emitted::timestamp).toList());
        assertEquals(0, r.assembler().framesDropped());
        long keyframes = 0;
        for (Emitted f : frames) {
            List<Line> frameLines = expected.get(f.timestamp());
            boolean idr = frameLines.stream().anyMatch(l -> l.info().contains("IDR_W_RADL"));
            assertEquals(idr, f.keyframe(), "frame " + f.timestamp());
            keyframes += f.keyframe() ? 1 : 0;
            List<Integer> types = Captures.annexBTypes(f.data(), Codec.H266);
            List<Integer> wanted = new ArrayList<>();
            for (Line l : frameLines) {
                String info = l.info();
                if (info.startsWith("AP[SPS+PPS]")) {
                    wanted.add(15);
                    wanted.add(16);
                } else if (info.startsWith("PREFIX_APS")) {
                    wanted.add(17);
                } else if (info.startsWith("FU Start:IDR_W_RADL")) {
                    wanted.add(7);
                } else if (info.startsWith("FU Start:RADL") || info.equals("RADL")) {
                    wanted.add(2);
                }
            }
            assertEquals(wanted, types, "NAL units of frame " + f.timestamp());
        }
        assertEquals(7, keyframes);
    }

    @Test
    void av1() throws IOException {
        Replay r = Replay.of("av1", Codec.AV1);
        List<Line> lines = r.lines();
        List<Emitted> frames = r.frames();
        Map<Long, List<Line>> expected = r.expected();
        assertEquals(0, r.assembler().framesDropped());
        assertEquals(lines.stream().filter(Line::marker).count(), frames.size(), "one frame per marker");
        // the capture ends inside a temporal unit: the last one never completes
        assertFalse(lines.get(lines.size() - 1).marker());
        assertEquals(expected.size() - 1, frames.size());
        assertEquals(expectedFrames(r.packets(), p -> false), frames.stream().map(Emitted::timestamp).toList());
        int keyframes = 0;
        for (Emitted f : frames) {
            List<Integer> obus = av1ObuTypes(f.data());
            assertFalse(obus.contains(2), "temporal delimiters are dropped");
            assertEquals(obus.contains(1), f.keyframe(), "a keyframe starts a coded video sequence: " + obus);
            keyframes += f.keyframe() ? 1 : 0;
        }
        assertTrue(keyframes >= 1);
        assertTrue(frames.get(0).keyframe());
    }

    /**
     * Walks a low-overhead AV1 bitstream by its obu_size fields and returns the OBU types; fails
     * unless every OBU has a size and the sizes tile the frame exactly.
     */
    static List<Integer> av1ObuTypes(byte[] f) {
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (at < f.length) {
            int h = f[at] & 0xFF;
            assertEquals(0, h & 0x80, "forbidden bit");
            assertEquals(2, h & 0x02, "obu_has_size_field");
            types.add((h >>> 3) & 0x0F);
            at += (h & 0x04) != 0 ? 2 : 1;
            long size = 0;
            for (int i = 0; ; i++) {
                int b = f[at++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            at += (int) size;
        }
        assertEquals(f.length, at, "OBU sizes add up to the frame");
        return types;
    }
}
