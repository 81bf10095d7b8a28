package io.eddyrtc.engine.bwe;

import io.eddyrtc.buffers.testkit.SansIoNode;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The sending end of the evaluation on the {@code VirtualNetwork}: one address, so every flow it hosts crosses
 * the same link, and shares its rate limit and queue with the others.
 */
final class BweSenderNode implements SansIoNode {
    private final InetSocketAddress address;
    private final InetSocketAddress receiver;
    private final List<SyntheticSender> flows;
    /** The last time the network told us: the pacer's answers depend on it. */
    private long now;

    BweSenderNode(InetSocketAddress address, InetSocketAddress receiver, List<SyntheticSender> flows) {
        this.address = address;
        this.receiver = receiver;
        this.flows = flows;
    }

    @Override
    public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        this.now = now;
        if (datagram.length > 2 && datagram[0] == SyntheticSender.FEEDBACK) {
            flows.get(datagram[1]).onFeedback(now, datagram);
        }
    }

    @Override
    public void timeout(long now) {
        this.now = now;
        for (SyntheticSender flow : flows) {
            flow.timeout(now);
        }
    }

    @Override
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (SyntheticSender flow : flows) {
            next = Math.min(next, flow.nextDeadline(now));
        }
        return next;
    }

    @Override
    public void drainTransmits(long now, Transmitter out) {
        this.now = now;
        for (SyntheticSender flow : flows) {
            flow.drain(now, (id, datagram) -> out.send(address, receiver, datagram));
        }
    }
}
