package io.eddyrtc.perf.dtls;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DTLS costs: a full handshake with both sides in one thread (certificates reused, cookies off, as in
 * WebRTC where ICE already proved the address), a certificate generation, and one application-data
 * record (about an SCTP packet) sealed by one side and opened by the other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DtlsBenchmark {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);
    static final DtlsConfig CONFIG = DtlsConfig.defaults().withCookies(false);

    private final SecureRandom secure = new SecureRandom();
    private DtlsCertificate clientCert;
    private DtlsCertificate serverCert;
    private DtlsEndpoint connectedClient;
    private DtlsEndpoint connectedServer;
    private final byte[] payload = new byte[1100];

    @Setup
    public void setUp() {
        clientCert = DtlsCertificate.generate(secure);
        serverCert = DtlsCertificate.generate(secure);
        DtlsEndpoint[] pair = handshake();
        connectedClient = pair[0];
        connectedServer = pair[1];
    }

    /** Time spent inside the server's calls, to report the server's share of a handshake (see tearDown). */
    private long serverNanos;
    private long handshakes;

    @org.openjdk.jmh.annotations.TearDown
    public void tearDown() {
        if (handshakes > 0) {
            System.out.printf("%n[server side alone: %.1f us per handshake over %d handshakes]%n", serverNanos / 1e3 / handshakes, handshakes);
        }
    }

    private DtlsEndpoint[] handshake() {
        DtlsEndpoint client = new DtlsEndpoint(CONFIG, clientCert, true, secure, new SplittableRandom(1));
        DtlsEndpoint server = new DtlsEndpoint(CONFIG, serverCert, false, secure, new SplittableRandom(2));
        client.setRemoteFingerprint(serverCert.fingerprint());
        server.setRemoteFingerprint(clientCert.fingerprint());
        client.start(0);
        boolean moved = true;
        while (moved) {
            moved = false;
            for (byte[] d; (d = client.pollTransmit()) != null; moved = true) {
                long t0 = System.nanoTime();
                server.handleReceive(0, A, d);
                serverNanos += System.nanoTime() - t0;
            }
            for (byte[] d; (d = server.pollTransmit()) != null; moved = true) {
                client.handleReceive(0, B, d);
            }
        }
        if (!client.isConnected() || !server.isConnected()) {
            throw new IllegalStateException("handshake did not complete");
        }
        handshakes++;
        return new DtlsEndpoint[] {client, server};
    }

    @Benchmark
    public DtlsEndpoint[] fullHandshakeBothSides() {
        return handshake();
    }

    @Benchmark
    public DtlsCertificate certificateGeneration() {
        return DtlsCertificate.generate(secure);
    }

    @Benchmark
    public Object applicationDataRecord() {
        connectedClient.send(0, payload, 0, payload.length);
        connectedServer.handleReceive(0, A, connectedClient.pollTransmit());
        DtlsEvent e = connectedServer.pollEvent();
        return e;
    }
}
