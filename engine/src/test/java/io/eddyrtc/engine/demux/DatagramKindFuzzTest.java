package io.eddyrtc.engine.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/** The demultiplexer sees every datagram first: it must classify anything without throwing. */
class DatagramKindFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void classifiesAnyDatagram(byte[] datagram) {
        DatagramKind kind = DatagramKind.classify(MemorySegment.ofArray(datagram));
        assertNotNull(kind);
        if (datagram.length == 0) {
            assertEquals(DatagramKind.UNKNOWN, kind);
        } else if ((datagram[0] & 0xFF) <= 3) {
            assertEquals(DatagramKind.STUN, kind);
        } else if (kind == DatagramKind.RTP || kind == DatagramKind.RTCP) {
            assertEquals(2, (datagram[0] & 0xFF) >>> 6, "RTP and RTCP are version 2");
        }
    }
}
