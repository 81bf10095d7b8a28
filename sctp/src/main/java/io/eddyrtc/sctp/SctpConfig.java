package io.eddyrtc.sctp;

/**
 * How an {@link SctpAssociation} behaves (RFC 9260 / RFC 8261 defaults for WebRTC), and what a peer can
 * make it hold.
 *
 * @param port            our and the peer's SCTP port ({@code a=sctp-port}, 5000 by default)
 * @param mtu             largest SCTP packet we send (1200: inside DTLS inside UDP on any path)
 * @param maxMessageSize  largest user message accepted either way ({@code a=max-message-size}, 256 KiB)
 * @param receiveWindow   the receive buffer we advertise (a_rwnd), 1 MiB
 * @param streams         inbound and outbound streams we offer (data channel ids below this)
 * @param rtoInitialNanos first retransmission timeout (RFC 9260: 1 s)
 * @param rtoMinNanos     lower bound of the RTO
 * @param rtoMaxNanos     upper bound of the RTO (RFC 9260: 60 s)
 * @param maxRetransmits  T3 timeouts in a row after which the association is declared dead (10)
 * @param cookieLifetimeNanos how long an INIT-ACK's state cookie stays valid (60 s)
 * @param maxPendingFragments DATA fragments held for reassembly at most (4096); beyond, DATA is refused
 *                        until they drain (the next chunk in order has as much again in reserve)
 * @param maxChannels     data channels open at once at most (256); a peer's OPEN beyond is refused
 * @param maxLabelBytes   longest data channel label, and longest protocol, in UTF-8 bytes (1024)
 */
public record SctpConfig(int port, int mtu, int maxMessageSize, int receiveWindow, int streams,
                         long rtoInitialNanos, long rtoMinNanos, long rtoMaxNanos, int maxRetransmits,
                         long cookieLifetimeNanos, int maxPendingFragments, int maxChannels, int maxLabelBytes) {

    public SctpConfig {
        if (mtu < 256 || mtu > 65_535) {
            throw new IllegalArgumentException("mtu must be 256..65535, was " + mtu);
        }
        if (maxMessageSize < 1 || receiveWindow < mtu || streams < 1 || streams > 65_535) {
            throw new IllegalArgumentException("maxMessageSize >= 1, receiveWindow >= mtu and 1..65535 streams are needed");
        }
        if (rtoMinNanos <= 0 || rtoInitialNanos < rtoMinNanos || rtoMaxNanos < rtoInitialNanos) {
            throw new IllegalArgumentException("RTO bounds must satisfy 0 < min <= initial <= max");
        }
        if (maxPendingFragments < 1 || maxChannels < 1 || maxLabelBytes < 0 || maxLabelBytes > 65_535) {
            throw new IllegalArgumentException("maxPendingFragments >= 1, maxChannels >= 1 and maxLabelBytes 0..65535 are needed; got "
                    + maxPendingFragments + ", " + maxChannels + ", " + maxLabelBytes);
        }
    }

    public static SctpConfig defaults() {
        return new SctpConfig(5000, 1200, 262_144, 1 << 20, 1024,
                1_000_000_000L, 200_000_000L, 60_000_000_000L, 10, 60_000_000_000L, 4096, 256, 1024);
    }

    public SctpConfig withMaxMessageSize(int bytes) {
        return new SctpConfig(port, mtu, bytes, receiveWindow, streams, rtoInitialNanos, rtoMinNanos, rtoMaxNanos, maxRetransmits,
                cookieLifetimeNanos, maxPendingFragments, maxChannels, maxLabelBytes);
    }

    public SctpConfig withMtu(int bytes) {
        return new SctpConfig(port, bytes, maxMessageSize, receiveWindow, streams, rtoInitialNanos, rtoMinNanos, rtoMaxNanos,
                maxRetransmits, cookieLifetimeNanos, maxPendingFragments, maxChannels, maxLabelBytes);
    }

    public SctpConfig withMaxPendingFragments(int fragments) {
        return new SctpConfig(port, mtu, maxMessageSize, receiveWindow, streams, rtoInitialNanos, rtoMinNanos, rtoMaxNanos,
                maxRetransmits, cookieLifetimeNanos, fragments, maxChannels, maxLabelBytes);
    }

    public SctpConfig withMaxChannels(int channels) {
        return new SctpConfig(port, mtu, maxMessageSize, receiveWindow, streams, rtoInitialNanos, rtoMinNanos, rtoMaxNanos,
                maxRetransmits, cookieLifetimeNanos, maxPendingFragments, channels, maxLabelBytes);
    }

    public SctpConfig withMaxLabelBytes(int bytes) {
        return new SctpConfig(port, mtu, maxMessageSize, receiveWindow, streams, rtoInitialNanos, rtoMinNanos, rtoMaxNanos,
                maxRetransmits, cookieLifetimeNanos, maxPendingFragments, maxChannels, bytes);
    }
}
