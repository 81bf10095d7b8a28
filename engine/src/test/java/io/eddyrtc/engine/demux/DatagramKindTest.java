package io.eddyrtc.engine.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class DatagramKindTest {

    private static DatagramKind of(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return DatagramKind.classify(MemorySegment.ofArray(b));
    }

    private static int[] padded(int first, int second, int length) {
        int[] b = new int[length];
        b[0] = first;
        b[1] = second;
        return b;
    }

    @Test
    void firstByteRangesOfRfc7983() {
        for (int first = 0; first < 256; first++) {
            DatagramKind expected;
            if (first <= 3) {
                expected = DatagramKind.STUN;
            } else if (first >= 16 && first <= 19) {
                expected = DatagramKind.ZRTP;
            } else if (first >= 20 && first <= 63) {
                expected = DatagramKind.DTLS;
            } else if (first >= 64 && first <= 79) {
                expected = DatagramKind.TURN_CHANNEL;
            } else if (first >= 128 && first <= 191) {
                expected = DatagramKind.RTP;
            } else {
                expected = DatagramKind.UNKNOWN;
            }
            assertEquals(expected, of(padded(first, 96, 20)), "first byte " + first);
        }
    }

    @Test
    void rtcpPacketTypesAreToldFromRtpPayloadTypes() {
        assertEquals(DatagramKind.RTCP, of(padded(0x80, 200, 28)), "SR");
        assertEquals(DatagramKind.RTCP, of(padded(0x81, 201, 8)), "RR");
        assertEquals(DatagramKind.RTCP, of(padded(0x81, 205, 16)), "RTPFB (NACK, TWCC)");
        assertEquals(DatagramKind.RTCP, of(padded(0x81, 206, 12)), "PSFB (PLI)");
        assertEquals(DatagramKind.RTCP, of(padded(0x80, 192, 4)), "the bottom of the RTCP range");
        assertEquals(DatagramKind.RTCP, of(padded(0x80, 223, 4)), "the top of the RTCP range");
        assertEquals(DatagramKind.RTP, of(padded(0x80, 111, 12)), "Opus, PT 111, no marker");
        assertEquals(DatagramKind.RTP, of(padded(0x80, 0x80 | 96, 12)), "VP8 with the marker bit set: 224");
        assertEquals(DatagramKind.RTP, of(padded(0x80, 0x80 | 63, 12)), "PT 63 with marker is 191: RTP");
    }

    @Test
    void tooShortToBeWhatItClaimsIsUnknown() {
        assertEquals(DatagramKind.UNKNOWN, of());
        assertEquals(DatagramKind.UNKNOWN, of(0x80));
        assertEquals(DatagramKind.UNKNOWN, of(padded(0x80, 96, 11)), "RTP fixed header is 12 bytes");
        assertEquals(DatagramKind.UNKNOWN, of(padded(0x80, 200, 3)), "RTCP common header is 4 bytes");
        assertEquals(DatagramKind.STUN, of(0x00), "STUN length is the ICE agent's to judge");
    }

    @Test
    void classifiesAWindowOfALargerSegment() {
        byte[] b = new byte[64];
        b[10] = 22; // a DTLS handshake record at offset 10
        assertEquals(DatagramKind.DTLS, DatagramKind.classify(MemorySegment.ofArray(b), 10, 30));
        assertEquals(DatagramKind.STUN, DatagramKind.classify(MemorySegment.ofArray(b), 0, 10));
    }
}
