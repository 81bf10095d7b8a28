package io.eddyrtc.crypto.dtls;

import java.net.InetSocketAddress;
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

    final DtlsEndpoint client;
    final DtlsEndpoint server;
    final List<DtlsEvent> clientEvents = new ArrayList<>();
    final List<DtlsEvent> serverEvents = new ArrayList<>();
    long now;

    DtlsPair(DtlsConfig clientConfig, DtlsConfig serverConfig, long seed) {
        client = new DtlsEndpoint(clientConfig, CLIENT_CERT, true, new SecureRandom(), new SplittableRandom(seed));
        server = new DtlsEndpoint(serverConfig, SERVER_CERT, false, new SecureRandom(), new SplittableRandom(seed + 1));
        client.setRemoteFingerprint(SERVER_CERT.fingerprint());
        server.setRemoteFingerprint(CLIENT_CERT.fingerprint());
    }

    DtlsPair() {
        this(DtlsConfig.defaults(), DtlsConfig.defaults(), 1);
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
