package io.eddyrtc.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import io.eddyrtc.engine.Event;
import io.eddyrtc.sctp.ChannelReliability;
import io.eddyrtc.sctp.DataChannelEvent;
import io.eddyrtc.sctp.DataChannels;
import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
import io.eddyrtc.sctp.SctpTransmit;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The channel half of an {@code Rtc} over a real DTLS connection, against a bare SCTP association and DCEP
 * on the far side, which sees what the {@code Rtc}'s own events do not show (the subprotocol).
 */
@ExtendWith(SeedExtension.class)
class ChannelLayerTest {
    private static final InetSocketAddress NEAR = new InetSocketAddress("10.0.0.1", 5000);
    private static final InetSocketAddress FAR = new InetSocketAddress("10.0.0.2", 6000);

    @Test
    void aChannelAskedForBeforeSctpIsUpOpensWithItsProtocolAndReliability(@Seed long seed) throws Exception {
        DtlsCertificate nearCert = DtlsCertificate.generate(seeded(seed), Instant.parse("2026-01-01T00:00:00Z"));
        DtlsCertificate farCert = DtlsCertificate.generate(seeded(seed + 1), Instant.parse("2026-01-01T00:00:00Z"));
        DtlsEndpoint nearDtls = new DtlsEndpoint(DtlsConfig.defaults(), nearCert, true, seeded(seed + 2), new SplittableRandom(seed));
        DtlsEndpoint farDtls = new DtlsEndpoint(DtlsConfig.defaults(), farCert, false, seeded(seed + 3), new SplittableRandom(seed + 1));
        nearDtls.setRemoteFingerprint(farCert.fingerprint());
        farDtls.setRemoteFingerprint(nearCert.fingerprint());

        ArrayDeque<Event> nearEvents = new ArrayDeque<>();
        PacketPool pool = PacketPool.builder().debug(true).build();
        ChannelLayer near = new ChannelLayer(SctpConfig.defaults(), 1200, pool, MemoryBudget.unlimited(), nearEvents,
                (id, binary, slot, bytes, length) -> {
                    throw new AssertionError("no message is sent to the near side");
                }, new SplittableRandom(seed));
        SctpAssociation farSctp = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(seed + 1));
        DataChannels far = new DataChannels(farSctp, false);
        List<DataChannelEvent> farEvents = new ArrayList<>();

        long now = 0;
        nearDtls.start(now);
        for (int round = 0; round < 50 && farEvents.isEmpty(); round++) {
            now += 1_000_000;
            if (nearDtls.isConnected() && !near.started()) { // as the Rtc does: SCTP starts once DTLS is up
                near.transportUp(now, true, true);
                near.create(now, "chat", "json-rpc", ChannelReliability.maxRetransmits(false, 0));
            }
            near.pump(now, nearDtls);
            for (byte[] d; (d = nearDtls.pollTransmit()) != null; ) {
                farDtls.handleReceive(now, NEAR, d);
            }
            for (DtlsEvent e; (e = farDtls.pollEvent()) != null; ) {
                if (e instanceof DtlsEvent.ApplicationData data) {
                    farSctp.handleReceive(now, data.data());
                }
            }
            for (SctpEvent e; (e = farSctp.pollEvent()) != null; ) {
                if (e instanceof SctpEvent.Message m) {
                    far.handle(now, m);
                }
            }
            for (DataChannelEvent e; (e = far.pollEvent()) != null; ) {
                farEvents.add(e);
            }
            for (SctpTransmit p; (p = farSctp.pollTransmit()) != null; ) {
                farDtls.send(now, p.bytes(), 0, p.length());
            }
            for (byte[] d; (d = farDtls.pollTransmit()) != null; ) {
                nearDtls.handleReceive(now, FAR, d);
            }
            for (DtlsEvent e; (e = nearDtls.pollEvent()) != null; ) {
                if (e instanceof DtlsEvent.ApplicationData data) {
                    near.onApplicationData(now, data.data());
                }
            }
        }

        assertTrue(nearDtls.isConnected() && farSctp.isEstablished(), "DTLS and SCTP did not come up: " + nearDtls + ", " + farSctp);
        assertEquals(List.of(new DataChannelEvent.Open(0, "chat", "json-rpc", false)), farEvents);
    }

    /** A SecureRandom that repeats itself for a seed: SHA1PRNG seeded before its first use. */
    private static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }
}
