package io.eddyrtc.crypto.dtls;

import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Vector;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * BouncyCastle's threaded DTLS 1.2 (bctls) as an independent peer: it runs its blocking handshake on its
 * own thread over an in-memory datagram pair, while the test drives the eddy endpoint. Both ask for a
 * certificate from the other (BouncyCastle's ECDSA P-256, or RSA: {@link #rsa}), negotiate use_srtp and
 * export the SRTP keys.
 */
final class BouncyCastlePeer {
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    final BlockingQueue<byte[]> toPeer = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> fromPeer = new LinkedBlockingQueue<>();
    final JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
    final byte[] certificateDer;
    final java.security.PrivateKey privateKey;
    private final SignatureAndHashAlgorithm signature;
    volatile byte[] peerCertificate;
    volatile byte[] exported;
    volatile int srtpProfileId = -1;
    volatile DTLSTransport transport;
    volatile Throwable failure;
    private Thread thread;

    BouncyCastlePeer(DtlsCertificate certificate) {
        this(certificate.der(), certificate.privateKey(), ECDSA_SHA256);
    }

    private BouncyCastlePeer(byte[] certificateDer, java.security.PrivateKey privateKey, SignatureAndHashAlgorithm signature) {
        this.certificateDer = certificateDer;
        this.privateKey = privateKey;
        this.signature = signature;
    }

    /** A peer whose certificate is a self-signed RSA one of {@code bits}, signing with RSA PKCS#1 and SHA-256. */
    static BouncyCastlePeer rsa(int bits) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, DtlsPair.fixedRandom(bits));
        java.security.KeyPair keys = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=rsa-peer");
        java.util.Date from = java.util.Date.from(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        java.util.Date to = java.util.Date.from(java.time.Instant.parse("2027-01-01T00:00:00Z"));
        byte[] der = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(bits), from, to, name,
                keys.getPublic()).build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))
                .getEncoded();
        return new BouncyCastlePeer(der, keys.getPrivate(), SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
    }

    /** The peer's certificate's SHA-256 fingerprint, for eddy's side. */
    Fingerprint fingerprint() {
        return Fingerprint.sha256(certificateDer);
    }

    boolean isRsa() {
        return signature.getSignature() == SignatureAlgorithm.rsa;
    }

    /** The in-memory "socket": what BC sends lands in {@link #fromPeer}, what it receives comes from {@link #toPeer}. */
    private final DatagramTransport pipe = new DatagramTransport() {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1150;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] d = toPeer.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] d = new byte[len];
            System.arraycopy(buf, off, d, 0, len);
            fromPeer.add(d);
        }

        @Override
        public void close() {
        }
    };

    private Certificate bcCertificate() throws IOException {
        TlsCertificate c = crypto.createCertificate(certificateDer);
        return new Certificate(new TlsCertificate[] {c});
    }

    private TlsCredentialedSigner signer(TlsContext context) throws IOException {
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, bcCertificate(), signature);
    }

    private void export(TlsContext context) {
        SrtpProfile p = SrtpProfile.fromId(srtpProfileId);
        exported = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null,
                io.eddyrtc.crypto.srtp.SrtpKeyingMaterial.exporterLength(p));
    }

    /** BC as the DTLS server (eddy is the client). */
    void startServer(int[] srtpProfiles) {
        DefaultTlsServer server = new DefaultTlsServer(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return isRsa() ? new int[] {CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
                        : new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};
            }

            @Override
            public CertificateRequest getCertificateRequest() {
                Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
                algorithms.add(ECDSA_SHA256);
                return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign}, algorithms, null);
            }

            @Override
            public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
                peerCertificate = clientCertificate.getCertificateAt(0).getEncoded();
            }

            @Override
            protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
                return signer(context);
            }

            @Override
            protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
                return signer(context);
            }

            @Override
            @SuppressWarnings({"rawtypes", "unchecked"})
            public void processClientExtensions(Hashtable clientExtensions) throws IOException {
                super.processClientExtensions(clientExtensions);
                UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
                for (int mine : srtpProfiles) {
                    for (int theirs : offered.getProtectionProfiles()) {
                        if (mine == theirs && srtpProfileId < 0) {
                            srtpProfileId = mine;
                        }
                    }
                }
            }

            @Override
            @SuppressWarnings({"rawtypes", "unchecked"})
            public Hashtable getServerExtensions() throws IOException {
                Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
                TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {srtpProfileId}, TlsUtils.EMPTY_BYTES));
                return extensions;
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                export(context);
            }
        };
        run(() -> transport = new DTLSServerProtocol().accept(server, pipe));
    }

    /** BC as the DTLS client (eddy is the server). */
    void startClient(int[] srtpProfiles) {
        DefaultTlsClient client = new DefaultTlsClient(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
            }

            @Override
            @SuppressWarnings({"rawtypes", "unchecked"})
            public Hashtable getClientExtensions() throws IOException {
                Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
                TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(srtpProfiles, TlsUtils.EMPTY_BYTES));
                return extensions;
            }

            @Override
            @SuppressWarnings("rawtypes")
            public void processServerExtensions(Hashtable serverExtensions) throws IOException {
                super.processServerExtensions(serverExtensions);
                srtpProfileId = TlsSRTPUtils.getUseSRTPExtension(serverExtensions).getProtectionProfiles()[0];
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                        peerCertificate = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                        return signer(context);
                    }
                };
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                export(context);
            }
        };
        run(() -> transport = new DTLSClientProtocol().connect(client, pipe));
    }

    private interface Handshake {
        void run() throws IOException;
    }

    private void run(Handshake handshake) {
        thread = Thread.ofPlatform().daemon().name("bctls-peer").start(() -> {
            try {
                handshake.run();
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    boolean finished() {
        return transport != null || failure != null;
    }
}
