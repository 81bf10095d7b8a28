package io.eddyrtc.crypto.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DTLS bytes written out by hand for tests that play a hostile peer: records, handshake fragments,
 * alerts and ClientHellos, and a reader that splits a datagram into its records. Independent of the
 * endpoint's own writers, so a test does not check eddy against itself.
 */
final class Wire {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int CLIENT_HELLO = 1;
    static final int CERTIFICATE = 11;
    static final int FINISHED = 20;

    /** One record as it sits in a datagram. */
    record Record(int type, int epoch, long seq, byte[] fragment) {}

    private Wire() {
    }

    static byte[] record(int type, int epoch, long seq, byte[] fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(0xFE);
        out.write(0xFD);
        u16(out, epoch);
        for (int i = 5; i >= 0; i--) {
            out.write((int) (seq >>> (8 * i)));
        }
        u16(out, fragment.length);
        out.writeBytes(fragment);
        return out.toByteArray();
    }

    /** A handshake fragment: header (type, whole length, message_seq, offset, fragment length) and bytes. */
    static byte[] fragment(int type, int length, int seq, int offset, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        u24(out, length);
        u16(out, seq);
        u24(out, offset);
        u24(out, bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    /** A whole handshake message in one fragment. */
    static byte[] message(int type, int seq, byte[] body) {
        return fragment(type, body.length, seq, 0, body);
    }

    static byte[] alert(int level, int description) {
        return new byte[] {(byte) level, (byte) description};
    }

    /**
     * A ClientHello body: {@code version}, a random of {@code randomByte}, the given cookie, suites and
     * groups, use_srtp AES-128-CM-SHA1-80, ecdsa_secp256r1_sha256, and the extended master secret if {@code ems}.
     */
    static byte[] clientHello(int version, byte randomByte, byte[] cookie, int[] suites, int[] groups, boolean ems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, version);
        byte[] random = new byte[32];
        Arrays.fill(random, randomByte);
        out.writeBytes(random);
        out.write(0); // session id
        out.write(cookie.length);
        out.writeBytes(cookie);
        u16(out, 2 * suites.length);
        for (int s : suites) {
            u16(out, s);
        }
        out.write(1);
        out.write(0); // compression: null
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 10); // supported_groups
        u16(ext, 2 + 2 * groups.length);
        u16(ext, 2 * groups.length);
        for (int g : groups) {
            u16(ext, g);
        }
        u16(ext, 13); // signature_algorithms
        u16(ext, 4);
        u16(ext, 2);
        u16(ext, 0x0403);
        u16(ext, 14); // use_srtp
        u16(ext, 5);
        u16(ext, 2);
        u16(ext, 0x0001);
        ext.write(0);
        if (ems) {
            u16(ext, 23);
            u16(ext, 0);
        }
        u16(out, ext.size());
        out.writeBytes(ext.toByteArray());
        return out.toByteArray();
    }

    /**
     * A DTLS 1.3 ClientHello body: TLS_AES_128_GCM_SHA256, supported_versions 1.3, key shares for
     * {@code shares} groups (each share {@code shareLength} bytes of {@code randomByte}), use_srtp
     * AES-128-CM-SHA1-80, ecdsa_secp256r1_sha256, and the given legacy cookie and cookie extension (null: none).
     */
    static byte[] clientHello13(byte randomByte, byte[] legacyCookie, int[] shares, int shareLength, byte[] cookieExtension) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, 0xFEFD);
        byte[] random = new byte[32];
        Arrays.fill(random, randomByte);
        out.writeBytes(random);
        out.write(0);
        out.write(legacyCookie.length);
        out.writeBytes(legacyCookie);
        u16(out, 2);
        u16(out, 0x1301);
        out.write(1);
        out.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 10);
        u16(ext, 2 + 2 * shares.length);
        u16(ext, 2 * shares.length);
        for (int g : shares) {
            u16(ext, g);
        }
        u16(ext, 13);
        u16(ext, 4);
        u16(ext, 2);
        u16(ext, 0x0403);
        u16(ext, 14);
        u16(ext, 5);
        u16(ext, 2);
        u16(ext, 0x0001);
        ext.write(0);
        u16(ext, 43); // supported_versions: DTLS 1.3
        u16(ext, 3);
        ext.write(2);
        u16(ext, 0xFEFC);
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (int g : shares) {
            u16(list, g);
            u16(list, shareLength);
            byte[] key = new byte[shareLength];
            Arrays.fill(key, (byte) (randomByte + 1));
            list.writeBytes(key);
        }
        u16(ext, 51); // key_share
        u16(ext, 2 + list.size());
        u16(ext, list.size());
        ext.writeBytes(list.toByteArray());
        if (cookieExtension != null) {
            u16(ext, 44);
            u16(ext, 2 + cookieExtension.length);
            u16(ext, cookieExtension.length);
            ext.writeBytes(cookieExtension);
        }
        u16(out, ext.size());
        out.writeBytes(ext.toByteArray());
        return out.toByteArray();
    }

    /** A DTLS 1.3 ClientHello eddy accepts: an X25519 share, no cookie. */
    static byte[] goodClientHello13(byte randomByte) {
        return clientHello13(randomByte, new byte[0], new int[] {29}, 32, null);
    }

    /** A ClientHello eddy accepts: DTLS 1.2, AES-128-GCM, X25519, extended master secret, no cookie. */
    static byte[] goodClientHello(byte randomByte) {
        return clientHello(0xFEFD, randomByte, new byte[0], new int[] {0xC02B}, new int[] {29}, true);
    }

    static List<Record> records(byte[] datagram) {
        List<Record> out = new ArrayList<>();
        int at = 0;
        while (at + 13 <= datagram.length) {
            int length = (datagram[at + 11] & 0xFF) << 8 | (datagram[at + 12] & 0xFF);
            long seq = 0;
            for (int i = 0; i < 6; i++) {
                seq = seq << 8 | (datagram[at + 5 + i] & 0xFF);
            }
            out.add(new Record(datagram[at] & 0xFF, (datagram[at + 3] & 0xFF) << 8 | (datagram[at + 4] & 0xFF), seq,
                    Arrays.copyOfRange(datagram, at + 13, at + 13 + length)));
            at += 13 + length;
        }
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
