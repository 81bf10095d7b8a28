package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.util.List;

/**
 * How a {@link DtlsEndpoint} handshakes.
 *
 * @param versions               the DTLS versions spoken; by default 1.3 and 1.2, the version chosen in the
 *                               hellos (a server prefers 1.3 when both sides speak it)
 * @param mtu                    largest datagram payload it sends (records are packed and handshake
 *                               messages fragmented to fit); 1150 by default, as str0m
 * @param cipherSuites           offered (client) or accepted in this order of preference (server); each
 *                               version takes its own from the list
 * @param groups                 key-exchange groups, in order of preference (the hybrid X25519MLKEM768 first
 *                               by default; DTLS 1.2 skips it)
 * @param srtpProfiles           use_srtp profiles, in order of preference
 * @param cookies                a server checks that a client receives at its address before it does any
 *                               work for it: a stateless HelloVerifyRequest (1.2, RFC 6347 §4.2.1) or
 *                               HelloRetryRequest with a cookie (1.3, RFC 9147 §5.1)
 * @param initialRetransmitNanos first flight retransmission timer (1 s, doubled each time, ±25 % jitter)
 * @param handshakeTimeoutNanos  the handshake fails if a flight is unanswered this long (40 s)
 * @param maxMessageLength       longest handshake message accepted (certificates are ~500 bytes)
 * @param maxBufferedBytes       handshake bytes buffered for reassembly at most
 */
public record DtlsConfig(List<DtlsVersion> versions, int mtu, List<DtlsCipherSuite> cipherSuites, List<NamedGroup> groups,
                         List<SrtpProfile> srtpProfiles, boolean cookies, long initialRetransmitNanos, long handshakeTimeoutNanos,
                         int maxMessageLength, int maxBufferedBytes) {

    public DtlsConfig {
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("at least one DTLS version is needed: DtlsVersion.DTLS_1_3, DTLS_1_2 or both");
        }
        if (mtu < 256 || mtu > 65_507) {
            throw new IllegalArgumentException("mtu must be 256..65507 bytes, was " + mtu);
        }
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
        srtpProfiles = List.copyOf(srtpProfiles);
        for (DtlsVersion v : versions) {
            if (cipherSuites.stream().noneMatch(s -> s.version() == v)
                    || groups.stream().noneMatch(g -> v == DtlsVersion.DTLS_1_3 || g.inDtls12())) {
                throw new IllegalArgumentException(v + " needs at least one of its cipher suites and one of its groups (suites "
                        + cipherSuites + ", groups " + groups + ")");
            }
        }
        if (maxMessageLength < 1024 || maxBufferedBytes < maxMessageLength) {
            throw new IllegalArgumentException("maxMessageLength must be at least 1024 and maxBufferedBytes at least that");
        }
        if (initialRetransmitNanos <= 0 || handshakeTimeoutNanos < initialRetransmitNanos) {
            throw new IllegalArgumentException("timers must be positive, the handshake timeout no shorter than the first retransmission");
        }
    }

    public static DtlsConfig defaults() {
        return new DtlsConfig(List.of(DtlsVersion.DTLS_1_3, DtlsVersion.DTLS_1_2), 1150, List.of(DtlsCipherSuite.values()),
                List.of(NamedGroup.values()), SrtpProfile.PREFERENCE, true, 1_000_000_000L, 40_000_000_000L, 16_384, 65_536);
    }

    /** Whether {@code version} is spoken. */
    public boolean speaks(DtlsVersion version) {
        return versions.contains(version);
    }

    public DtlsConfig withVersions(DtlsVersion... spoken) {
        return new DtlsConfig(List.of(spoken), mtu, cipherSuites, groups, srtpProfiles, cookies, initialRetransmitNanos,
                handshakeTimeoutNanos, maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withMtu(int bytes) {
        return new DtlsConfig(versions, bytes, cipherSuites, groups, srtpProfiles, cookies, initialRetransmitNanos,
                handshakeTimeoutNanos, maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withCookies(boolean on) {
        return new DtlsConfig(versions, mtu, cipherSuites, groups, srtpProfiles, on, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withCipherSuites(List<DtlsCipherSuite> suites) {
        return new DtlsConfig(versions, mtu, suites, groups, srtpProfiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withGroups(List<NamedGroup> preferred) {
        return new DtlsConfig(versions, mtu, cipherSuites, preferred, srtpProfiles, cookies, initialRetransmitNanos,
                handshakeTimeoutNanos, maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsConfig(versions, mtu, cipherSuites, groups, profiles, cookies, initialRetransmitNanos, handshakeTimeoutNanos,
                maxMessageLength, maxBufferedBytes);
    }

    public DtlsConfig withTimers(long initialRetransmit, long handshakeTimeout) {
        return new DtlsConfig(versions, mtu, cipherSuites, groups, srtpProfiles, cookies, initialRetransmit, handshakeTimeout,
                maxMessageLength, maxBufferedBytes);
    }
}
