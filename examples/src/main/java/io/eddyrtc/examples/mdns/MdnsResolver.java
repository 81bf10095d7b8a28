package io.eddyrtc.examples.mdns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the {@code <uuid>.local} names browsers hide their host addresses behind, with a one-shot multicast DNS
 * query (RFC 6762 §5.1): an A question to 224.0.0.251:5353 on every multicast interface, asking for a unicast
 * answer (the QU bit) and taking a multicast one too, asked again once if nothing came. What eddy asks for with
 * {@code Event.ResolveMdns} is answered with what this finds. Blocking: run it off the loop thread. IPv4 only, as
 * browsers register their names' A records.
 *
 * <p>Answers are read with care: only an answer record for the very name asked, of type A, class IN, four bytes of
 * data, from a well-formed message counts; everything else on the group is ignored.
 */
public final class MdnsResolver {
    static final InetSocketAddress GROUP = new InetSocketAddress("224.0.0.251", 5353);
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int QU = 0x8000;
    private static final int MAX_NAME = 255;

    private MdnsResolver() {
    }

    /** The IPv4 address {@code name} (ending in {@code .local}) stands for, or null when nothing answered within {@code timeout}. */
    public static InetAddress resolve(String name, Duration timeout) throws IOException {
        if (!name.toLowerCase(Locale.ROOT).endsWith(".local") || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("an mDNS name ends in .local (RFC 6762), not '" + name + "'");
        }
        byte[] query = query(name);
        try (MulticastSocket socket = open()) {
            List<NetworkInterface> interfaces = multicastInterfaces();
            long end = System.nanoTime() + timeout.toNanos();
            long askAgainAt = System.nanoTime() + timeout.toNanos() / 2;
            boolean askedAgain = false;
            ask(socket, query, interfaces);
            byte[] buffer = new byte[9000];
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                long until = askedAgain ? end : Math.min(end, askAgainAt);
                socket.setSoTimeout((int) Math.max(1, (until - now) / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException quiet) {
                    if (!askedAgain && System.nanoTime() >= askAgainAt) {
                        ask(socket, query, interfaces); // RFC 6762 §5.1: a one-shot querier may ask again
                        askedAgain = true;
                    }
                    continue;
                }
                InetAddress found = answer(ByteBuffer.wrap(buffer, 0, packet.getLength()), name);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
    }

    /** Port 5353 shared with the machine's responders when allowed (multicast answers come there), else any port. */
    private static MulticastSocket open() throws IOException {
        MulticastSocket socket = new MulticastSocket(null);
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(GROUP.getPort()));
        } catch (SocketException taken) {
            socket.close();
            socket = new MulticastSocket(0); // unicast answers only (the QU bit asks for them)
        }
        socket.setTimeToLive(255); // RFC 6762 §11
        for (NetworkInterface nic : multicastInterfaces()) {
            try {
                socket.joinGroup(GROUP, nic);
            } catch (IOException notHere) {
                // that interface cannot join: the others still can
            }
        }
        return socket;
    }

    private static void ask(MulticastSocket socket, byte[] query, List<NetworkInterface> interfaces) throws IOException {
        if (interfaces.isEmpty()) {
            socket.send(new DatagramPacket(query, query.length, GROUP));
            return;
        }
        for (NetworkInterface nic : interfaces) {
            socket.setNetworkInterface(nic);
            socket.send(new DatagramPacket(query, query.length, GROUP));
        }
    }

    private static List<NetworkInterface> multicastInterfaces() throws SocketException {
        List<NetworkInterface> out = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && nic.supportsMulticast() && nic.inetAddresses().anyMatch(a -> a instanceof Inet4Address)) {
                out.add(nic);
            }
        }
        return out;
    }

    /** A DNS query (RFC 1035 §4.1) for {@code name}'s A record, asking for a unicast answer. */
    static byte[] query(String name) {
        ByteBuffer b = ByteBuffer.allocate(12 + name.length() + 2 + 4);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("'" + name + "' has an empty or over-long label");
            }
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) TYPE_A).putShort((short) (CLASS_IN | QU));
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** The A record for {@code name} among the answers and additional records of a response, or null. */
    static InetAddress answer(ByteBuffer m, String name) {
        try {
            if (m.remaining() < 12) {
                return null;
            }
            int flags = m.getShort(2) & 0xFFFF;
            if ((flags & 0x8000) == 0) {
                return null; // a query, not a response
            }
            int questions = m.getShort(4) & 0xFFFF;
            int records = (m.getShort(6) & 0xFFFF) + (m.getShort(8) & 0xFFFF) + (m.getShort(10) & 0xFFFF);
            m.position(12);
            for (int i = 0; i < questions; i++) {
                readName(m);
                m.position(m.position() + 4);
            }
            for (int i = 0; i < records && i < 64; i++) {
                String owner = readName(m);
                int type = m.getShort() & 0xFFFF;
                int rclass = m.getShort() & 0x7FFF; // the top bit is mDNS's cache-flush
                m.getInt();
                int length = m.getShort() & 0xFFFF;
                if (type == TYPE_A && rclass == CLASS_IN && length == 4 && owner.equalsIgnoreCase(name)) {
                    byte[] address = new byte[4];
                    m.get(address);
                    return InetAddress.getByAddress(address);
                }
                m.position(m.position() + length);
            }
        } catch (RuntimeException | IOException malformed) {
            return null; // a short or looping message: not an answer
        }
        return null;
    }

    /** A domain name at the buffer's position (with RFC 1035 §4.1.4 compression), leaving the position after it. */
    private static String readName(ByteBuffer m) {
        StringBuilder name = new StringBuilder();
        int position = m.position();
        int end = -1;
        for (int jumps = 0; jumps < 32; ) {
            int length = m.get(position) & 0xFF;
            if (length == 0) {
                m.position(end >= 0 ? end : position + 1);
                return name.toString();
            }
            if ((length & 0xC0) == 0xC0) {
                if (end < 0) {
                    end = position + 2;
                }
                position = ((length & 0x3F) << 8) | (m.get(position + 1) & 0xFF);
                jumps++;
                continue;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = 1; i <= length; i++) {
                name.append((char) (m.get(position + i) & 0xFF));
            }
            if (name.length() > MAX_NAME) {
                throw new IllegalArgumentException("name too long");
            }
            position += length + 1;
        }
        throw new IllegalArgumentException("a name that points around in circles");
    }
}
