package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.NamedGroup;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The cookie of a stateless DTLS 1.3 HelloRetryRequest (RFC 9147 §5.1, RFC 8446 §4.2.2): everything the
 * server needs to go on when the client comes back, so that it keeps nothing in between: the suite, the
 * group it asked a key share for (or none), and the hash of the first ClientHello (the transcript's
 * message_hash), authenticated with an HMAC under the server's secret and bound to the client's address.
 *
 * <p>{@code version(1) suite(2) group(2, 0 for none) hash_length(1) hash mac(32)}.
 */
record HelloRetryCookie(DtlsCipherSuite suite, NamedGroup group, byte[] firstHelloHash) {
    private static final int VERSION = 1;
    private static final int MAC = 32;

    static byte[] seal(DtlsCipherSuite suite, NamedGroup group, byte[] firstHelloHash, CookieSecret secret, InetSocketAddress source) {
        TlsWriter w = new TlsWriter().u8(VERSION).u16(suite.id()).u16(group == null ? 0 : group.id()).vector8(firstHelloHash);
        byte[] content = w.toByteArray();
        return w.bytes(secret.mac(source, content, content.length)).toByteArray();
    }

    /** The cookie's content if it is one we made for {@code source}, else null. */
    static HelloRetryCookie open(byte[] cookie, CookieSecret secret, InetSocketAddress source) {
        if (cookie.length < 6 + MAC) {
            return null;
        }
        int contentLength = cookie.length - MAC;
        if (!MessageDigest.isEqual(secret.mac(source, cookie, contentLength), Arrays.copyOfRange(cookie, contentLength, cookie.length))) {
            return null;
        }
        try {
            TlsReader r = new TlsReader(cookie, 0, contentLength);
            if (r.u8() != VERSION) {
                return null;
            }
            DtlsCipherSuite suite = DtlsCipherSuite.fromId(r.u16());
            int groupId = r.u16();
            byte[] hash = r.vector8();
            NamedGroup group = groupId == 0 ? null : NamedGroup.fromId(groupId);
            if (suite == null || r.remaining() != 0 || groupId != 0 && group == null) {
                return null;
            }
            return new HelloRetryCookie(suite, group, hash);
        } catch (TlsReader.DecodeException e) {
            return null;
        }
    }
}
