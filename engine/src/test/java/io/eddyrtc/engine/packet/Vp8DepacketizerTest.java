package io.eddyrtc.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.rtp.RtpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real VP8 capture against its Wireshark summary: every frame, keyframes where Wireshark sees them. */
class Vp8DepacketizerTest {
    static final Pattern SUMMARY = Pattern.compile("Seq=(\\d+), Time=(\\d+)(, Mark)? - (Keyframe|Interframe)");

    @Test
    void framesAndKeyframesMatchTheCaptureSummary() throws IOException {
        List<byte[]> packets = Pcap.udpPayloads(Pcap.capture("vp8.pcap"));
        Set<Long> frameTimestamps = new HashSet<>();
        Set<Long> keyTimestamps = new HashSet<>();
        for (String line : Files.readAllLines(Pcap.capture("vp8.txt"))) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                long ts = Long.parseLong(m.group(2));
                frameTimestamps.add(ts);
                if (m.group(4).equals("Keyframe")) {
                    keyTimestamps.add(ts);
                }
            }
        }
        assertEquals(packets.size(), Files.readAllLines(Pcap.capture("vp8.txt")).size(), "one summary line per packet");
        Vp8Depacketizer vp8 = new Vp8Depacketizer();
        RtpHeader rtp = new RtpHeader();
        List<Vp8Depacketizer.Frame> frames = new ArrayList<>();
        for (byte[] p : packets) {
            assertTrue(rtp.wrap(MemorySegment.ofArray(p)), "every packet is RTP");
            assertEquals(96, rtp.payloadType());
            Vp8Depacketizer.Frame f = vp8.push(rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), p, rtp.payloadOffset(), rtp.payloadLength());
            if (f != null) {
                frames.add(f);
            }
        }
        assertEquals(frameTimestamps.size(), frames.size(), "one frame per RTP timestamp");
        assertEquals(0, vp8.framesDropped());
        long keyframes = frames.stream().filter(Vp8Depacketizer.Frame::keyframe).count();
        assertEquals(keyTimestamps.size(), keyframes, "keyframes where Wireshark sees them");
        for (Vp8Depacketizer.Frame f : frames) {
            assertEquals(keyTimestamps.contains(f.rtpTimestamp()), f.keyframe(), "frame at " + f.rtpTimestamp());
            // a VP8 keyframe carries the start code 9d 01 2a after its 3-byte frame tag (RFC 6386 §9.1)
            if (f.keyframe()) {
                assertEquals(0x9d, f.data()[3] & 0xFF);
                assertEquals(0x01, f.data()[4] & 0xFF);
                assertEquals(0x2a, f.data()[5] & 0xFF);
            }
        }
    }

    @Test
    void aMissingPacketDropsItsFrameOnly() throws IOException {
        List<byte[]> packets = Pcap.udpPayloads(Pcap.capture("vp8.pcap"));
        Vp8Depacketizer vp8 = new Vp8Depacketizer();
        RtpHeader rtp = new RtpHeader();
        int frames = 0;
        int lostSeq = -1;
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            rtp.wrap(MemorySegment.ofArray(p));
            if (lostSeq < 0 && !rtp.marker()) {
                lostSeq = rtp.sequenceNumber(); // lose the first packet of a two-packet frame
                continue;
            }
            if (vp8.push(rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), p, rtp.payloadOffset(), rtp.payloadLength()) != null) {
                frames++;
            }
        }
        assertTrue(lostSeq >= 0);
        assertEquals(1, vp8.framesDropped(), "only the frame that lost a packet");
        assertEquals(100, frames);
    }

    @Test
    void truncatedDescriptorsAreIgnored() {
        Vp8Depacketizer vp8 = new Vp8Depacketizer();
        assertNull(vp8.push(1, 1, true, new byte[] {(byte) 0x90}, 0, 1));      // X set, nothing follows
        assertNull(vp8.push(2, 2, true, new byte[] {(byte) 0x90, (byte) 0x80}, 0, 2)); // I set, no picture id
        assertNull(vp8.push(3, 3, true, new byte[0], 0, 0));
    }
}
