package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.util.List;

/**
 * How a {@link DtlsEndpoint} handshakes.
 *
 * @param mtu                    largest datagram payload it sends (records are packed and handshake
 *                               messages fragmented to fit); 1150 by default, as str0m
 * @param cipherSuites           offered (client) or accepted in this order of preference (server)
 * @param groups                 ECDHE groups, in order of preference
 * @param srtpProfiles           use_srtp profiles, in order of preference
 * @param cookies                a server answers a ClientHello without a valid cookie with a stateless
 *                               HelloVerifyRequest (RFC 6347 §4.2.1)
 * @param initialRetransmitNanos first flight retransmission timer (1 s, doubled each time, ±25 % jitter)
 * @param handshakeTimeoutNanos  the handshake fails if a flight is unanswered this long (40 s)
 * @param maxMessageLength       longest handshake message accepted (certificates are ~500 bytes)
 * @param maxBufferedBytes       handshake bytes buffered for reassembly at most
 */
public record DtlsConfig(int mtu, List<DtlsCipherSuite> cipherSuites, List<NamedGroup> groups, List<SrtpProfile> srtpProfiles,
                         boolean cookies, long initialRetransmitNanos, long handshakeTimeoutNanos,
                         int maxMessageLength, int maxBufferedBytes) {

    public DtlsConfig {
        if (mtu < 256 || mtu > 65_507) {
            throw new IllegalArgumentException("mtu must be 256..65507 bytes, was " + mtu);
        }
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
        srtpProfiles = List.copyOf(srtpProfiles);
        if (cipherSuites.isEmpty() || groups.isEmpty()) {
            throw new IllegalArgumentException("at least one cipher suite and one group are needed");
        }
        if (maxMessageLength < 1024 || maxBufferedBytes < maxMessageLength) {
            throw new IllegalArgumentException("maxMessageLength must be at least 1024 and maxBufferedBytes at least that");
        }
        if (initialRetransmitNanos <= 0 || handshakeTimeoutNanos < initialRetransmitNanos) {
            throw new IllegalArgumentException("timers must be positive, the handshake timeout no shorter than the first retransmission");
        }
    }

    public static DtlsConfig defaults() {
        return new DtlsConfig(1150, List.of(DtlsCipherSuite.values()), List.of(NamedGroup.values()), SrtpProfile.PREFERENCE,
                true, 1_000_000_000L, 40_000_000_000L, 16_384, 65_536);
    }

    public DtlsConfig withMtu(int bytes) {
        return new DtlsConfig(bytes, cipherSuites, groups, srtpProfiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withCookies(boolean on) {
        return new DtlsConfig(mtu, cipherSuites, groups, srtpProfiles, on, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withCipherSuites(List<DtlsCipherSuite> suites) {
        return new DtlsConfig(mtu, suites, groups, srtpProfiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withGroups(List<NamedGroup> preferred) {
        return new DtlsConfig(mtu, cipherSuites, preferred, srtpProfiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsConfig(mtu, cipherSuites, groups, profiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withTimers(long initialRetransmit, long handshakeTimeout) {
        return new DtlsConfig(mtu, cipherSuites, groups, srtpProfiles, cookies, initialRetransmit, handshakeTimeout,
                maxMessageLength, maxBufferedBytes);
    }
}
