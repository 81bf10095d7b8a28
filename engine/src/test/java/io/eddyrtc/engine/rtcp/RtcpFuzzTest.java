package io.eddyrtc.engine.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Any datagram through the compound cursor: it must not throw or read outside the window, and every
 * packet it accepts, written again from the values it exposes, must parse back to the same values.
 * Plain {@code mvn test} replays the committed inputs in {@code RtcpFuzzTestInputs/rtcp}; running
 * with {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 *
 * <p>The seeded mutation test below adds structure the coverage-guided fuzzer finds only slowly, and
 * deterministically: it flips, truncates, splices and rewrites the length fields of the seeds and checks
 * the same invariants on every variant.
 */
class RtcpFuzzTest {
    private static final MemorySegment REWRITTEN = Arena.ofAuto().allocate(1 << 20);

    private static final String[] SEEDS = {
        "pion-real-compound-rr-sdes-bye-pli-rrr", "sr-with-block", "chrome-remb", "chrome-twcc-run",
        "chrome-twcc-two-bit-vector", "twcc-one-bit-vector", "nack-fir", "xr-rrtr-dlrr", "bye-reason-app",
        "rr-length-lie-then-pli"
    };

    @Test
    void mutatedSeedsKeepTheInvariants() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : SEEDS) {
            try (InputStream in = RtcpFuzzTest.class.getResourceAsStream("RtcpFuzzTestInputs/rtcp/" + name)) {
                seeds.add(in.readAllBytes());
            }
        }
        long seed = 0xF0CACC1AL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 30_000; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            try {
                rtcp(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + " input "
                        + java.util.HexFormat.of().formatHex(input), e);
            }
        }
    }

    private static byte[] mutate(byte[] original, List<byte[]> seeds, SplittableRandom random) {
        byte[] b = original.clone();
        for (int edits = 1 + random.nextInt(4); edits > 0 && b.length > 0; edits--) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
                case 3 -> { // a length field (at a 4-byte boundary) nudged up or down
                    int field = (at & ~3) + 3;
                    if (field < b.length) {
                        b[field] = (byte) (b[field] + random.nextInt(-2, 3));
                    }
                }
                case 4 -> { // splice another seed's tail
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    int from = random.nextInt(other.length);
                    byte[] joined = java.util.Arrays.copyOf(b, at + other.length - from);
                    System.arraycopy(other, from, joined, at, other.length - from);
                    b = joined;
                }
                default -> b[at] = (byte) (b[at] & 0xE0 | random.nextInt(32)); // counts and formats
            }
        }
        return b;
    }

    @FuzzTest(maxDuration = "10s")
    void rtcp(byte[] datagram) {
        // the datagram sits inside a larger segment, so a read past its end would go unnoticed by the
        // JDK's bounds checks: the cursor must respect the window itself
        MemorySegment segment = MemorySegment.ofArray(new byte[datagram.length + 16]);
        MemorySegment.copy(MemorySegment.ofArray(datagram), 0, segment, 8, datagram.length);
        // poison around the window: anything read from there would show up as a difference below
        segment.asSlice(0, 8).fill((byte) 0x81);
        segment.asSlice(8 + datagram.length, 8).fill((byte) 0x81);

        RtcpCompound compound = new RtcpCompound();
        compound.wrap(segment, 8, datagram.length);
        while (compound.next()) {
            assertTrue(compound.packetOffset() >= 8);
            assertTrue(compound.packetOffset() + compound.packetLength() <= 8 + datagram.length);
        }

        List<String> parsed = RtcpTestSupport.describe(segment, 8, datagram.length);
        List<String> unpadded = RtcpTestSupport.describe(MemorySegment.ofArray(datagram), 0, datagram.length);
        assertEquals(unpadded, parsed, "what lies outside the window must not matter");

        compound.wrap(segment, 8, datagram.length);
        RtcpWriter writer = new RtcpWriter().begin(REWRITTEN, 0, (int) REWRITTEN.byteSize());
        assertTrue(RtcpTestSupport.rewrite(compound, writer), "every accepted packet can be written again");
        List<String> again = RtcpTestSupport.describe(REWRITTEN, 0, writer.finish());
        assertEquals("dropped 0", again.getLast(), "what eddy writes, eddy reads");
        assertEquals(parsed.subList(0, parsed.size() - 1), again.subList(0, again.size() - 1));
    }
}
