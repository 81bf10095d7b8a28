package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.dtls.internal.Jca;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as SDP signals it ({@code a=fingerprint:sha-256 AB:CD:...}, RFC 8122):
 * the hash function's name and the digest of the DER certificate.
 */
public final class Fingerprint {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final String hashFunction;
    private final byte[] digest;

    public Fingerprint(String hashFunction, byte[] digest) {
        this.hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        this.digest = digest.clone();
        if (javaAlgorithm(this.hashFunction) == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + hashFunction + "'; use sha-256, sha-384 or sha-512");
        }
    }

    /** The SHA-256 fingerprint of a DER-encoded certificate. */
    public static Fingerprint sha256(byte[] derCertificate) {
        return of("sha-256", derCertificate);
    }

    /** The fingerprint of a DER-encoded certificate with the named hash ({@code sha-256}, ...). */
    public static Fingerprint of(String hashFunction, byte[] derCertificate) {
        String algorithm = javaAlgorithm(hashFunction.toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + hashFunction + "'");
        }
        return new Fingerprint(hashFunction, Jca.digest(algorithm).digest(derCertificate));
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, e.g. {@code "sha-256 AB:CD:..."}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static Fingerprint parse(String sdpValue) {
        String text = sdpValue.strip();
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("fingerprint '" + sdpValue + "' is not '<hash-function> <hex:hex:...>'");
        }
        String function = text.substring(0, space);
        String hex = text.substring(space + 1).strip();
        byte[] digest;
        try {
            digest = HEX.parseHex(hex.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fingerprint digest '" + hex + "' is not colon-separated hex bytes", e);
        }
        String algorithm = javaAlgorithm(function.toLowerCase(Locale.ROOT));
        if (algorithm != null) {
            try {
                int expected = MessageDigest.getInstance(algorithm).getDigestLength();
                if (digest.length != expected) {
                    throw new IllegalArgumentException("a " + function + " fingerprint has " + expected + " bytes, this one " + digest.length);
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Fingerprint(function, digest);
    }

    /** Does this fingerprint describe {@code derCertificate}? Compared in constant time. */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(of(hashFunction, derCertificate).digest, digest);
    }

    public String hashFunction() {
        return hashFunction;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** The attribute value: {@code "sha-256 AB:CD:..."}. */
    public String toSdpValue() {
        return hashFunction + " " + HEX.formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.hashFunction.equals(hashFunction) && Arrays.equals(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static String javaAlgorithm(String hashFunction) {
        return switch (hashFunction) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> null;
        };
    }
}
