package io.eddyrtc.examples.httppost;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The HTTPS server's key and certificate chain: self-signed, made at start, or read from PEM files. A
 * browser opens the camera only on a secure origin, and a page from another machine is one only over
 * HTTPS; a self-signed certificate makes the browser ask once, as str0m's example does.
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain) {
    private static final char[] KEY_STORE_PASSWORD = "eddy".toCharArray(); // guards nothing: the store lives in memory

    public TlsIdentity {
        if (key == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS identity needs a private key and at least one certificate");
        }
        chain = List.copyOf(chain);
    }

    /**
     * A new ECDSA P-256 key and a certificate for it, valid for a year from now, naming {@code localhost},
     * the loopback addresses and {@code addresses} (the ones the page is served on), so a client that
     * trusts this certificate also accepts the name it connects to.
     */
    public static TlsIdentity selfSigned(List<InetAddress> addresses) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=eddy example server");
            Instant now = Instant.now();
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(addresses));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new TlsIdentity(keys.getPrivate(), List.of(new JcaX509CertificateConverter().getCertificate(holder)));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("could not make a self-signed certificate", e);
        }
    }

    private static GeneralNames subjectAltNames(List<InetAddress> addresses) {
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        for (InetAddress a : addresses) {
            if (!a.isAnyLocalAddress()) {
                ips.add(a.getHostAddress());
            }
        }
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /**
     * Reads a certificate chain ({@code CERTIFICATE} blocks, the server's first) and an unencrypted private
     * key ({@code PRIVATE KEY}, {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}) from PEM files, such as
     * {@code mkcert} or Let's Encrypt write.
     */
    public static TlsIdentity fromPem(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(certificateFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(in)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o; (o = pem.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(certificateFile + ": not a usable certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + " holds no PEM CERTIFICATE block");
        }
        try (Reader in = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(in)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o; (o = pem.readObject()) != null; ) {
                switch (o) {
                    case PEMKeyPair pair -> {
                        return new TlsIdentity(converter.getPrivateKey(pair.getPrivateKeyInfo()), chain);
                    }
                    case PrivateKeyInfo info -> {
                        return new TlsIdentity(converter.getPrivateKey(info), chain);
                    }
                    default -> { } // EC PARAMETERS and the like come before the key
                }
            }
        }
        throw new IOException(keyFile + " holds no unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /** The server's own certificate (the chain's first). */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** The certificate's SHA-256 fingerprint, to compare with what the browser shows. */
    public String fingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An {@link SSLContext} that serves this identity. */
    public SSLContext sslContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, KEY_STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, KEY_STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the key does not match a TLS key type the JDK serves: " + e.getMessage(), e);
        }
    }
}
