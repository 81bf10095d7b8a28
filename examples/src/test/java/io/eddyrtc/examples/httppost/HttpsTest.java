package io.eddyrtc.examples.httppost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --https}: the page and the offer over TLS, with a self-signed certificate made at start or one read
 * from PEM files.
 */
class HttpsTest {

    @Test
    void aClientTrustingTheSelfSignedCertificatePostsAnOfferAndConnects() throws Exception {
        TlsIdentity tls = TlsIdentity.selfSigned(List.of(InetAddress.getLoopbackAddress()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (HttpPostServer server = HttpPostServer.start(ServerOptions.loopback().withTls(tls), new PrintStream(log, true, StandardCharsets.UTF_8));
             HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(tls)).build();
             HttpClient stranger = HttpClient.newHttpClient();
             JoiningPeer peer = JoiningPeer.withChannel()) {
            assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
            HttpResponse<String> page = trusting.send(HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"client.js\">"));
            assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate is turned away by TLS");
            HttpResponse<String> answer = peer.join(trusting, server.url());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith("{\"type\":\"answer\""), answer.body());
            assertTrue(JoiningPeer.await(() -> peer.connected() && peer.channelsOpen() == 1, Duration.ofSeconds(30)),
                    "the peer that joined over HTTPS connects: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void pemFilesGiveTheIdentityTheyHold(@TempDir Path dir) throws Exception {
        TlsIdentity made = TlsIdentity.selfSigned(List.of());
        Path cert = dir.resolve("cert.pem");
        Path pkcs8 = dir.resolve("key.pem");
        Path sec1 = dir.resolve("ec-key.pem");
        writePem(cert, made.certificate());
        writePem(pkcs8, new PemObject("PRIVATE KEY", made.key().getEncoded()));
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(made.key().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey()); // as openssl writes it: with the curve
        ECPrivateKey ec = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        writePem(sec1, new PemObject("EC PRIVATE KEY", ec.getEncoded()));
        for (Path key : List.of(pkcs8, sec1)) {
            TlsIdentity read = TlsIdentity.fromPem(cert, key);
            assertEquals(made.fingerprint(), read.fingerprint());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(read.key());
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(made.certificate().getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertTrue(verifier.verify(signature), key.getFileName() + " holds the certificate's key");
        }
        Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        Exception noCert = assertThrows(java.io.IOException.class, () -> TlsIdentity.fromPem(dir.resolve("empty.pem"), pkcs8));
        assertTrue(noCert.getMessage().contains("no PEM CERTIFICATE"), noCert.getMessage());
        Exception noKey = assertThrows(java.io.IOException.class, () -> TlsIdentity.fromPem(cert, cert));
        assertTrue(noKey.getMessage().contains("no unencrypted PEM private key"), noKey.getMessage());
    }

    /** An SSL context that trusts {@code tls}'s certificate and nothing else. */
    static SSLContext trusting(TlsIdentity tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("server", tls.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void writePem(Path file, Object pem) throws Exception {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pem);
        }
    }
}
