package io.eddyrtc.ice.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConfig;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.IceDropReason;
import io.eddyrtc.ice.StunTransmit;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full ICE exchanges with real, independent implementations run as child processes on loopback UDP:
 * aioice (the ICE stack of aiortc, Debian {@code python3-aioice}) and libnice (GStreamer's webrtcbin
 * and Farstream, Debian {@code gir1.2-nice-0.1} + {@code gstreamer1.0-nice}), each in both roles.
 * Our agent runs over a real socket with wall-clock time (test code only); after both sides connect,
 * application data goes to {@link IceAgent#dataDestination()} and must come back echoed. Fails (does
 * not skip) if a peer library is missing.
 */
class IcePeerInteropTest {
    static final String PYTHON = "/usr/bin/python3";

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void connectsAndCarriesDataWithAioice(boolean weControl) throws Exception {
        exchange("aioice_peer.py", "import aioice", "python3-aioice", weControl);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void connectsAndCarriesDataWithLibnice(boolean weControl) throws Exception {
        exchange("libnice_peer.py", "import gi; gi.require_version('Nice', '0.1'); gi.require_version('Gst', '1.0'); "
                + "from gi.repository import Nice, Gst; Gst.init(None); assert Gst.ElementFactory.make('nicesrc')",
                "gir1.2-nice-0.1 gstreamer1.0-nice gir1.2-gstreamer-1.0", weControl);
    }

    private void exchange(String scriptName, String probe, String debPackage, boolean weControl) throws Exception {
        if (!new File(PYTHON).canExecute()) {
            fail("python3 is missing at " + PYTHON + "; install " + debPackage + " (ci/prereqs.d/ice.sh)");
        }
        Process check = new ProcessBuilder(PYTHON, "-c", probe).redirectErrorStream(true).start();
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            fail(scriptName + ": the peer library is missing; install it with `apt-get install -y " + debPackage
                    + "` (ci/prereqs.d/ice.sh)");
        }
        Path script = Files.createTempFile("ice_peer", ".py");
        try (InputStream in = getClass().getResourceAsStream(scriptName)) {
            Files.write(script, in.readAllBytes());
        }
        Process peer = new ProcessBuilder(PYTHON, script.toString(), weControl ? "controlled" : "controlling")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // process ended
            }
            lines.add("EOF");
        });
        reader.setDaemon(true);
        reader.start();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             Writer toPeer = new OutputStreamWriter(peer.getOutputStream(), StandardCharsets.UTF_8)) {
            InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
            IceAgent agent = new IceAgent(IceConfig.defaults(), weControl, new SecureRandom(), new Random(7));
            agent.addLocalCandidate(Candidate.host(local));

            String ufrag = null;
            String pwd = null;
            List<String> candidates = new ArrayList<>();
            for (String l = next(lines, peer); !l.equals("READY"); l = next(lines, peer)) {
                if (l.startsWith("UFRAG ")) {
                    ufrag = l.substring(6);
                } else if (l.startsWith("PWD ")) {
                    pwd = l.substring(4);
                } else if (l.startsWith("CAND ")) {
                    candidates.add("candidate:" + l.substring(5));
                }
            }
            assertNotNull(ufrag);
            assertTrue(!candidates.isEmpty(), scriptName + " offered no candidates");
            agent.setRemoteCredentials(ufrag, pwd);
            for (String c : candidates) {
                agent.addRemoteCandidate(Candidate.parse(c));
            }
            agent.endOfRemoteCandidates();
            toPeer.write("UFRAG " + agent.localUfrag() + "\nPWD " + agent.localPassword() + "\n");
            for (Candidate c : agent.localCandidates()) {
                toPeer.write("CAND " + c.toSdpString() + "\n");
            }
            toPeer.write("END\n");
            toPeer.flush();

            byte[] buf = new byte[2048];
            socket.setSoTimeout(5);
            long start = System.nanoTime();
            boolean peerConnected = false;
            String peerSaw = null;
            boolean sent = false;
            byte[] echoed = null;
            byte[] payload = "hello from eddy".getBytes(StandardCharsets.UTF_8);
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25) && echoed == null) {
                long now = System.nanoTime();
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    byte[] data = Arrays.copyOf(p.getData(), p.getLength());
                    if (!agent.handleReceive(now, from, local, MemorySegment.ofArray(data))) {
                        echoed = data; // not STUN: application data
                    }
                } catch (SocketTimeoutException idle) {
                    // fall through to timers
                }
                now = System.nanoTime();
                if (now >= agent.nextDeadline()) {
                    agent.handleTimeout(now);
                }
                StunTransmit t;
                while ((t = agent.pollTransmit()) != null) {
                    byte[] out = t.toByteArray();
                    socket.send(new DatagramPacket(out, out.length, t.destination()));
                }
                while (agent.pollEvent() != null) {
                    // states are checked below
                }
                String l;
                while ((l = lines.poll()) != null) {
                    if (l.startsWith("CONNECTED ")) {
                        peerConnected = true;
                        peerSaw = l.substring(10);
                    } else if (l.equals("EOF")) {
                        fail(scriptName + " exited: " + peer.waitFor());
                    }
                }
                if (peerConnected && !sent && agent.dataDestination() != null) {
                    socket.send(new DatagramPacket(payload, payload.length, agent.dataDestination()));
                    sent = true;
                }
            }
            assertTrue(peerConnected, scriptName + " did not connect; our agent: " + agent);
            assertTrue(agent.state() == IceConnectionState.CONNECTED || agent.state() == IceConnectionState.COMPLETED,
                    agent.toString());
            assertEquals(local.getAddress().getHostAddress() + " " + local.getPort(), peerSaw,
                    scriptName + " selected our candidate");
            assertNotNull(echoed, "no echo of application data came back");
            assertEquals("echo:hello from eddy", new String(echoed, StandardCharsets.UTF_8));
            // Indications are dropped by design; an answer to a request we had already retransmitted and had answered
            // (a slow machine) has no transaction left. Anything else means we refused what a real peer sent.
            Map<IceDropReason, Long> refused = new EnumMap<>(IceDropReason.class);
            for (IceDropReason reason : IceDropReason.values()) {
                if (reason != IceDropReason.INDICATION && reason != IceDropReason.LATE_RESPONSE
                        && agent.dropped(reason) > 0) {
                    refused.put(reason, agent.dropped(reason));
                }
            }
            assertEquals(Map.of(), refused, "we dropped some of the peer's STUN");
            toPeer.write("QUIT\n");
            toPeer.flush();
        } finally {
            if (!peer.waitFor(5, TimeUnit.SECONDS)) {
                peer.destroy();
                if (!peer.waitFor(5, TimeUnit.SECONDS)) {
                    peer.destroyForcibly();
                }
            }
            Files.deleteIfExists(script);
        }
    }

    private static String next(BlockingQueue<String> lines, Process peer) throws InterruptedException {
        String l = lines.poll(20, TimeUnit.SECONDS);
        if (l == null || l.equals("EOF")) {
            fail("the peer did not start (exit " + (peer.isAlive() ? "still running" : peer.exitValue()) + ")");
        }
        return l;
    }
}
