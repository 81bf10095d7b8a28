package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.packet.Captures.Emitted;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packetize, then depacketize through a {@link FrameAssembler}: every codec, MTU 1200 and 300, random
 * frames from a seeded generator (multi-NAL H.264/H.265/H.266 frames with parameter sets, AV1
 * temporal units with several OBUs). The frames must come back byte for byte, with their keyframe
 * flags, and no payload may exceed the MTU.
 */
class RoundTripPacketizerTest {
    static final long SEED = 20261130;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Codec c : new Codec[] {Codec.OPUS, Codec.PCMU, Codec.PCMA, Codec.G722, Codec.CN, Codec.VP8, Codec.VP9,
                Codec.H264, Codec.H265, Codec.H266, Codec.AV1}) {
            cases.add(Arguments.of(c, 1200));
            cases.add(Arguments.of(c, 300));
        }
        return cases;
    }

    /** A generated frame: what the packetizer gets, what must come out, and whether it is a keyframe. */
    record Sample(byte[] input, byte[] expected, boolean keyframe) {}

    @ParameterizedTest(name = "{0} at MTU {1}")
    @MethodSource("cases")
    void framesSurviveTheRoundTrip(Codec codec, int mtu) {
        Random random = new Random(SEED + codec.ordinal() * 31L + mtu);
        Packetizer packetizer = Packetizer.of(codec);
        FrameAssembler assembler = codec.kind() == io.eddyrtc.engine.media.MediaKind.AUDIO
                ? FrameAssembler.forAudio(Depacketizer.of(codec), AssemblerPools.pool(2048))
                : FrameAssembler.forVideo(Depacketizer.of(codec), AssemblerPools.pool(2048));
        MemorySegment payload = MemorySegment.ofArray(new byte[mtu]);
        List<Sample> samples = new ArrayList<>();
        List<Emitted> frames = new ArrayList<>();
        long seq = 1000;
        int packets = 0;
        for (int i = 0; i < 120; i++) {
            Sample s = sample(codec, mtu, i, random);
            samples.add(s);
            packetizer.begin(MemorySegment.ofArray(s.input()), 0, s.input().length, mtu);
            while (packetizer.hasNext()) {
                int n = packetizer.next(payload, 0);
                assertTrue(n > 0 && n <= mtu, "payload of " + n + " bytes at MTU " + mtu);
                assertTrue(assembler.push(seq++, 3000L * i, packetizer.marker(), payload, 0, n));
                packets++;
                Captures.drain(assembler, frames);
            }
        }
        assertEquals(0, assembler.framesDropped(), () -> "malformed " + assembler.framesMalformed() + ", emitted "
                + frames.stream().map(f -> f.timestamp() / 3000).toList());
        assertEquals(samples.size(), frames.size());
        for (int i = 0; i < samples.size(); i++) {
            assertArrayEquals(samples.get(i).expected(), frames.get(i).data(), "frame " + i);
            assertEquals(samples.get(i).keyframe(), frames.get(i).keyframe(), "keyframe flag of frame " + i);
            assertTrue(frames.get(i).contiguous());
        }
        if (mtu == 300 && codec.kind() == io.eddyrtc.engine.media.MediaKind.VIDEO) {
            assertTrue(packets > 2 * samples.size(), "frames were split: " + packets + " packets");
        }
    }

    static Sample sample(Codec codec, int mtu, int index, Random r) {
        boolean key = index % 10 == 0;
        return switch (codec) {
            case OPUS, PCMU, PCMA, G722, CN -> {
                byte[] b = bytes(r, 1 + r.nextInt(Math.min(mtu, 400)));
                yield new Sample(b, b, false);
            }
            case VP8 -> {
                byte[] b = bytes(r, 1 + r.nextInt(key ? 9000 : 3000));
                b[0] = (byte) (key ? b[0] & ~1 : b[0] | 1); // frame tag P bit: 0 for key frames
                yield new Sample(b, b, key);
            }
            case VP9 -> {
                byte[] b = bytes(r, 20 + r.nextInt(key ? 9000 : 3000));
                if (key) {
                    // frame marker, profile 0, key frame, shown; sync code; sRGB-less colour config; 640x360
                    byte[] header = {(byte) 0x82, 0x49, (byte) 0x83, 0x42, 0x00, 0x27, (byte) 0xF0, 0x16, 0x70};
                    System.arraycopy(header, 0, b, 0, header.length);
                } else {
                    b[0] = (byte) 0x86;
                }
                yield new Sample(b, b, key);
            }
            case H264 -> nalFrame(r, key, 1, new int[][] {{0x67}, {0x68}}, new int[] {0x65}, new int[] {0x41});
            case H265 -> nalFrame(r, key, 2, new int[][] {{0x40, 0x01}, {0x42, 0x01}, {0x44, 0x01}},
                    new int[] {0x26, 0x01}, new int[] {0x02, 0x01});
            case H266 -> nalFrame(r, key, 2, new int[][] {{0x00, 15 << 3 | 1}, {0x00, 16 << 3 | 1}},
                    new int[] {0x00, 7 << 3 | 1}, new int[] {0x00, 1});
            case AV1 -> av1Frame(r, key);
            default -> throw new IllegalArgumentException(codec.toString());
        };
    }

    /** Random bytes without zeros, so that no start code or emulation pattern appears by chance. */
    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (1 + r.nextInt(255));
        }
        return b;
    }

    /**
     * A NAL unit body with isolated zero bytes (as real slices have), but never two in a row and
     * never at the end, as emulation prevention and the trailing bits guarantee.
     */
    static byte[] nalBody(Random r, int n) {
        byte[] b = bytes(r, n);
        for (int i = 1; i + 1 < n; i++) {
            if (r.nextInt(12) == 0 && b[i - 1] != 0) {
                b[i] = 0;
            }
        }
        return b;
    }

    /**
     * An Annex B access unit: parameter sets and an IRAP slice for keyframes, one to four slices
     * otherwise, sizes from a few bytes to several MTUs; start codes of 3 and 4 bytes in the input,
     * always 4 in the expected output.
     */
    static Sample nalFrame(Random r, boolean key, int headerBytes, int[][] parameterSets, int[] irap, int[] slice) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<int[]> headers = new ArrayList<>();
        if (key) {
            headers.addAll(List.of(parameterSets));
            headers.add(irap);
        }
        int slices = key ? r.nextInt(2) : 1 + r.nextInt(4);
        for (int i = 0; i < slices; i++) {
            headers.add(slice);
        }
        for (int[] h : headers) {
            boolean small = h != irap && h != slice || r.nextInt(3) == 0;
            byte[] body = nalBody(r, small ? 1 + r.nextInt(40) : 1 + r.nextInt(6000));
            if (r.nextBoolean()) {
                in.write(0);
            }
            in.writeBytes(new byte[] {0, 0, 1});
            out.writeBytes(new byte[] {0, 0, 0, 1});
            for (int i = 0; i < headerBytes; i++) {
                in.write(h[i]);
                out.write(h[i]);
            }
            in.writeBytes(body);
            out.writeBytes(body);
        }
        return new Sample(in.toByteArray(), out.toByteArray(), key);
    }

    /**
     * An AV1 temporal unit: a temporal delimiter, for keyframes a sequence header, then frame or
     * frame-header + tile-group OBUs, some with an extension byte, the last without obu_size. The
     * expected output drops the delimiter and gives every OBU its size.
     */
    static Sample av1Frame(Random r, boolean key) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.writeBytes(new byte[] {0x12, 0x00}); // OBU_TEMPORAL_DELIMITER, size 0
        List<Integer> types = new ArrayList<>();
        if (key) {
            types.add(1);
        }
        int frames = 1 + r.nextInt(3);
        for (int i = 0; i < frames; i++) {
            if (r.nextBoolean()) {
                types.add(6); // OBU_FRAME
            } else {
                types.add(3); // OBU_FRAME_HEADER
                types.add(4); // OBU_TILE_GROUP
            }
        }
        for (int i = 0; i < types.size(); i++) {
            int type = types.get(i);
            boolean extension = type != 1 && r.nextInt(3) == 0;
            boolean lastWithoutSize = i == types.size() - 1 && r.nextBoolean();
            byte[] body = bytes(r, type == 1 ? 10 + r.nextInt(10) : 1 + r.nextInt(5000));
            int header = type << 3 | (extension ? 0x04 : 0);
            int ext = 0x28 + r.nextInt(0x10); // temporal and spatial ids
            in.write(header | (lastWithoutSize ? 0 : 0x02));
            out.write(header | 0x02);
            if (extension) {
                in.write(ext);
                out.write(ext);
            }
            if (!lastWithoutSize) {
                in.writeBytes(leb128(body.length));
            }
            out.writeBytes(leb128(body.length));
            in.writeBytes(body);
            out.writeBytes(body);
        }
        return new Sample(in.toByteArray(), out.toByteArray(), key);
    }

    static byte[] leb128(long value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        do {
            int low = (int) (value & 0x7F);
            value >>>= 7;
            b.write(value != 0 ? low | 0x80 : low);
        } while (value != 0);
        return b.toByteArray();
    }
}
