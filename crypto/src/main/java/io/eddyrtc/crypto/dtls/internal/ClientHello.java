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
        List<Integer> groups = new ArrayList<>();
        List<Integer> signatures = new ArrayList<>();
        List<SrtpProfile> srtp = new ArrayList<>();
        boolean ems = false;
        if (r.remaining() > 0) {
            TlsReader extensions = r.slice(r.u16());
            while (extensions.remaining() > 0) {
                int type = extensions.u16();
                TlsReader data = extensions.slice(extensions.u16());
                switch (type) {
                    case EXT_SUPPORTED_GROUPS -> readU16List(data, groups);
                    case EXT_SIGNATURE_ALGORITHMS -> readU16List(data, signatures);
                    case EXT_USE_SRTP -> {
                        TlsReader list = data.slice(data.u16());
                        while (list.remaining() >= 2) {
                            SrtpProfile p = SrtpProfile.fromId(list.u16());
                            if (p != null) {
                                srtp.add(p);
                            }
                        }
                    }
                    case EXT_EXTENDED_MASTER_SECRET -> ems = true;
                    default -> { }
                }
            }
        }
        return new ClientHello(version, random, cookie, suites, groups, signatures, srtp, ems);
    }

    private static void readU16List(TlsReader data, List<Integer> into) throws DecodeException {
        TlsReader list = data.slice(data.u16());
        while (list.remaining() >= 2) {
            into.add(list.u16());
        }
    }
}
