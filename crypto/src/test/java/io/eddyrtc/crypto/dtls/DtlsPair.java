package io.eddyrtc.crypto.dtls;

import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Two endpoints that trade datagrams directly (no network), for the handshake's logic tests. */
final class DtlsPair {
    static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress("10.0.0.2", 6000);
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate(new SecureRandom(), Instant.parse("2026-11-24T00:00:00Z"));
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate(new SecureRandom(), Instant.parse("2026-11-24T00:00:00Z"));
    /** Certificates that come out the same in every run, for tests that must repeat byte for byte (fuzzing). */
    static final DtlsCertificate FIXED_CLIENT_CERT = DtlsCertificate.generate(fixedRandom(1), Instant.parse("2026-01-01T00:00:00Z"));
    static final DtlsCertificate FIXED_SERVER_CERT = DtlsCertificate.generate(fixedRandom(2), Instant.parse("2026-01-01T00:00:00Z"));

    /** Each version alone, cookies on (the defaults otherwise). */
    static DtlsConfig only(DtlsVersion version) {
        return DtlsConfig.defaults().withVersions(version);
    }

    final DtlsEndpoint client;
    final DtlsEndpoint server;
    final List<DtlsEvent> clientEvents = new ArrayList<>();
    final List<DtlsEvent> serverEvents = new ArrayList<>();
    long now;

    DtlsPair(DtlsConfig clientConfig, DtlsConfig serverConfig, long seed) {
        this(new DtlsEndpoint(clientConfig, CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(seed)), CLIENT_CERT,
                new DtlsEndpoint(serverConfig, SERVER_CERT, false, new SecureRandom(), new SplittableRandom(seed + 1)), SERVER_CERT);
    }

    DtlsPair() {
        this(DtlsConfig.defaults(), DtlsConfig.defaults(), 1);
    }

    /** Both sides speaking only {@code version}. */
    DtlsPair(DtlsVersion version) {
        this(only(version), only(version), 1);
    }

    private DtlsPair(DtlsEndpoint client, DtlsCertificate clientCert, DtlsEndpoint server, DtlsCertificate serverCert) {
        this.client = client;
        this.server = server;
        client.setRemoteFingerprint(serverCert.fingerprint());
        server.setRemoteFingerprint(clientCert.fingerprint());
    }

    /** A pair whose every byte repeats from run to run: fixed certificates, randoms and timer jitter. */
    static DtlsPair fixed(DtlsConfig config) {
        return new DtlsPair(new DtlsEndpoint(config, FIXED_CLIENT_CERT, true, fixedRandom(3), new SplittableRandom(3)), FIXED_CLIENT_CERT,
                new DtlsEndpoint(config, FIXED_SERVER_CERT, false, fixedRandom(4), new SplittableRandom(4)), FIXED_SERVER_CERT);
    }

    /** A SecureRandom that repeats itself for a seed: SHA1PRNG seeded before its first use. */
    static SecureRandom fixedRandom(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts the client and runs the handshake to its end. */
    DtlsPair connect() {
        client.start(now);
        exchange();
        return this;
    }

    /** Moves datagrams both ways until nothing is left; returns how many moved. */
    int exchange() {
        int moved = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (byte[] d; (d = client.pollTransmit()) != null; ) {
                server.handleReceive(now, CLIENT_ADDRESS, d);
                moved++;
                progress = true;
            }
            for (byte[] d; (d = server.pollTransmit()) != null; ) {
                client.handleReceive(now, SERVER_ADDRESS, d);
                moved++;
                progress = true;
            }
        }
        drain();
        return moved;
    }

    void drain() {
        for (DtlsEvent e; (e = client.pollEvent()) != null; ) {
            clientEvents.add(e);
        }
        for (DtlsEvent e; (e = server.pollEvent()) != null; ) {
            serverEvents.add(e);
        }
    }

    static <T> T find(List<DtlsEvent> events, Class<T> type) {
        for (DtlsEvent e : events) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }
}
