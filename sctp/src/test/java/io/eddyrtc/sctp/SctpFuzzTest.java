package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;

/**
 * Hostile SCTP packets against an association (fresh, and established with a real peer) and hostile
 * DCEP/channel messages against the data channel layer: nothing escapes as an exception, nothing grows
 * without bound, and packets we send stay within the MTU.
 */
class SctpFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void packetsNeverThrow(FuzzedDataProvider data) {
        SctpAssociation a = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
        SctpAssociation b = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
        if (data.consumeBoolean()) { // establish first, so DATA/SACK paths are reachable
            a.connect(0);
            for (int i = 0; i < 6; i++) {
                for (byte[] p; (p = Packets.poll(a)) != null; ) {
                    b.handleReceive(0, p);
                }
                for (byte[] p; (p = Packets.poll(b)) != null; ) {
                    a.handleReceive(0, p);
                }
            }
        }
        long now = 0;
        while (data.remainingBytes() > 0) {
            now += data.consumeLong(0, 2_000_000_000L);
            byte[] packet = data.consumeBytes(data.consumeInt(0, 1300));
            if (packet.length >= 12 && data.consumeBoolean()) {
                fixChecksumAndPorts(packet); // let the fuzzer past the checksum to the chunk parsers
            }
            b.handleReceive(now, packet);
            b.handleTimeout(now);
            for (byte[] p; (p = Packets.poll(b)) != null; ) {
                assertTrue(p.length <= SctpConfig.defaults().mtu(), "a packet above the MTU: " + p.length);
            }
            for (SctpEvent e; (e = b.pollEvent()) != null; ) {
                if (e instanceof SctpEvent.Message m) {
                    new DataChannels(b, false).handle(now, m); // DCEP parsing on whatever arrives
                }
            }
        }
    }

    /**
     * An established association (tags and TSNs known, so packets pass the tag and checksum checks and
     * reach every chunk handler) against hostile chunks: nothing thrown, nothing held beyond the caps,
     * nothing sent above the MTU ({@link HostilePeerHarness}).
     */
    @FuzzTest(maxDuration = "60s")
    void establishedAssociationStaysWithinItsCaps(FuzzedDataProvider data) {
        HostilePeerHarness.run(HostilePeerHarness.of(data), 7);
    }

    static void fixChecksumAndPorts(byte[] p) {
        p[0] = 0x13;
        p[1] = (byte) 0x88;
        p[2] = 0x13;
        p[3] = (byte) 0x88;
        p[8] = p[9] = p[10] = p[11] = 0;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(p, 0, p.length);
        long sum = crc.getValue();
        p[8] = (byte) sum;
        p[9] = (byte) (sum >>> 8);
        p[10] = (byte) (sum >>> 16);
        p[11] = (byte) (sum >>> 24);
    }
}
