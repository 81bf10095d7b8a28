package io.eddyrtc.crypto.dtls.internal;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A server's secret for stateless cookies (RFC 6347 §4.2.1, RFC 9147 §5.1): an HMAC-SHA256 key from the
 * handshake's {@code SecureRandom}, MACs bound to the client's address, zeroed once a ClientHello is
 * answered (no more cookies to check) or the connection ends.
 */
final class CookieSecret {
    private final byte[] key = new byte[32];

    CookieSecret(SecureRandom secure) {
        secure.nextBytes(key);
    }

    /** HMAC-SHA256 of the client's address and port, then {@code length} bytes of {@code data}. */
    byte[] mac(InetSocketAddress source, byte[] data, int length) {
        try {
            Mac mac = Jca.mac("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            if (source != null) {
                mac.update(source.getAddress().getAddress());
                mac.update((byte) (source.getPort() >>> 8));
                mac.update((byte) source.getPort());
            }
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256", e);
        }
    }

    boolean held() {
        int any = 0;
        for (byte b : key) {
            any |= b;
        }
        return any != 0;
    }

    void destroy() {
        Arrays.fill(key, (byte) 0);
    }
}
