package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/** Mirrors str0m's {@code rtp_header} and {@code rtp_packet} fuzz targets: any bytes, no throw, no read outside. */
class RtpFuzzTest {
    private static final ExtensionMap ALL_ONE_BYTE = new ExtensionMap();
    private static final ExtensionMap ALL_TWO_BYTE = new ExtensionMap();

    static {
        RtpExtension[] all = RtpExtension.values();
        for (int i = 0; i < all.length; i++) {
            ALL_ONE_BYTE.set(i + 1, all[i]);
            ALL_TWO_BYTE.set(i + 100, all[i]);
        }
    }

    private final RtpHeader header = new RtpHeader();
    private final RtpExtensionValues values = new RtpExtensionValues();

    /**
     * Jazzer cannot instrument Java 25 classes here (see the parent pom), so its mutations are blind; this
     * also runs both targets on seeded mutations of a valid packet with extensions in plain {@code mvn test}.
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.extension.ExtendWith(io.eddyrtc.buffers.testkit.SeedExtension.class)
    void seededMutations(@io.eddyrtc.buffers.testkit.Seed long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] valid = java.util.HexFormat.of().parseHex(
                "b0e0698fd9c293da1c642782bede000310aa21bbbb000033cccccccc0102030405060708090a0b0c0d0e0f0004");
        for (int run = 0; run < 20_000; run++) {
            byte[] b = java.util.Arrays.copyOf(valid, Math.max(0, valid.length - random.nextInt(8) + random.nextInt(8)));
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                if (b.length > 0) {
                    b[random.nextInt(Math.min(b.length, 32))] ^= (byte) (1 << random.nextInt(8));
                }
            }
            rtpHeader(b);
            rtpPacket(b);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void rtpHeader(byte[] data) {
        // a window that is a slice, so reads past it would be reads of real (wrong) memory
        MemorySegment s = MemorySegment.ofArray(new byte[data.length + 8]);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 4, data.length);
        MemorySegment window = s.asSlice(4, data.length);
        RtpDropReason reason = header.parse(window, 0, data.length);
        if (reason == RtpDropReason.NONE) {
            assertTrue(header.headerLength() + header.payloadLength() + header.paddingLength() == data.length);
            assertTrue(header.payloadLength() >= 0 && header.headerLength() >= RtpHeader.FIXED);
            header.removePadding();
            assertEquals(RtpDropReason.NONE, header.parse(window, 0, header.length()));
        }
    }

    @FuzzTest(maxDuration = "5s")
    void rtpPacket(byte[] data) {
        MemorySegment window = MemorySegment.ofArray(data);
        if (header.parse(window, 0, data.length) != RtpDropReason.NONE) {
            return;
        }
        ExtensionMap map = data.length > 0 && (data[data.length - 1] & 1) != 0 ? ALL_TWO_BYTE : ALL_ONE_BYTE;
        map.parse(header, values);
        ALL_ONE_BYTE.parse(header, values);
        // whatever was read can be written again and reads back the same
        MemorySegment out = MemorySegment.ofArray(new byte[1500]);
        int len = RtpHeader.write(out, 0, 1500, header.payloadType(), header.marker(), header.sequenceNumber(),
                header.timestamp(), header.ssrc(), ALL_ONE_BYTE, values);
        assertTrue(len >= RtpHeader.FIXED);
        RtpHeader again = new RtpHeader();
        assertEquals(RtpDropReason.NONE, again.parse(out, 0, len));
        RtpExtensionValues back = new RtpExtensionValues();
        ALL_ONE_BYTE.parse(again, back);
        for (RtpExtension e : RtpExtension.values()) {
            assertEquals(values.has(e), back.has(e), e.name());
        }
        // and RTX round trip restores the sequence number
        MemorySegment rtx = MemorySegment.ofArray(new byte[data.length + 2]);
        int rtxLen = Rtx.wrap(header, rtx, 0, data.length + 2, 1, 97, 9);
        assertTrue(rtxLen > 0);
        int seq = header.sequenceNumber();
        assertEquals(RtpDropReason.NONE, again.parse(rtx, 0, rtxLen));
        assertEquals(RtpDropReason.NONE, Rtx.unwrap(again, header.ssrc(), header.payloadType()));
        assertEquals(seq, again.sequenceNumber());
        assertEquals(header.payloadLength(), again.payloadLength());
    }
}
