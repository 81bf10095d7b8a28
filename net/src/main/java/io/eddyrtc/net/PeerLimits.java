package io.eddyrtc.net;

import java.time.Duration;

/**
 * How many peers an {@link RtcLoop} holds and when it gives up on one. A server exposed to strangers
 * needs all three: without a cap every POST costs memory, and without the timeouts a peer that never
 * connects, or vanishes without a goodbye, is kept (and sent to) for good.
 *
 * @param maxPeers            peers on the loop at once; a join beyond it is refused
 * @param connectTimeout      a peer that is not connected (ICE and DTLS) this long after it joined is removed
 * @param disconnectedTimeout a peer whose ICE stays {@code DISCONNECTED} (consent lost) this long is removed
 */
public record PeerLimits(int maxPeers, Duration connectTimeout, Duration disconnectedTimeout) {

    /** The defaults {@code ./eddy help} states: 100 peers, 15 s to connect, 10 s disconnected. */
    public static PeerLimits defaults() {
        return new PeerLimits(100, Duration.ofSeconds(15), Duration.ofSeconds(10));
    }

    public PeerLimits {
        if (maxPeers < 1) {
            throw new IllegalArgumentException("maxPeers must be at least 1, got " + maxPeers);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || disconnectedTimeout == null || disconnectedTimeout.isNegative() || disconnectedTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout and disconnectedTimeout must be positive, got "
                    + connectTimeout + " and " + disconnectedTimeout);
        }
    }

    public PeerLimits withMaxPeers(int value) {
        return new PeerLimits(value, connectTimeout, disconnectedTimeout);
    }

    public PeerLimits withConnectTimeout(Duration value) {
        return new PeerLimits(maxPeers, value, disconnectedTimeout);
    }

    public PeerLimits withDisconnectedTimeout(Duration value) {
        return new PeerLimits(maxPeers, connectTimeout, value);
    }
}
