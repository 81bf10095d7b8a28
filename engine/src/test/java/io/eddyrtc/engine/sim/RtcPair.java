package io.eddyrtc.engine.sim;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Rtc;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Two Rtcs on one virtual network, signalled with ICE and DTLS through the {@link DirectSignalling}:
 * A (10.0.0.1) controls and is the DTLS client, B (10.0.1.1) answers. The scenario tests start here.
 */
public record RtcPair(VirtualNetwork net, RtcNode a, RtcNode b) {
    public static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    public static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);

    /** A pair on {@code link}; {@code configure} may adjust both builders (e.g. a smaller MTU). */
    public static RtcPair withDtls(long seed, LinkConditions link, DtlsCertificate certA, DtlsCertificate certB,
                                   UnaryOperator<io.eddyrtc.engine.RtcConfig.Builder> configure) {
        RtcPair pair = attached(seed, link, certA, certB, configure);
        DirectSignalling.pairWithDtls(pair.a().rtc(), A, pair.b().rtc(), B);
        return pair;
    }

    /** Two Rtcs on one virtual network, each at its address, nothing signalled yet. */
    private static RtcPair attached(long seed, LinkConditions link, DtlsCertificate certA, DtlsCertificate certB,
                                    UnaryOperator<io.eddyrtc.engine.RtcConfig.Builder> configure) {
        Random random = new Random(seed);
        VirtualNetwork net = new VirtualNetwork(seed);
        net.defaultConditions(link);
        RtcNode a = new RtcNode("A", configure.apply(Rtc.builder().randomSeed(random.nextLong()).certificate(certA)).build());
        RtcNode b = new RtcNode("B", configure.apply(Rtc.builder().randomSeed(random.nextLong()).certificate(certB)).build());
        net.attach(a, A);
        net.attach(b, B);
        return new RtcPair(net, a, b);
    }

    public static RtcPair withDtls(long seed, LinkConditions link, DtlsCertificate certA, DtlsCertificate certB) {
        return withDtls(seed, link, certA, certB, UnaryOperator.identity());
    }

    /**
     * A pair that will negotiate through SDP: each has its host candidate, nothing else is set up. Call
     * {@link SdpSignalling#negotiate} with {@code a} as the offerer (or the other way round).
     */
    public static RtcPair forSdp(long seed, LinkConditions link, DtlsCertificate certA, DtlsCertificate certB,
                                 UnaryOperator<io.eddyrtc.engine.RtcConfig.Builder> configure) {
        RtcPair pair = attached(seed, link, certA, certB, configure);
        pair.a().rtc().addLocalCandidate(io.eddyrtc.ice.Candidate.host(A));
        pair.b().rtc().addLocalCandidate(io.eddyrtc.ice.Candidate.host(B));
        return pair;
    }

    public boolean bothConnected() {
        return a.rtc().isConnected() && b.rtc().isConnected();
    }
}
