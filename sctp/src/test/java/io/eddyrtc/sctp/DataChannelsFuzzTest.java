package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile peer's data channel traffic: random DCEP and channel messages (every PPID, truncated and
 * oversized OPENs, streams in and out of range, opens, closes and messages on closed channels, in every
 * order) arrive at an association in every state from before the handshake to after shutdown. Data
 * channels must take all of it without an exception, and count what made no sense.
 */
@ExtendWith(SeedExtension.class)
class DataChannelsFuzzTest {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 5000);
    static final long MS = 1_000_000L;

    @Test
    void randomChannelTrafficNeverThrows(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        VirtualNetwork net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(5).withLoss(0.05));
        SctpNode a = new SctpNode(new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed + 1)), true, A, B);
        SctpNode b = new SctpNode(new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed + 2)), false, B, A);
        net.attach(a, A);
        net.attach(b, B);
        int[] ppids = {50, 51, 53, 56, 57, 0, 52, 99};
        long ignoredBefore = b.channels.ignored();
        for (int round = 0; round < 3000; round++) {
            if (round == 10) {
                a.sctp.connect(net.now());
            }
            int stream = random.nextInt(8) == 0 ? 1000 + random.nextInt(70_000) : random.nextInt(16);
            int ppid = ppids[random.nextInt(ppids.length)];
            byte[] body = new byte[random.nextInt(8) == 0 ? 0 : random.nextInt(40)];
            random.nextBytes(body);
            if (ppid == 50 && body.length > 0 && random.nextBoolean()) {
                body[0] = (byte) (random.nextBoolean() ? 0x03 : 0x02); // an OPEN or an ACK, with random rest
            }
            // as if the peer's SCTP had delivered it, in whatever state ours is
            b.channels.handle(net.now(), new SctpEvent.Message(stream, ppid, body));
            if (random.nextInt(50) == 0 && b.sctp.isEstablished()) { // our side closes a channel the peer opened
                java.util.Set<Integer> open = new java.util.HashSet<>();
                for (DataChannelEvent e : b.channelEvents) {
                    if (e instanceof DataChannelEvent.Open o) {
                        open.add(o.id());
                    } else if (e instanceof DataChannelEvent.Closed c) {
                        open.remove(c.id());
                    }
                }
                if (!open.isEmpty()) {
                    b.channels.close(net.now(), open.iterator().next());
                }
            }
            if (round == 2500) {
                b.sctp.shutdown(net.now());
            }
            b.collect(net.now());
            net.runFor(random.nextInt(3) * MS);
        }
        assertTrue(b.channels.ignored() > ignoredBefore, "nonsense was counted");
    }
}
