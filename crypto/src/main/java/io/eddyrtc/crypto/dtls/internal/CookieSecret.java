package io.eddyrtc.crypto.dtls.internal;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A server's secret for stateless cookies (RFC 6347 §4.2.1, RFC 9147 §5.1): an HMAC-SHA256 key from the
 * handshake's {@code SecureRandom}, drawn when the first cookie is made or checked (a server without cookies
 * never draws one), MACs bound to the client's address, zeroed once a ClientHello is answered (no more
 * cookies to check) or the connection ends.
 */
final class CookieSecret {
    private final SecureRandom secure;
    private byte[] key;
    private boolean destroyed;

    CookieSecret(SecureRandom secure) {
        this.secure = secure;
    }

    /** HMAC-SHA256 of the client's address and port, then {@code length} bytes of {@code data}. */
    byte[] mac(InetSocketAddress source, byte[] data, int length) {
        if (key == null) {
            key = new byte[32];
            if (!destroyed) {
                secure.nextBytes(key);
            }
        }
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
        for (byte b : key == null ? new byte[0] : key) {
            any |= b;
        }
        return any != 0;
    }

    void destroy() {
        destroyed = true;
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
    }
}
