package io.eddyrtc.examples.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A loopback UDP socket of its own that sends hand-made datagrams: to the server, a port no call uses — or,
 * when a browser's offer is made to name it, an address the browser signalled but does not use (as a private
 * address a browser lists may, seen from the server, belong to another machine).
 */
final class Stranger implements AutoCloseable {
    private final DatagramChannel socket;

    private Stranger(DatagramChannel socket) {
        this.socket = socket;
    }

    /** A fresh socket on 127.0.0.1, on a port the system picks. */
    static Stranger open() throws IOException {
        DatagramChannel socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        return new Stranger(socket);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) socket.getLocalAddress();
    }

    /** Sends each datagram to {@code to}, in order. */
    void send(InetSocketAddress to, byte[]... datagrams) throws IOException {
        for (byte[] d : datagrams) {
            socket.send(ByteBuffer.wrap(d), to);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
