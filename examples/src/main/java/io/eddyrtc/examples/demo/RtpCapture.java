package io.eddyrtc.examples.demo;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.SequenceExtender;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.packet.Vp8PayloadDepacketizer;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RTP packets read from a classic pcap file (Ethernet/IPv4/UDP), each with its capture time, so a demo can
 * replay real browser video at its original pace.
 */
public record RtpCapture(List<Packet> packets) {

    /** One RTP packet and when it was captured, in nanoseconds after the first. */
    public record Packet(long atNanos, byte[] rtp) {}

    /** One VP8 frame: when its first packet was captured (nanoseconds after the first packet), its RTP timestamp and bytes. */
    public record Frame(long atNanos, long rtpTimestamp, byte[] data) {}

    public static RtpCapture read(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xA1B2C3D4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xA1B2C3D4) {
                throw new IOException(pcap + " is not a classic pcap file");
            }
        }
        if (b.getInt(20) != 1) {
            throw new IOException(pcap + ": only Ethernet captures are replayed");
        }
        List<Packet> packets = new ArrayList<>();
        long first = -1;
        for (int at = 24; at + 16 <= b.limit(); ) {
            long time = b.getInt(at) * 1_000_000_000L + b.getInt(at + 4) * 1_000L;
            int captured = b.getInt(at + 8);
            int ip = at + 16 + 14;
            int end = at + 16 + captured;
            at = end;
            byte[] raw = b.array();
            if ((raw[ip] >> 4) != 4 || raw[ip + 9] != 17) {
                continue;
            }
            int udp = ip + 4 * (raw[ip] & 0x0F);
            if (first < 0) {
                first = time;
            }
            packets.add(new Packet(time - first, Arrays.copyOfRange(raw, udp + 8, end)));
        }
        return new RtpCapture(List.copyOf(packets));
    }

    /**
     * The VP8 frames these packets carry, in order, read back with the engine's frame assembler (a frame
     * missing a packet is left out).
     */
    public List<Frame> vp8Frames() {
        FrameAssembler assembler = new FrameAssembler(new Vp8PayloadDepacketizer(), PacketPool.builder().slotSize(1500).debug(false).build(),
                MemoryBudget.unlimited(), 256, 4 << 20, 0);
        SequenceExtender sequences = SequenceExtender.sixteenBit();
        RtpHeader header = new RtpHeader();
        List<Frame> frames = new ArrayList<>();
        long frameStart = -1;
        for (Packet p : packets) {
            MemorySegment rtp = MemorySegment.ofArray(p.rtp());
            if (!header.wrap(rtp)) {
                continue;
            }
            frameStart = frameStart < 0 ? p.atNanos() : frameStart;
            assembler.push(sequences.extend(header.sequenceNumber()), header.timestamp(), header.marker(), rtp,
                    header.payloadOffset(), header.payloadLength());
            while (assembler.pop()) {
                frames.add(new Frame(frameStart, assembler.frameTimestamp(), assembler.frame().toByteArray()));
            }
            if (header.marker()) {
                frameStart = -1;
            }
        }
        return frames;
    }
}
