package io.eddyrtc.engine;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.srtp.SrtpConfig;
import io.eddyrtc.engine.bwe.BweConfig;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.ice.IceConfig;
import io.eddyrtc.ice.TurnServer;
import io.eddyrtc.sctp.SctpConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Rtc} is set up; built with {@link Rtc#builder()}. Immutable, so one config can build
 * thousands of peers.
 *
 * @param ice         ICE timers, nomination and lite mode
 * @param dtls        DTLS suites, groups, SRTP profiles, MTU and timers
 * @param srtp        SRTP replay window and stream limits
 * @param sctp        SCTP port, MTU, message size and timers for data channels
 * @param pool        the packet pool outgoing media is protected in; {@code null} gives each Rtc a small one
 *                    of its own, with no slab until media needs one, freed at disconnect (servers share one
 *                    pool among the Rtcs one thread drives; Rtcs that forward to each other share one)
 * @param certificate the DTLS certificate; {@code null} uses one made once per process and shared by every
 *                    Rtc built without one (a key pair costs about a millisecond; sharing one is what a
 *                    server does anyway). A client that must not be recognised across calls by its
 *                    fingerprint passes a certificate of its own to each Rtc
 * @param randomSeed  seed for every random choice, for tests and simulations that must repeat; {@code null}
 *                    (production) draws everything a peer or observer could use — ICE credentials, tie-breaker
 *                    and transaction ids, SSRCs, SDP ids, SCTP tags and TSNs — from {@link SecureRandom}, and
 *                    seeds only timer jitter from it
 * @param statsIntervalNanos how often {@link Event.PeerStats} and the media statistics events are emitted
 *                    (virtual or real time, as {@code now} runs); {@code 0} turns statistics events off
 * @param media       sample or RTP mode, reorder depths, report interval, MTU, wallclock mapping
 * @param sdp         the codecs and header extensions offered and accepted, SCTP port, max message size
 * @param memoryBudgetBytes the most an Rtc holds in what grows with traffic (RTX history and frame assembly
 *                    slots, rings, streams; see {@link Rtc#memoryInUse()}): past it, a packet is not kept and
 *                    a new stream is not made, and both are counted. Default 16 MiB, far above what a call
 *                    needs (an idle peer holds a few KiB of it, a 2.5 Mbit/s video stream about 0.6 MiB of
 *                    RTX history); a server sizes it to the peers it means to hold
 * @param mdnsHostNames signal host candidates under a generated {@code <uuid>.local} name instead of their address
 *                    ({@link Rtc#mdnsHostName}), as browsers do; answering the name's queries on the LAN is the caller's
 */
public record RtcConfig(IceConfig ice, DtlsConfig dtls, SrtpConfig srtp, SctpConfig sctp, PacketPool pool,
                        DtlsCertificate certificate, Long randomSeed, long statsIntervalNanos, MediaConfig media,
                        SdpConfig sdp, long memoryBudgetBytes, boolean mdnsHostNames) {
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 16L << 20;

    public RtcConfig {
        Objects.requireNonNull(ice, "ice: use IceConfig.defaults()");
        Objects.requireNonNull(dtls, "dtls: use DtlsConfig.defaults()");
        Objects.requireNonNull(srtp, "srtp: use SrtpConfig.defaults()");
        Objects.requireNonNull(sctp, "sctp: use SctpConfig.defaults()");
        Objects.requireNonNull(media, "media: use MediaConfig.defaults()");
        Objects.requireNonNull(sdp, "sdp: use new SdpConfig()");
        if (statsIntervalNanos < 0) {
            throw new IllegalArgumentException("statsIntervalNanos is 0 (off) or positive, got " + statsIntervalNanos);
        }
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memoryBudgetBytes is a positive number of bytes, got " + memoryBudgetBytes);
        }
    }

    /** Collects settings; every setter has a sensible default. */
    public static final class Builder {
        private IceConfig ice = IceConfig.defaults();
        // No DTLS cookie exchange inside an Rtc: ICE's connectivity checks already proved the peer's
        // address (RFC 8842 §4), and stateless HelloVerifyRequests answered while ICE is still choosing
        // its pair arrive late and in bunches, which Chromium's DTLS client rejects as unexpected. And an
        // Rtc sends DTLS to its ICE pair, not to a ClientHello's source: a cookie meant for a stranger
        // would reach the real peer.
        private DtlsConfig dtls = DtlsConfig.defaults().withCookies(false);
        private SrtpConfig srtp = SrtpConfig.defaults();
        private SctpConfig sctp = SctpConfig.defaults();
        private DtlsCertificate certificate;
        private PacketPool pool;
        private Long randomSeed;
        private long statsIntervalNanos;
        private MediaConfig media = MediaConfig.defaults();
        private SdpConfig sdp = new SdpConfig();
        private long memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES;
        private boolean mdnsHostNames;

        Builder() {
        }

        /** ICE-lite (RFC 8445 §2.5): answer checks only, never send any; for servers on a public address. */
        public Builder iceLite(boolean lite) {
            this.ice = ice.withLite(lite);
            return this;
        }

        /**
         * A TURN server to gather relayed candidates on (RFC 8656), from every UDP host candidate of its address
         * family; each comes out as {@link Event.CandidateGathered}. Repeatable. {@code turns:} (TLS) is not supported yet.
         */
        public Builder turnServer(TurnServer server) {
            java.util.List<TurnServer> servers = new java.util.ArrayList<>(ice.turnServers());
            servers.add(Objects.requireNonNull(server, "server"));
            this.ice = ice.withTurnServers(servers);
            return this;
        }

        /**
         * Relayed candidates only, as a browser's {@code iceTransportPolicy: "relay"}: host candidates are where TURN
         * allocations are made from, and are neither signalled nor used. Needs a {@link #turnServer}.
         */
        public Builder relayOnly(boolean value) {
            this.ice = ice.withRelayOnly(value);
            return this;
        }

        /**
         * Hides host addresses behind a generated mDNS name ({@code <uuid>.local}) in every description, as browsers
         * do by default; the caller answers the name on the LAN ({@link Rtc#mdnsHostName}).
         */
        public Builder mdnsHostNames(boolean value) {
            this.mdnsHostNames = value;
            return this;
        }

        /** Replaces the whole ICE configuration (timers, nomination). */
        public Builder ice(IceConfig config) {
            this.ice = Objects.requireNonNull(config, "config: use IceConfig.defaults()");
            return this;
        }

        /** DTLS settings (suites, groups, SRTP profiles, MTU, timers). */
        public Builder dtls(DtlsConfig config) {
            this.dtls = Objects.requireNonNull(config, "config: use DtlsConfig.defaults()");
            return this;
        }

        /** SRTP settings (replay window, stream limits). */
        public Builder srtp(SrtpConfig config) {
            this.srtp = Objects.requireNonNull(config, "config: use SrtpConfig.defaults()");
            return this;
        }

        /** SCTP settings for data channels (port, MTU, maximum message size, timers). */
        public Builder sctp(SctpConfig config) {
            this.sctp = Objects.requireNonNull(config, "config: use SctpConfig.defaults()");
            return this;
        }

        /** The pool outgoing media is protected in; share one among the Rtcs that one thread drives. */
        public Builder pool(PacketPool value) {
            this.pool = Objects.requireNonNull(value, "pool");
            return this;
        }

        /** Reuses one DTLS certificate (make it with {@code DtlsCertificate.generate}) across many Rtcs. */
        public Builder certificate(DtlsCertificate value) {
            this.certificate = Objects.requireNonNull(value, "certificate");
            return this;
        }

        /**
         * Draws every random value from {@code seed}, credentials and SSRCs included, so a run repeats (tests,
         * simulations). Never in production: a seeded generator's outputs, sent in the clear, give its seed away.
         */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Emit {@link Event.PeerStats} (and the media statistics events) every {@code interval}; off by default. */
        public Builder statsInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("a statistics interval is positive; leave it unset for no statistics events");
            }
            this.statsIntervalNanos = interval.toNanos();
            return this;
        }

        /** Media handling: sample or RTP mode, reorder depths, report interval, MTU, wallclock mapping. */
        public Builder media(MediaConfig config) {
            this.media = Objects.requireNonNull(config, "config");
            return this;
        }

        /** RTP mode: received RTP comes out as {@link Event.RtpPacket} views instead of depacketized samples. */
        public Builder rtpMode(boolean on) {
            this.media = media.withRtpMode(on);
            return this;
        }

        /**
         * Send-side bandwidth estimation (transport-wide feedback, REMB as an upper bound), pacing and probing,
         * starting at {@code initialBps} (str0m and libwebrtc start at 300 kbit/s). Off by default, as in str0m:
         * without it nothing is paced and {@link Rtc#bwe()} refuses.
         */
        public Builder enableBwe(long initialBps) {
            this.media = media.withBwe(BweConfig.startingAt(initialBps));
            return this;
        }

        /** Codecs, header extensions, SCTP port and message size for SDP negotiation. */
        public Builder sdp(SdpConfig config) {
            this.sdp = Objects.requireNonNull(config, "config"); // each SdpSession takes its own copy
            return this;
        }

        /**
         * The most the Rtc holds in what grows with traffic (see {@link RtcConfig#memoryBudgetBytes()}): a server
         * that knows how many peers it holds gives each its share.
         */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("a memory budget is a positive number of bytes, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        public RtcConfig config() {
            return new RtcConfig(ice, dtls, srtp, sctp, pool, certificate, randomSeed, statsIntervalNanos, media, sdp,
                    memoryBudgetBytes, mdnsHostNames);
        }

        public Rtc build() {
            return new Rtc(config());
        }
    }
}
