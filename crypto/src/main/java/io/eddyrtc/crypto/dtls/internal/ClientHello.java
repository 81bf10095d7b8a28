package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.util.ArrayList;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_EXTENDED_MASTER_SECRET;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_SIGNATURE_ALGORITHMS;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_SUPPORTED_GROUPS;
import static io.eddyrtc.crypto.dtls.internal.Dtls.EXT_USE_SRTP;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RANDOM_LENGTH;

/**
 * What a server reads from a ClientHello (RFC 6347 §4.2.1, with the extensions eddy looks at): the rest,
 * session id and compression methods included, is skipped. Unknown suites, groups and SRTP profiles are
 * kept as numbers (suites, groups) or left out (profiles), so a hello from a newer client still parses.
 */
public record ClientHello(int version, byte[] random, byte[] cookie, List<Integer> suites, List<Integer> groups,
                          List<Integer> signatureSchemes, List<SrtpProfile> srtpProfiles, boolean extendedMasterSecret) {

    public static ClientHello parse(byte[] body) throws DecodeException {
        TlsReader r = new TlsReader(body);
        int version = r.u16();
        byte[] random = r.bytes(RANDOM_LENGTH);
        r.vector8(); // session id
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
        return new ClientHello(version, random, cookie, suites, u16List(extensions.get(EXT_SUPPORTED_GROUPS)),
                u16List(extensions.get(EXT_SIGNATURE_ALGORITHMS)), srtp, extensions.has(EXT_EXTENDED_MASTER_SECRET));
    }

    /** A list of 16-bit values with a 16-bit length in front (use_srtp's MKI after it is left unread). */
    private static List<Integer> u16List(TlsReader data) throws DecodeException {
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
