package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.srtp.SrtpProfile;

import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.*;

/**
 * The ClientHello eddy sends, for the versions its config speaks: one hello serves a 1.2 and a 1.3 server
 * alike (RFC 9147 §5.3). For 1.3 it carries supported_versions, key_share and, after a HelloRetryRequest,
 * the cookie; for 1.2 the extended master secret, renegotiation_info and point formats. It is rebuilt the
 * same way for a retry, so that only what the retry changes (cookie, key shares) differs.
 */
final class ClientHelloWriter {
    /** The signature schemes eddy verifies, its own (ecdsa_secp256r1_sha256) first. */
    static final int[] SIGNATURE_SCHEMES = {ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512,
            RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PSS_RSAE_SHA512, RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384,
            RSA_PSS_PSS_SHA512, RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512};

    /** One key_share entry. */
    record Share(NamedGroup group, byte[] publicKey) {}

    private ClientHelloWriter() {
    }

    static byte[] write(DtlsConfig config, byte[] random, byte[] legacyCookie, List<Share> shares, byte[] cookie) {
        boolean dtls13 = config.speaks(DtlsVersion.DTLS_1_3);
        boolean dtls12 = config.speaks(DtlsVersion.DTLS_1_2);
        TlsWriter w = new TlsWriter();
        w.u16(DTLS_1_2).bytes(random).u8(0).vector8(legacyCookie);
        int suites = w.beginLength(2);
        for (DtlsCipherSuite s : config.cipherSuites()) {
            if (config.speaks(s.version())) {
                w.u16(s.id());
            }
        }
        w.endLength(suites, 2);
        w.u8(1).u8(0); // compression: null only
        int extensions = w.beginLength(2);
        w.u16(EXT_SUPPORTED_GROUPS);
        int groups = w.beginLength(2);
        int list = w.beginLength(2);
        for (NamedGroup g : config.groups()) {
            if (dtls13 || g.inDtls12()) {
                w.u16(g.id());
            }
        }
        w.endLength(list, 2).endLength(groups, 2);
        w.u16(EXT_SIGNATURE_ALGORITHMS).u16(2 + 2 * SIGNATURE_SCHEMES.length).u16(2 * SIGNATURE_SCHEMES.length);
        for (int scheme : SIGNATURE_SCHEMES) {
            w.u16(scheme);
        }
        if (!config.srtpProfiles().isEmpty()) {
            w.u16(EXT_USE_SRTP);
            int srtp = w.beginLength(2);
            w.u16(2 * config.srtpProfiles().size());
            for (SrtpProfile p : config.srtpProfiles()) {
                w.u16(p.id());
            }
            w.u8(0); // no MKI
            w.endLength(srtp, 2);
        }
        if (dtls12) {
            w.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
            w.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
            w.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
        }
        if (dtls13) {
            w.u16(EXT_SUPPORTED_VERSIONS);
            int versions = w.beginLength(2);
            int versionList = w.beginLength(1);
            for (DtlsVersion v : config.versions()) {
                w.u16(v.wire());
            }
            w.endLength(versionList, 1).endLength(versions, 2);
            w.u16(EXT_KEY_SHARE);
            int keyShare = w.beginLength(2);
            int entries = w.beginLength(2);
            for (Share s : shares) {
                w.u16(s.group().id()).vector16(s.publicKey());
            }
            w.endLength(entries, 2).endLength(keyShare, 2);
            if (cookie != null) {
                w.cookieExtension(cookie);
            }
        }
        w.endLength(extensions, 2);
        return w.toByteArray();
    }
}
