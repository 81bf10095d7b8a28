package io.eddyrtc.engine.packet;

import io.eddyrtc.engine.media.Codec;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded, deterministic complement to the fuzz targets (whose coverage feedback is off on Java 25):
 * valid payloads from the packetizers, mutated (bit flips, truncation, byte runs, swapped lengths)
 * and fed to each depacketizer alone and behind an assembler. Nothing may throw.
 */
class MutatedPayloadTest {

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"OPUS", "VP8", "VP9", "H264", "H265", "H266", "AV1"})
    void mutatedPayloadsNeverThrow(Codec codec) {
        Random r = new Random(99 + codec.ordinal());
        List<byte[]> payloads = new ArrayList<>();
        Packetizer p = Packetizer.of(codec);
        MemorySegment out = MemorySegment.ofArray(new byte[300]);
        for (int i = 0; i < 30; i++) {
            byte[] frame = RoundTripPacketizerTest.sample(codec, 300, i, r).input();
            p.begin(MemorySegment.ofArray(frame), 0, frame.length, 300);
            while (p.hasNext()) {
                int n = p.next(out, 0);
                payloads.add(out.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] m = mutate(payloads.get(r.nextInt(payloads.size())), r);
            DepacketizerFuzzTest.direct(codec, m);
            if (i % 10 == 0) {
                DepacketizerFuzzTest.stream(codec, packetStream(payloads, r));
            }
        }
    }

    /**
     * Packetizers get frames from the application, but must still end, and never write past the MTU,
     * whatever the bytes and the MTU (from 16 up): random and mutated frames at random MTUs. Input a
     * format cannot carry is refused with {@link IllegalArgumentException} and nothing else.
     */
    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"VP8", "VP9", "H264", "H265", "H266", "AV1"})
    void packetizersStayWithinTheMtu(Codec codec) {
        Random r = new Random(7 + codec.ordinal());
        Packetizer p = Packetizer.of(codec);
        byte[] out = new byte[1600];
        MemorySegment guard = MemorySegment.ofArray(out);
        for (int i = 0; i < 3000; i++) {
            byte[] frame = RoundTripPacketizerTest.sample(codec, 1200, i, r).input();
            if (i % 2 == 1) {
                frame = mutate(frame, r);
            }
            int mtu = 16 + r.nextInt(1400);
            try {
                p.begin(MemorySegment.ofArray(frame), 0, frame.length, mtu);
            } catch (IllegalArgumentException refused) {
                continue;
            }
            int payloads = 0;
            long total = 0;
            while (p.hasNext()) {
                out[mtu] = 0x5A;
                int n = p.next(guard, 0);
                org.junit.jupiter.api.Assertions.assertTrue(n > 0 && n <= mtu, n + " > " + mtu);
                org.junit.jupiter.api.Assertions.assertEquals(0x5A, out[mtu], "wrote past the MTU");
                total += n;
                org.junit.jupiter.api.Assertions.assertTrue(++payloads <= 2 * frame.length + 2, "does not end");
            }
            final int count = payloads; final byte[] fr = frame;
            org.junit.jupiter.api.Assertions.assertTrue(p.marker(), () -> codec + ": no marker after " + count + " payloads, frame " + java.util.HexFormat.of().formatHex(fr, 0, Math.min(fr.length, 40)));
            org.junit.jupiter.api.Assertions.assertTrue(total > 0);
        }
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        switch (r.nextInt(5)) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2 -> {
                int at = r.nextInt(b.length);
                java.util.Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(4)), (byte) (r.nextBoolean() ? 0xFF : 0));
            }
            case 3 -> b[Math.min(b.length - 1, r.nextInt(4))] = (byte) r.nextInt(256); // descriptor or header bytes
            default -> {
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    /** Valid and mutated payloads in the fuzz target's packet-stream format. */
    static byte[] packetStream(List<byte[]> payloads, Random r) {
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 12; i++) {
            byte[] p = payloads.get(r.nextInt(payloads.size()));
            if (r.nextInt(3) == 0) {
                p = mutate(p, r);
            }
            int length = Math.min(255, p.length);
            s.write(r.nextInt(256));
            s.write(length);
            s.write(p, 0, length);
        }
        return s.toByteArray();
    }
}
