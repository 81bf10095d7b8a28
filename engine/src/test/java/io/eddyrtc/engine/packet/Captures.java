package io.eddyrtc.engine.packet;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.rtp.RtpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a shared capture through a {@link FrameAssembler}, and reads its Wireshark summary. */
final class Captures {
    private Captures() {
    }

    /** One emitted frame, copied out of the assembler. */
    record Emitted(long timestamp, long firstSeq, long lastSeq, boolean keyframe, boolean contiguous, byte[] data) {}

    /** One summary line: sequence number, timestamp, marker, wire length and the rest of the line. */
    record Line(int seq, long timestamp, boolean marker, int wireLength, String info) {}

    static final Pattern LINE = Pattern.compile(
            "\\s(\\d+)\\s*PT=[^,]*, SSRC=0x[0-9A-F]+, Seq=(\\d+), Time=(\\d+)(, Mark)?(.*)$");

    static List<Line> summary(String name) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String text : Files.readAllLines(Pcap.capture(name + ".txt"))) {
            Matcher m = LINE.matcher(text);
            if (m.find()) {
                lines.add(new Line(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), m.group(4) != null,
                        Integer.parseInt(m.group(1)), m.group(5).trim()));
            }
        }
        return lines;
    }

    /** The RTP packets of a capture, as arrays. */
    static List<byte[]> packets(String name) throws IOException {
        return Pcap.udpPayloads(Pcap.capture(name + ".pcap"));
    }

    /** Pushes every packet (in capture order) and collects what the assembler emits. */
    static List<Emitted> assemble(FrameAssembler assembler, List<byte[]> packets) {
        RtpHeader rtp = new RtpHeader();
        SequenceExtender seqs = new SequenceExtender();
        List<Emitted> out = new ArrayList<>();
        for (byte[] p : packets) {
            MemorySegment s = MemorySegment.ofArray(p);
            if (!rtp.wrap(s)) {
                throw new AssertionError("not RTP");
            }
            assembler.push(seqs.extend(rtp.sequenceNumber()), rtp.timestamp(), rtp.marker(), s, rtp.payloadOffset(),
                    rtp.payloadLength());
            drain(assembler, out);
        }
        return out;
    }

    static void drain(FrameAssembler assembler, List<Emitted> out) {
        while (assembler.pop()) {
            out.add(new Emitted(assembler.frameTimestamp(), assembler.frameFirstSequence(),
                    assembler.frameLastSequence(), assembler.frameKeyframe(), assembler.frameContiguous(),
                    assembler.frame().toByteArray()));
        }
    }

    static FrameAssembler assembler(Codec codec) {
        return FrameAssembler.forVideo(Depacketizer.of(codec), AssemblerPools.pool(2048));
    }

    /** 16-bit RTP sequence numbers to a 64-bit count, as a receive stream does. */
    static final class SequenceExtender {
        private long last = -1;

        long extend(int seq) {
            if (last < 0) {
                last = (1L << 16) + seq;
                return last;
            }
            long e = last + (short) (seq - (int) (last & 0xFFFF));
            last = Math.max(last, e);
            return e;
        }
    }

    /** NAL unit types of an Annex B frame, in order; {@code twoByteHeader} picks H.265/H.266 parsing. */
    static List<Integer> annexBTypes(byte[] f, Codec codec) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < f.length; i++) {
            if (f[i] == 0 && f[i + 1] == 0 && f[i + 2] == 0 && f[i + 3] == 1 && i + 4 < f.length) {
                int h = i + 4;
                types.add(switch (codec) {
                    case H264 -> f[h] & 0x1F;
                    case H265 -> (f[h] >> 1) & 0x3F;
                    default -> (f[h + 1] & 0xFF) >>> 3;
                });
                i += 3;
            }
        }
        return types;
    }
}
