package io.eddyrtc.crypto.dtls.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * New JCA objects for handshakes without a search of the providers for each: a handshake makes a dozen, and
 * {@code getInstance} (with the provider chosen at the first use) costs 0.5 to 2.5 µs where a clone costs
 * 0.05. Digests and MACs are cloned from prototypes made once and never used themselves, so any thread may
 * clone them; ciphers, which cannot be cloned, come straight from the provider found the first time.
 */
public final class Jca {
    private static final Map<String, MessageDigest> DIGESTS = new ConcurrentHashMap<>();
    private static final Map<String, Mac> MACS = new ConcurrentHashMap<>();
    private static final Map<String, Provider> CIPHER_PROVIDERS = new ConcurrentHashMap<>();

    private Jca() {
    }

    /** A new {@link MessageDigest} for {@code algorithm} ("SHA-256"). */
    public static MessageDigest digest(String algorithm) {
        return cloneOf(DIGESTS, algorithm, MessageDigest::getInstance, d -> (MessageDigest) d.clone());
    }

    /** A new, uninitialized {@link Mac} for {@code algorithm} ("HmacSHA256"). */
    public static Mac mac(String algorithm) {
        return cloneOf(MACS, algorithm, a -> {
            Mac prototype = Mac.getInstance(a);
            prototype.getMacLength(); // chooses the provider now, not on the first clone
            return prototype;
        }, m -> (Mac) m.clone());
    }

    private interface Factory<T> {
        T make(String algorithm) throws GeneralSecurityException;
    }

    private interface Copier<T> {
        T copy(T prototype) throws CloneNotSupportedException;
    }

    /** A copy of the prototype for {@code algorithm} in {@code prototypes}, which {@code factory} makes the first time. */
    private static <T> T cloneOf(Map<String, T> prototypes, String algorithm, Factory<T> factory, Copier<T> copier) {
        T prototype = prototypes.computeIfAbsent(algorithm, a -> {
            try {
                return factory.make(a);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK lacks " + a, e);
            }
        });
        try {
            return copier.copy(prototype);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JDK's " + algorithm + " cannot be cloned", e);
        }
    }

    /** A new {@link Cipher} for {@code transformation} ("AES/GCM/NoPadding"). */
    public static Cipher cipher(String transformation) {
        try {
            Provider provider = CIPHER_PROVIDERS.computeIfAbsent(transformation, t -> {
                try {
                    return Cipher.getInstance(t).getProvider();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("this JDK lacks " + t, e);
                }
            });
            return Cipher.getInstance(transformation, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + transformation, e);
        }
    }
}
