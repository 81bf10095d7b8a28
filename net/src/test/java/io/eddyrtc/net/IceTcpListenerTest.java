package io.eddyrtc.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The ICE-TCP listener on real loopback sockets: datagrams cut from each connection's stream and routed with its
 * addresses, what goes back framed, the watcher waking the loop, and every limit a stranger meets — the connection
 * cap, a connection nobody proves, a frame over the limit, one silent too long. The loop's clock is the test's:
 * {@code now} is passed in, so the timeouts are checked without waiting for them.
 */
class IceTcpListenerTest {
    static final long S = 1_000_000_000L;

    record Frame(InetSocketAddress remote, byte[] bytes) {}

    final List<Frame> frames = new ArrayList<>();
    final Semaphore woken = new Semaphore(0);
    boolean claim;

    IceTcpListener open(IceTcpListener.Config config) throws IOException {
        return IceTcpListener.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config, woken::release);
    }

    IceTcpListener.Frames sink() {
        return (remote, local, segment, offset, length) -> {
            frames.add(new Frame(remote, segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
            return claim;
        };
    }

    /** Polls at {@code now} (waiting for the watcher's wake-up between polls) until {@code done}, 10 s at most. */
    void pollUntil(IceTcpListener listener, long now, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 10 * S;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            woken.tryAcquire(20, TimeUnit.MILLISECONDS);
            listener.poll(now, sink());
        }
        assertTrue(done.getAsBoolean(), "not within 10 s: " + listener);
    }

    static void writeFrame(DataOutputStream out, byte[] datagram) throws IOException {
        out.writeShort(datagram.length);
        out.write(datagram);
        out.flush();
    }

    @Test
    void framesFromAStreamAreRoutedAndAnswersGoBackFramed() throws Exception {
        try (IceTcpListener listener = open(IceTcpListener.Config.defaults());
             Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            // two frames in one write and a third cut in two, as a stream may deliver them
            byte[] stream = {0, 3, 1, 2, 3, 0, 1, 9, 0, 4, 5};
            listener.poll(0, sink()); // accepts the connection
            woken.drainPermits();
            out.write(stream);
            out.flush();
            assertTrue(woken.tryAcquire(10, TimeUnit.SECONDS), "the watcher wakes the loop when bytes arrive");
            pollUntil(listener, 0, () -> frames.size() == 2);
            out.write(new byte[] {6, 7, 8});
            out.flush();
            pollUntil(listener, 0, () -> frames.size() == 3);
            assertArrayEquals(new byte[] {1, 2, 3}, frames.get(0).bytes());
            assertArrayEquals(new byte[] {9}, frames.get(1).bytes());
            assertArrayEquals(new byte[] {5, 6, 7, 8}, frames.get(2).bytes());
            assertEquals(client.getLocalSocketAddress(), frames.get(0).remote(), "the connection's remote address is the source");

            byte[] answer = {20, 21, 22, 23, 24};
            assertTrue(listener.send(frames.get(0).remote(), MemorySegment.ofArray(answer), 0, answer.length));
            DataInputStream in = new DataInputStream(client.getInputStream());
            client.setSoTimeout(10_000);
            assertEquals(answer.length, in.readUnsignedShort(), "RFC 4571 length first");
            byte[] got = new byte[answer.length];
            in.readFully(got);
            assertArrayEquals(answer, got);
            assertFalse(listener.send(new InetSocketAddress("192.0.2.9", 1), MemorySegment.ofArray(answer), 0, answer.length),
                    "no connection to a stranger's address");
        }
    }

    @Test
    void aConnectionNobodyProvesIsClosedAfterTheUnclaimedTimeoutAndAProvenOneStays() throws Exception {
        try (IceTcpListener listener = open(IceTcpListener.Config.defaults());
             Socket stranger = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort());
             Socket peer = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            pollUntil(listener, 0, () -> listener.connections() == 2);
            claim = true; // the peer's check is proven by its Rtc
            writeFrame(new DataOutputStream(peer.getOutputStream()), new byte[] {0, 1});
            pollUntil(listener, 0, () -> frames.size() == 1);
            listener.poll(9 * S, sink());
            assertEquals(2, listener.connections(), "within the 10 s both stay");
            listener.poll(11 * S, sink());
            assertEquals(1, listener.connections(), "the one nobody proved is closed");
            assertEquals(1, listener.closedUnclaimed());
            stranger.setSoTimeout(10_000);
            assertEquals(-1, stranger.getInputStream().read(), "the stranger sees its connection closed");
            listener.poll(60 * S, sink());
            assertEquals(1, listener.connections(), "a proven connection stays while it speaks");
            listener.poll(62 * S, sink());
            assertEquals(0, listener.connections(), "and goes after 60 s of silence");
        }
    }

    @Test
    void theConnectionCapClosesConnectionsPastIt() throws Exception {
        IceTcpListener.Config two = new IceTcpListener.Config(2, 1500, Duration.ofSeconds(10), Duration.ofSeconds(60), 64 * 1024);
        try (IceTcpListener listener = open(two)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    sockets.add(new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort()));
                }
                pollUntil(listener, 0, () -> listener.accepted() + listener.refused() == 4);
                assertEquals(2, listener.connections());
                assertEquals(2, listener.refused());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aFrameOverTheLimitClosesItsConnection() throws Exception {
        try (IceTcpListener listener = open(IceTcpListener.Config.defaults());
             Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            writeFrame(out, new byte[] {1});
            out.writeShort(1501); // one past the longest datagram: the stream cannot be followed any further
            out.write(new byte[64]);
            out.flush();
            pollUntil(listener, 0, () -> listener.closedBroken() == 1);
            assertEquals(1, frames.size(), "the frame before it was delivered");
            assertEquals(0, listener.connections());
            client.setSoTimeout(10_000);
            try {
                assertEquals(-1, client.getInputStream().read());
            } catch (SocketTimeoutException | java.net.SocketException closed) {
                // reset or closed: either way the connection is gone
            }
        }
    }
}
