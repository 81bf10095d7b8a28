package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded, structure-aware hostile scripts ({@link HostileScript}) that plain {@code mvn test} runs, in both
 * DTLS versions: protected records of every content type (ACKs and KeyUpdates too) with plausible contents
 * after the handshake, and the handshake's own flights mangled. Complements the Jazzer targets of {@link DtlsFuzzTest}, whose byte-level mutations seldom build
 * a well-formed handshake fragment inside a sealed record.
 */
@ExtendWith(SeedExtension.class)
class DtlsMutationTest {
    private static final int[] HANDSHAKE_TYPES = {1, 2, 3, 4, 8, 11, 12, 13, 14, 15, 16, 20, 24};

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void theScriptsDoWhatTheySay(DtlsVersion version) {
        HostileScript.Writer deliverAll = new HostileScript.Writer();
        for (int i = 0; i < 8; i++) {
            deliverAll.step(HostileScript.DELIVER | (i % 2 == 1 ? HostileScript.TO_CLIENT : 0), new byte[0]);
        }
        assertTrue(HostileScript.duringTheHandshake(version, deliverAll.bytes()), "plain deliveries are a handshake");
        assertTrue(HostileScript.duringTheHandshake(version, new byte[0]), "the quiet network at the end completes an untouched one");
        assertTrue(HostileScript.afterTheHandshake(version, new HostileScript.Writer().step(HostileScript.SEALED, new byte[] {21, 1, 0}).bytes()),
                "a protected close_notify ends it");
        assertFalse(HostileScript.afterTheHandshake(version, new HostileScript.Writer()
                .step(HostileScript.RAW, Wire.record(Wire.ALERT, 0, 9, Wire.alert(1, 0))).bytes()), "a plaintext one does not");
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void protectedRecordsOfEveryKindAfterTheHandshake(DtlsVersion version, @Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int ended = 0;
        for (int i = 0; i < 200; i++) {
            if (HostileScript.afterTheHandshake(version, afterScript(random))) {
                ended++;
            }
        }
        assertTrue(ended > 0 && ended < 200, "some scripts end with a protected alert, most do not: " + ended);
    }

    @ParameterizedTest
    @EnumSource(DtlsVersion.class)
    void mangledHandshakes(DtlsVersion version, @Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int connected = 0;
        for (int i = 0; i < 200; i++) {
            if (HostileScript.duringTheHandshake(version, duringScript(random))) {
                connected++;
            }
        }
        assertTrue(connected > 0, "some mangled handshakes still connect: " + connected);
    }

    private static byte[] afterScript(SplittableRandom r) {
        HostileScript.Writer w = new HostileScript.Writer();
        int steps = 1 + r.nextInt(20);
        for (int i = 0; i < steps; i++) {
            int pick = r.nextInt(100);
            if (pick < 40) {
                w.step(HostileScript.SEALED, sealed(r));
            } else if (pick < 55) {
                byte[] sealed = sealed(r); // type, then content
                byte[] payload = new byte[4 + sealed.length - 1]; // type, bit position (3 bytes), content
                payload[0] = sealed[0];
                for (int k = 1; k < 4; k++) {
                    payload[k] = (byte) r.nextInt(256);
                }
                System.arraycopy(sealed, 1, payload, 4, sealed.length - 1);
                w.step(HostileScript.SEALED_ONE_BIT_FLIPPED, payload);
            } else if (pick < 65) {
                w.step(HostileScript.RAW, r.nextBoolean() ? bytes(r, r.nextInt(80))
                        : Wire.record(r.nextInt(256), r.nextInt(3), r.nextInt(1000), bytes(r, r.nextInt(60))));
            } else if (pick < 70) {
                w.step(HostileScript.REPLAY, new byte[0]);
            } else if (pick < 75) {
                w.step(HostileScript.TIME, new byte[] {(byte) r.nextInt(256)});
            } else if (pick < 80) {
                w.step(HostileScript.SWAP_SIDES, new byte[0]);
            } else if (pick < 90) {
                w.step(HostileScript.APPLICATION_DATA, bytes(r, r.nextInt(300)));
            } else {
                w.step(HostileScript.UNAUTHENTIC_EPOCH_1, bytes(r, 2 + r.nextInt(60)));
            }
        }
        return w.bytes();
    }

    /** Content type, then content: mostly what a peer could plausibly protect, sometimes anything. */
    private static byte[] sealed(SplittableRandom r) {
        int type = new int[] {20, 21, 22, 23, 26, r.nextInt(256)}[r.nextInt(6)];
        byte[] content = switch (type) {
            case 20 -> r.nextBoolean() ? new byte[] {1} : bytes(r, r.nextInt(4));
            case 26 -> ack(r);
            // an ending alert now and then: a fatal level or close_notify
            case 21 -> r.nextInt(10) == 0 ? new byte[] {(byte) (1 + r.nextInt(2)), (byte) (r.nextBoolean() ? 0 : 40)}
                    : new byte[] {1, (byte) (1 + r.nextInt(255))};
            case 22 -> handshakeFragments(r);
            default -> bytes(r, r.nextInt(200));
        };
        byte[] payload = new byte[1 + content.length];
        payload[0] = (byte) type;
        System.arraycopy(content, 0, payload, 1, content.length);
        return payload;
    }

    /** A DTLS 1.3 ACK: record numbers in plausible epochs and sequence numbers, now and then malformed. */
    private static byte[] ack(SplittableRandom r) {
        int n = r.nextInt(4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(16 * n + (r.nextInt(8) == 0 ? 1 : 0));
        for (int i = 0; i < n; i++) {
            out.writeBytes(new byte[7]);
            out.write(r.nextInt(6));
            out.writeBytes(new byte[7]);
            out.write(r.nextInt(12));
        }
        return out.toByteArray();
    }

    private static byte[] handshakeFragments(SplittableRandom r) {
        List<byte[]> fragments = new ArrayList<>();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            int type = HANDSHAKE_TYPES[r.nextInt(HANDSHAKE_TYPES.length)];
            byte[] data = bytes(r, r.nextInt(120));
            int length = r.nextBoolean() ? data.length : data.length + r.nextInt(20_000);
            fragments.add(Wire.fragment(type, length, r.nextInt(12), r.nextBoolean() ? 0 : r.nextInt(length + 1), data));
        }
        byte[] all = Wire.concat(fragments);
        return r.nextInt(8) == 0 ? Arrays.copyOf(all, r.nextInt(all.length + 1)) : all;
    }

    private static byte[] duringScript(SplittableRandom r) {
        HostileScript.Writer w = new HostileScript.Writer();
        int steps = 1 + r.nextInt(25);
        for (int i = 0; i < steps; i++) {
            int side = r.nextBoolean() ? HostileScript.TO_CLIENT : 0;
            int pick = r.nextInt(100);
            int op = pick < 45 ? HostileScript.DELIVER : pick < 55 ? HostileScript.FLIP_A_BIT : pick < 63 ? HostileScript.DUPLICATE
                    : pick < 71 ? HostileScript.LOSE : pick < 79 ? HostileScript.WAIT : pick < 85 ? HostileScript.TRUNCATE
                    : pick < 91 ? HostileScript.REORDER : HostileScript.RAW;
            byte[] payload = op == HostileScript.RAW && r.nextBoolean()
                    ? Wire.record(Wire.HANDSHAKE, 0, r.nextInt(10), handshakeFragments(r))
                    : bytes(r, op == HostileScript.RAW ? r.nextInt(100) : 3);
            w.step(op | side, payload);
        }
        return w.bytes();
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
