package io.eddyrtc.crypto.dtls.internal;

import org.bouncycastle.crypto.ExtendedDigest;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * The JDK's SHA-256 behind BouncyCastle's digest interface, for BouncyCastle's RFC 6979 nonce calculator:
 * the JDK's runs on the CPU's SHA instructions (an RFC 6979 nonce takes 1.5 against 6 µs with
 * BouncyCastle's Java SHA-256 here).
 */
final class JdkSha256Digest implements ExtendedDigest {
    private final MessageDigest sha256;

    JdkSha256Digest() {
        this.sha256 = sha256();
    }

    /** A new SHA-256 {@link MessageDigest}. */
    static MessageDigest sha256() {
        return Jca.digest("SHA-256");
    }

    @Override
    public String getAlgorithmName() {
        return "SHA-256";
    }

    @Override
    public int getDigestSize() {
        return 32;
    }

    @Override
    public int getByteLength() {
        return 64; // the block size, which HMAC pads its key to
    }

    @Override
    public void update(byte in) {
        sha256.update(in);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        sha256.update(in, offset, length);
    }

    @Override
    public int doFinal(byte[] out, int offset) {
        try {
            return sha256.digest(out, offset, 32);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a SHA-256 digest at " + offset + " of " + out.length + " bytes", e);
        }
    }

    @Override
    public void reset() {
        sha256.reset();
    }
}
