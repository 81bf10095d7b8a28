package io.eddyrtc.crypto.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.internal.Hkdf;
import io.eddyrtc.crypto.dtls.internal.KeySchedule13;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS 1.3 exporter (RFC 8446 §7.5), which keys SRTP in DTLS 1.3, byte for byte against an independent
 * implementation: BouncyCastle's TLS 1.3 (bctls has no DTLS 1.3, and TLS differs only in the label prefix,
 * "tls13 " instead of "dtls13"). A BouncyCastle client and server handshake in memory (X25519MLKEM768 and
 * X25519); from the exporter master secret they agreed on, eddy's key schedule derives the same
 * "EXTRACTOR-dtls_srtp" bytes BouncyCastle exports, with no context (as RFC 5764 uses it) and with one.
 */
class BouncyCastleTls13ExporterTest {
    private static final int SRTP_EXPORT = 2 * (32 + 12); // AEAD_AES_256_GCM: two keys and two salts
    private static final byte[] CONTEXT = "a context".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(ints = {NamedGroup.X25519MLKEM768, NamedGroup.x25519})
    void eddysExporterMatchesBouncyCastlesTls13Exporter(int group) throws IOException {
        JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        class Client extends DefaultTlsClient {
            Client() {
                super(crypto);
            }

            byte[] noContext;
            byte[] withContext;
            byte[] exporterMaster;
            ProtocolVersion version;
            int negotiatedGroup;

            /** BouncyCastle exports only from here, while the handshake's secrets are at hand. */
            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                noContext = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, SRTP_EXPORT);
                withContext = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", CONTEXT, SRTP_EXPORT);
                exporterMaster = context.getSecurityParametersConnection().getExporterMasterSecret().extract();
                version = context.getSecurityParametersConnection().getNegotiatedVersion();
                negotiatedGroup = context.getSecurityParametersConnection().getNegotiatedGroup();
            }

            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {CipherSuite.TLS_AES_128_GCM_SHA256};
            }

            @Override
            @SuppressWarnings("rawtypes")
            protected java.util.Vector getSupportedGroups(java.util.Vector namedGroupRoles) {
                java.util.Vector<Integer> groups = new java.util.Vector<>();
                groups.add(group);
                return groups;
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                        // the test trusts the certificate it made
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest request) {
                        return null;
                    }
                };
            }
        }
        Client client = new Client();
        DefaultTlsServer server = new DefaultTlsServer(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.only();
            }

            @Override
            public int[] getSupportedGroups() {
                return new int[] {group};
            }

            @Override
            public TlsCredentials getCredentials() throws IOException {
                return getECDSASignerCredentials();
            }

            @Override
            protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
                TlsCertificate c = crypto.createCertificate(DtlsPair.SERVER_CERT.der());
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        DtlsPair.SERVER_CERT.privateKey(),
                        new Certificate(new byte[0], new org.bouncycastle.tls.CertificateEntry[] {new org.bouncycastle.tls.CertificateEntry(c, null)}),
                        SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
            }
        };
        TlsClientProtocol clientProtocol = new TlsClientProtocol();
        TlsServerProtocol serverProtocol = new TlsServerProtocol();
        serverProtocol.accept(server);
        clientProtocol.connect(client);
        for (int round = 0; round < 20 && !(clientProtocol.isConnected() && serverProtocol.isConnected()); round++) {
            move(clientProtocol, serverProtocol);
        }
        assertTrue(clientProtocol.isConnected() && serverProtocol.isConnected(), "BouncyCastle's TLS 1.3 pair connected");
        assertEquals(ProtocolVersion.TLSv13, client.version);
        assertEquals(group, client.negotiatedGroup);
        DtlsCipherSuite suite = DtlsCipherSuite.TLS_AES_128_GCM_SHA256;
        assertArrayEquals(client.noContext, KeySchedule13.export(suite, Hkdf.TLS13, client.exporterMaster, "EXTRACTOR-dtls_srtp",
                new byte[0], SRTP_EXPORT), "the SRTP exporter, no context");
        assertArrayEquals(client.withContext, KeySchedule13.export(suite, Hkdf.TLS13, client.exporterMaster, "EXTRACTOR-dtls_srtp",
                CONTEXT, SRTP_EXPORT), "with a context");
    }

    private static void move(TlsClientProtocol client, TlsServerProtocol server) throws IOException {
        byte[] buffer = new byte[65_536];
        for (int n; (n = client.readOutput(buffer, 0, buffer.length)) > 0; ) {
            server.offerInput(java.util.Arrays.copyOf(buffer, n));
        }
        for (int n; (n = server.readOutput(buffer, 0, buffer.length)) > 0; ) {
            client.offerInput(java.util.Arrays.copyOf(buffer, n));
        }
    }
}
