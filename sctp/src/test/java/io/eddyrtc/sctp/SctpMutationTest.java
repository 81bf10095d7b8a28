package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeded hostile traffic that plain {@code mvn test} runs: the {@link HostilePeerHarness} with generated
 * choices, and real packets of a data channel exchange mutated byte by byte (checksum fixed, so the
 * chunk parsers see them). Nothing may be thrown, held beyond the caps or sent above the MTU.
 */
@ExtendWith(SeedExtension.class)
class SctpMutationTest {

    @Test
    void hostileChunksAgainstAnEstablishedAssociation(@Seed long seed) {
        long delivered = 0;
        long dropped = 0;
        for (int run = 0; run < 40; run++) {
            HostilePeerHarness.Outcome outcome = HostilePeerHarness.run(HostilePeerHarness.seeded(seed + run, 300), seed + run);
            delivered += outcome.delivered();
            dropped += outcome.sctp().droppedTotal();
        }
        assertTrue(delivered > 0, "some of the traffic was valid enough to deliver");
        assertTrue(dropped > 0, "and some was refused");
    }

    @Test
    void mutatedPacketsOfARealExchangeNeverThrow(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SctpAssociation a = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed + 1));
        ScriptedPeer b = new ScriptedPeer(new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed + 2)), 0, 0);
        DataChannels channels = new DataChannels(a, true);
        a.connect(0);
        List<byte[]> fromA = new ArrayList<>();
        long now = 0;
        for (int round = 0; round < 200 && !b.sctp.isClosed(); round++) {
            now += 10_000_000L;
            if (a.isEstablished() && round % 3 == 0) {
                if (channels.openChannels() == 0) {
                    channels.open(now, "m", "", random.nextBoolean());
                } else {
                    byte[] message = new byte[1 + random.nextInt(random.nextInt(8) == 0 ? 5000 : 60)];
                    random.nextBytes(message);
                    channels.send(now, 0, message);
                }
            }
            fromA.clear();
            for (byte[] p; (p = Packets.poll(a)) != null; ) {
                fromA.add(p);
            }
            for (byte[] original : fromA) {
                for (int m = 0; m < 3; m++) {
                    b.receive(now, mutant(original, random));
                }
                b.receive(now, original);
            }
            for (byte[] p : b.sent) {
                assertTrue(p.length <= SctpConfig.defaults().mtu(), "sent " + p.length + " bytes");
                a.handleReceive(now, p);
            }
            b.sent.clear();
            a.handleTimeout(now);
            b.timeout(now);
            for (SctpEvent e; (e = a.pollEvent()) != null; ) {
                SctpNode.feed(now, e, channels);
            }
            while (channels.pollEvent() != null) {
                // a's own channel events do not matter here
            }
            assertTrue(b.sctp.receiveBufferedFragments() <= 2 * SctpConfig.defaults().maxPendingFragments());
        }
        assertTrue(b.sctp.droppedTotal() > 0, "the mutants were noticed");
    }

    /** A copy with one mutation (a flipped byte, a cut, a stretched or shrunk length, a doubled chunk), checksum fixed. */
    private static byte[] mutant(byte[] original, SplittableRandom random) {
        byte[] p = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> p[12 + random.nextInt(p.length - 12)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> p = Arrays.copyOf(p, 12 + random.nextInt(p.length - 11));
            case 2 -> { // the first chunk's length field
                if (p.length >= 16) {
                    p[14] = (byte) random.nextInt(256);
                    p[15] = (byte) random.nextInt(256);
                }
            }
            default -> { // the packet's chunks twice over
                byte[] doubled = Arrays.copyOf(p, p.length + p.length - 12);
                System.arraycopy(p, 12, doubled, p.length, p.length - 12);
                p = doubled;
            }
        }
        if (p.length >= 12) {
            SctpFuzzTest.fixChecksumAndPorts(p);
        }
        return p;
    }
}
