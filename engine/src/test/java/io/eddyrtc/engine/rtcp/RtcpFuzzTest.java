package io.eddyrtc.engine.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Any datagram through the compound cursor: it must not throw or read outside the window, and every
 * packet it accepts, written again from the values it exposes, must parse back to the same values.
 * Plain {@code mvn test} replays the committed inputs in {@code RtcpFuzzTestInputs/rtcp}; running
 * with {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class RtcpFuzzTest {
    private static final MemorySegment REWRITTEN = Arena.ofAuto().allocate(1 << 20);

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
