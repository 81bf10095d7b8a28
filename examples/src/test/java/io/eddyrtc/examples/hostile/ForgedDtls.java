package io.eddyrtc.examples.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** DTLS datagrams a stranger can send without any key: plaintext alerts and ClientHellos of epoch 0. */
final class ForgedDtls {
    private static final String CHROMIUM_HELLO = "/fixtures/chromium-client-hello/client-hello-";

    private ForgedDtls() {
    }

    /**
     * A forged close_notify, 15 bytes: a plaintext DTLS 1.2 record of epoch 0 (type 21 alert, version FE FD,
     * sequence number {@code sequence}, length 2) holding a warning-level close_notify (level 1, description 0).
     */
    static byte[] closeNotify(long sequence) {
        byte[] record = new byte[15];
        record[0] = 21;
        record[1] = (byte) 0xFE;
        record[2] = (byte) 0xFD;
        for (int i = 0; i < 6; i++) {           // epoch 0 in bytes 3-4, then the 48-bit sequence number
            record[5 + i] = (byte) (sequence >>> (8 * (5 - i)));
        }
        record[12] = 2;
        record[13] = 1;
        record[14] = 0;
        return record;
    }

    /**
     * A real Chromium's ClientHello (two datagrams: the hello is 1413 bytes, sent in two fragments), as
     * crypto's fixture captured it from Chromium 156.
     */
    static byte[][] chromiumClientHello() throws IOException {
        return new byte[][] {fixture(1), fixture(2)};
    }

    /** The first {@code length} bytes of Chromium's first ClientHello datagram: a record cut short. */
    static byte[] truncatedClientHello(int length) throws IOException {
        return Arrays.copyOf(fixture(1), length);
    }

    private static byte[] fixture(int n) throws IOException {
        try (InputStream in = ForgedDtls.class.getResourceAsStream(CHROMIUM_HELLO + n + ".bin")) {
            if (in == null) {
                throw new IllegalStateException("crypto's test-jar (the Chromium ClientHello fixture) is not on the class path");
            }
            return in.readAllBytes();
        }
    }
}
