package io.eddyrtc.ice.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our STUN codec against a real server: Debian's coturn ({@code turnserver}), started on a loopback
 * port for the duration of this class and stopped afterwards. Fails (does not skip) if coturn is
 * not installed; {@code ci/prereqs.d/ice.sh} installs it.
 */
class CoturnStunInteropTest {
    private static Process server;
    private static InetSocketAddress serverAddress;
    private static Path workDir;

    @BeforeAll
    static void startCoturn() throws Exception {
        File binary = new File("/usr/bin/turnserver");
        if (!binary.canExecute()) {
            fail("coturn is missing: /usr/bin/turnserver not found. Install it with `apt-get install -y coturn` "
                    + "(./eddy test does this via ci/prereqs.d/ice.sh)");
        }
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        workDir = Files.createTempDirectory("eddy-coturn");
        serverAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        server = new ProcessBuilder(binary.getPath(), "-n", "--stun-only", "-z", "--no-tls", "--no-dtls", "--no-cli",
                "-L", "127.0.0.1", "-p", Integer.toString(port), "--pidfile", workDir.resolve("turn.pid").toString(),
                "--log-file", workDir.resolve("turn.log").toString(), "--simple-log", "--no-stdout-log",
                "--userdb", workDir.resolve("turndb").toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("stdout.log").toFile())
                .start();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends {@code request} until an answer with the same transaction id arrives (coturn needs a moment to start). */
    private static byte[] exchange(DatagramSocket socket, byte[] request, int txHigh) throws IOException {
        byte[] buf = new byte[1500];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        socket.setSoTimeout(250);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("turnserver exited with " + server.exitValue() + "; see " + workDir);
            }
            socket.send(new DatagramPacket(request, request.length, serverAddress));
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] got = Arrays.copyOf(p.getData(), p.getLength());
                if (got.length >= 12 && BigEndian.i32(MemorySegment.ofArray(got), 8) == txHigh) {
                    return got;
                }
            } catch (SocketTimeoutException retry) {
                // not up yet, or lost: send again
            }
        }
        fail("no STUN answer from coturn at " + serverAddress + " within 15 s; logs in " + workDir);
        return null;
    }

    @Test
    void bindingRequestGetsOurAddressBack() throws Exception {
        Random r = new Random(42);
        int txHigh = r.nextInt();
        long txLow = r.nextLong();
        byte[] out = new byte[128];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, txHigh, txLow)
                .addBytes(Stun.SOFTWARE, "eddy".getBytes())
                .addFingerprint();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] response = exchange(socket, Arrays.copyOf(out, w.length()), txHigh);
            StunMessage m = new StunMessage();
            assertTrue(m.wrap(MemorySegment.ofArray(response)), () -> "unparseable: " + m.error());
            assertTrue(m.isSuccessResponse());
            assertEquals(txHigh, m.transactionHigh());
            assertEquals(txLow, m.transactionLow());
            assertTrue(m.hasXorMappedAddress());
            assertEquals(Stun.FAMILY_IPV4, m.mappedFamily());
            assertEquals(socket.getLocalPort(), m.mappedPort());
            byte[] ip = new byte[16];
            assertEquals(4, m.mappedAddress(ip));
            assertArrayEquals(InetAddress.getLoopbackAddress().getAddress(), Arrays.copyOf(ip, 4));
            if (m.hasFingerprint()) {
                assertTrue(m.verifyFingerprint(), "coturn's FINGERPRINT must verify with our CRC");
            }
            assertNotNull(m.software(), "coturn names itself in SOFTWARE");
        }
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420WithTheList() throws Exception {
        int txHigh = 0x0badf00d;
        byte[] out = new byte[128];
        StunWriter w = new StunWriter();
        w.begin(MemorySegment.ofArray(out), 0, out.length, Stun.BINDING_REQUEST, txHigh, 77)
                .addBytes(0x0077, new byte[] {1, 2, 3, 4})
                .addFingerprint();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] response = exchange(socket, Arrays.copyOf(out, w.length()), txHigh);
            StunMessage m = new StunMessage();
            assertTrue(m.wrap(MemorySegment.ofArray(response)), () -> "unparseable: " + m.error());
            assertTrue(m.isErrorResponse());
            assertEquals(420, m.errorCode());
            int at = m.find(Stun.UNKNOWN_ATTRIBUTES);
            assertTrue(at > 0);
            assertEquals(0x0077, BigEndian.u16(m.segment(), at));
        }
    }
}
