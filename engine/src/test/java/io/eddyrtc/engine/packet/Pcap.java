package io.eddyrtc.engine.packet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the UDP payloads (here: RTP) of a classic libpcap file: Ethernet, Linux cooked or raw IPv4. */
public final class Pcap {
    private Pcap() {
    }

    /** The shared captures, found via the {@code eddy.shared} property surefire sets (or ../../shared). */
    public static Path capture(String name) {
        String shared = System.getProperty("eddy.shared");
        Path base = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
        return base.resolve("testdata/rtp-captures").resolve(name);
    }

    public static List<byte[]> udpPayloads(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xA1B2C3D4) {
                throw new IOException(file + " is not a classic pcap file");
            }
        }
        int linkType = b.getInt(20);
        int at = 24;
        List<byte[]> out = new ArrayList<>();
        while (at + 16 <= b.limit()) {
            int captured = b.getInt(at + 8);
            int frame = at + 16;
            at = frame + captured;
            int ip = switch (linkType) {
                case 1 -> frame + 14;      // Ethernet
                case 113 -> frame + 16;    // Linux cooked
                case 101, 228 -> frame;    // raw IPv4
                default -> throw new IOException("link type " + linkType + " is not supported");
            };
            byte[] raw = b.array();
            if ((raw[ip] >> 4) != 4 || raw[ip + 9] != 17) {
                continue; // only IPv4 UDP
            }
            int udp = ip + 4 * (raw[ip] & 0x0F);
            int udpLength = ((raw[udp + 4] & 0xFF) << 8) | (raw[udp + 5] & 0xFF);
            out.add(Arrays.copyOfRange(raw, udp + 8, Math.min(udp + udpLength, at)));
        }
        return out;
    }
}
