package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_COOKIE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_EXTENDED_MASTER_SECRET;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_KEY_SHARE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_SIGNATURE_ALGORITHMS;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_SUPPORTED_GROUPS;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_SUPPORTED_VERSIONS;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_USE_SRTP;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RANDOM_LENGTH;

/**
 * What a server reads from a ClientHello (RFC 6347 §4.2.1, RFC 9147 §5.3, with the extensions eddy looks
 * at): the rest, compression methods included, is skipped. Unknown suites, groups and SRTP profiles are
 * kept as numbers (suites, groups) or left out (profiles), so a hello from a newer client still parses.
 * {@code versions} is the supported_versions list (empty from a 1.2-only client), {@code keyShares} the
 * key_share entries by group, {@code cookieExtension} the 1.3 cookie (null if absent).
 */
public record ClientHello(int version, byte[] random, byte[] sessionId, byte[] cookie, List<Integer> suites, List<Integer> groups,
                          List<Integer> signatureSchemes, List<SrtpProfile> srtpProfiles, boolean extendedMasterSecret,
                          List<Integer> versions, Map<Integer, byte[]> keyShares, byte[] cookieExtension) {

    public static ClientHello parse(byte[] body) throws DecodeException {
        TlsReader r = new TlsReader(body);
        int version = r.u16();
        byte[] random = r.bytes(RANDOM_LENGTH);
        byte[] sessionId = r.vector8();
        byte[] cookie = r.vector8();
        TlsReader suiteList = r.slice(r.u16());
        r.vector8(); // compression methods
        List<Integer> suites = new ArrayList<>();
        while (suiteList.remaining() >= 2) {
            suites.add(suiteList.u16());
        }
        Extensions extensions = Extensions.read(r);
        List<SrtpProfile> srtp = new ArrayList<>();
        for (int id : u16List(extensions.get(EXT_USE_SRTP))) {
            SrtpProfile p = SrtpProfile.fromId(id);
            if (p != null) {
                srtp.add(p);
            }
        }
        List<Integer> versions = new ArrayList<>();
        TlsReader supportedVersions = extensions.get(EXT_SUPPORTED_VERSIONS);
        if (supportedVersions != null) {
            TlsReader list = supportedVersions.slice(supportedVersions.u8());
            while (list.remaining() >= 2) {
                versions.add(list.u16());
            }
        }
        Map<Integer, byte[]> shares = new LinkedHashMap<>();
        TlsReader keyShare = extensions.get(EXT_KEY_SHARE);
        if (keyShare != null) {
            TlsReader list = keyShare.slice(keyShare.u16());
            while (list.remaining() > 0) {
                int group = list.u16();
                if (shares.put(group, list.vector16()) != null) {
                    throw new DecodeException("two key shares for group " + group);
                }
            }
        }
        TlsReader cookieExtension = extensions.get(EXT_COOKIE);
        return new ClientHello(version, random, sessionId, cookie, suites, u16List(extensions.get(EXT_SUPPORTED_GROUPS)),
                u16List(extensions.get(EXT_SIGNATURE_ALGORITHMS)), srtp, extensions.has(EXT_EXTENDED_MASTER_SECRET), versions, shares,
                cookieExtension == null ? null : cookieExtension.vector16());
    }

    /** Whether the client offers DTLS version {@code wire} in supported_versions. */
    public boolean offers(int wire) {
        return versions.contains(wire);
    }

    /** A list of 16-bit values with a 16-bit length in front (use_srtp's MKI after it is left unread). */
    static List<Integer> u16List(TlsReader data) throws DecodeException {
        List<Integer> values = new ArrayList<>();
        if (data != null) {
            TlsReader list = data.slice(data.u16());
            while (list.remaining() >= 2) {
                values.add(list.u16());
            }
        }
        return values;
    }
}
