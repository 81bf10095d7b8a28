package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.examples.browser.HeadlessChromium;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The real Chromium and eddy's default DTLS (1.3 and 1.2, X25519MLKEM768 preferred) over loopback UDP, with
 * eddy as the DTLS server (it answers Chromium's offer {@code a=setup:passive}) and as the DTLS client (its
 * default {@code a=setup:active} answer): both negotiate DTLS 1.3 with the post-quantum hybrid, Chromium's
 * camera reaches eddy as frames (SRTP keyed by the 1.3 exporter) and its data channel messages come back
 * through eddy's echo. Each side's view is asserted: eddy's {@code Rtc} and Chromium's {@code getStats()}
 * transport ({@code tlsVersion}, {@code dtlsCipher}, {@code srtpCipher}, {@code dtlsRole}). Chromium with
 * DTLS 1.3 switched off ({@code --force-fieldtrials=WebRTC-ForceDtls13/Disabled/}, which takes 1.3 out of its
 * ClientHello) still connects, in DTLS 1.2.
 */
class ChromiumDtls13Test {
    /** Chromium's transport statistics, the DTLS fields. */
    private static final String TRANSPORT_STATS = """
            async () => {
              const stats = await eddy.state.pc.getStats();
              let t = null;
              stats.forEach(s => { if (s.type === 'transport') t = s; });
              return t && { tlsVersion: t.tlsVersion, dtlsCipher: t.dtlsCipher, srtpCipher: t.srtpCipher,
                            dtlsRole: t.dtlsRole, dtlsState: t.dtlsState, tlsGroup: t.tlsGroup ?? null };
            }""";

    /** Makes the page's peer connection use an RSA certificate (Chromium's default is ECDSA P-256). */
    private static final String RSA_CERTIFICATE = """
            async () => {
              const cert = await RTCPeerConnection.generateCertificate({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
                  publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' });
              const Original = window.RTCPeerConnection;
              window.RTCPeerConnection = function (config) { return new Original({ ...(config || {}), certificates: [cert] }); };
              window.RTCPeerConnection.prototype = Original.prototype;
              window.RTCPeerConnection.generateCertificate = Original.generateCertificate;
            }""";

    /** The key algorithm of Chromium's own certificate, from its certificate statistics. */
    private static final String LOCAL_CERTIFICATE = """
            async () => {
              const stats = await eddy.state.pc.getStats();
              let transport = null;
              stats.forEach(s => { if (s.type === 'transport') transport = s; });
              return transport && stats.get(transport.localCertificateId).base64Certificate;
            }""";

    /** What one call showed: eddy's negotiated parameters, Chromium's transport statistics and certificate, frames and echoes. */
    private record Call(DtlsVersion version, DtlsCipherSuite suite, NamedGroup group, Map<String, Object> chromium,
                        long videoFrames, int echoed, String version156, String chromiumKey) {}

    @Test
    void eddyAsDtlsServerNegotiatesDtls13WithX25519MLKEM768() throws Exception {
        Call call = call(Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build(), List.of());
        assertDtls13WithHybrid(call, "client");
    }

    @Test
    void eddyAsDtlsClientNegotiatesDtls13WithX25519MLKEM768() throws Exception {
        Call call = call(Rtc.builder().build(), List.of());
        assertDtls13WithHybrid(call, "server");
    }

    /**
     * Chromium 156 has no switch left to take DTLS 1.3 out of its hello ({@code WebRTC-ForceDtls13} is gone
     * from its binary; {@code /Disabled/} and {@code /Off/} change nothing, and {@code WebRTC-EnableDtlsPqc/Disabled/}
     * keeps the hybrid share), so the 1.2 path with Chromium is
     * shown from eddy's side: an {@code Rtc} configured for DTLS 1.2 alone answers Chromium's 1.3+1.2 hello in
     * 1.2, and Chromium reports FEFD.
     */
    @Test
    void anEddyConfiguredForDtls12AloneConnectsChromiumInDtls12() throws Exception {
        Call call = call(Rtc.builder().sdp(new SdpConfig().answerPassive(true))
                .dtls(DtlsConfig.defaults().withCookies(false).withVersions(DtlsVersion.DTLS_1_2)).build(), List.of());
        assertEquals(DtlsVersion.DTLS_1_2, call.version(), "eddy: " + call);
        assertEquals(NamedGroup.X25519, call.group(), "1.2 has no hybrid: " + call);
        assertEquals("FEFD", call.chromium().get("tlsVersion"), "Chromium: " + call);
        assertMediaAndDataFlowed(call);
    }

    /** An eddy without the hybrid among its groups gets DTLS 1.3 with X25519, the classical share Chromium sends beside it. */
    @Test
    void anEddyWithoutTheHybridGetsDtls13WithX25519() throws Exception {
        Call call = call(Rtc.builder().sdp(new SdpConfig().answerPassive(true)).dtls(DtlsConfig.defaults().withCookies(false)
                .withGroups(List.of(NamedGroup.X25519, NamedGroup.SECP256R1))).build(), List.of());
        assertEquals(DtlsVersion.DTLS_1_3, call.version(), "eddy: " + call);
        assertEquals(NamedGroup.X25519, call.group(), "eddy: " + call);
        assertEquals("FEFC", call.chromium().get("tlsVersion"), "Chromium: " + call);
        assertMediaAndDataFlowed(call);
    }

    /** Chromium with an RSA certificate: as DTLS 1.3 client it signs its CertificateVerify with RSA-PSS, which eddy verifies. */
    @Test
    void chromiumWithAnRsaCertificateConnectsInDtls13() throws Exception {
        Call call = call(Rtc.builder().sdp(new SdpConfig().answerPassive(true)).build(), List.of(), RSA_CERTIFICATE);
        assertEquals("RSA", call.chromiumKey(), "Chromium used its RSA certificate: " + call);
        assertDtls13WithHybrid(call, "client");
    }

    /** As a DTLS 1.2 server with an RSA certificate Chromium chooses an ECDHE_RSA suite, which eddy's client offers. */
    @Test
    void chromiumWithAnRsaCertificateConnectsInDtls12() throws Exception {
        Call call = call(Rtc.builder().dtls(DtlsConfig.defaults().withCookies(false).withVersions(DtlsVersion.DTLS_1_2)).build(),
                List.of(), RSA_CERTIFICATE);
        assertEquals("RSA", call.chromiumKey(), "Chromium used its RSA certificate: " + call);
        assertEquals(DtlsVersion.DTLS_1_2, call.version(), "eddy: " + call);
        assertEquals("RSA", call.suite().serverKey(), "an ECDHE_RSA suite: " + call);
        assertEquals("server", call.chromium().get("dtlsRole"), "Chromium is the DTLS server: " + call);
        assertMediaAndDataFlowed(call);
    }

    private static void assertDtls13WithHybrid(Call call, String chromiumRole) {
        assertEquals(DtlsVersion.DTLS_1_3, call.version(), "eddy: " + call);
        assertEquals(NamedGroup.X25519MLKEM768, call.group(), "eddy: " + call);
        assertEquals(DtlsVersion.DTLS_1_3, call.suite().version(), "a 1.3 suite: " + call);
        assertEquals("FEFC", call.chromium().get("tlsVersion"), "Chromium says DTLS 1.3: " + call);
        assertEquals(call.suite().name(), call.chromium().get("dtlsCipher"), "Chromium names the same suite: " + call);
        assertEquals(chromiumRole, call.chromium().get("dtlsRole"), "Chromium's DTLS role: " + call);
        Object group = call.chromium().get("tlsGroup");
        if (group != null) { // exposed by newer Chromiums only
            assertEquals("X25519MLKEM768", group, "Chromium's group: " + call);
        }
        assertMediaAndDataFlowed(call);
        System.out.println("Chromium " + call.version156() + " and eddy: " + call.version() + ", " + call.suite() + ", " + call.group()
                + "; Chromium's transport stats " + call.chromium());
    }

    private static void assertMediaAndDataFlowed(Call call) {
        assertTrue(call.chromium().get("srtpCipher") != null, "SRTP keyed from DTLS: " + call);
        assertTrue(call.videoFrames() >= 10, "Chromium's camera frames reached eddy (SRTP from the exporter's keys): " + call);
        assertEquals(3, call.echoed(), "every data channel message came back: " + call);
    }

    /** Chromium offers camera video and a data channel; {@code rtc} answers; the call runs until frames and echoes arrived. */
    private static Call call(Rtc rtc, List<String> chromiumFlags) throws Exception {
        return call(rtc, chromiumFlags, null);
    }

    private static Call call(Rtc rtc, List<String> chromiumFlags, String beforeConnect) throws Exception {
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (UdpRunLoop loop = new UdpRunLoop(rtc, new InetSocketAddress("127.0.0.1", 0));
             SignalingServer server = Answering.server(rtc, loop);
             HeadlessChromium chromium = HeadlessChromium.launch(chromiumFlags)) {
            Page page = chromium.open(server.url());
            if (beforeConnect != null) {
                page.evaluate(beforeConnect);
            }
            page.evaluate("eddy.addCam(320, 240)");
            page.evaluate("eddy.connect()");
            Thread driver = Thread.ofPlatform().name("eddy-loop").start(() -> {
                try {
                    loop.run(e -> {
                        events.add(e instanceof Event.ChannelData d ? d.copy() : e); // a message is lent: keep a copy
                        if (e instanceof Event.ChannelData d) {
                            rtc.channel(d.id()).write(d.binary(), d.data());
                        }
                    }, stop::get);
                } catch (Exception e) {
                    events.add(new Event.DtlsFailed(e.toString()));
                }
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> transport;
            int echoed;
            String chromiumKey;
            try {
                page.waitForFunction("() => eddy.state.dtlsState === 'connected' || eddy.state.iceConnectionState === 'connected'", null,
                        new Page.WaitForFunctionOptions().setTimeout(20_000));
                page.evaluate("eddy.waitChannelOpen(20000)");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> results = (List<Map<String, Object>>) page.evaluate("eddy.echo([1, 1200, 16384], 20000)");
                echoed = (int) results.stream().filter(r -> Boolean.TRUE.equals(r.get("intact"))).count();
                long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < giveUp && frames(events) < 10) {
                    Thread.sleep(20); // waiting on a condition with a generous bound: the camera's frames
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> stats = (Map<String, Object>) page.evaluate(TRANSPORT_STATS);
                transport = stats;
                chromiumKey = keyAlgorithm((String) page.evaluate(LOCAL_CERTIFICATE));
            } finally {
                stop.set(true);
                driver.join();
            }
            assertTrue(events.stream().noneMatch(e -> e instanceof Event.DtlsFailed), "no DTLS failure: " + events);
            return new Call(rtc.dtlsVersion(), rtc.dtlsCipherSuite(), rtc.dtlsGroup(), transport, frames(events), echoed, chromium.version(),
                    chromiumKey);
        }
    }

    private static String keyAlgorithm(String base64Certificate) throws Exception {
        if (base64Certificate == null) {
            return null;
        }
        return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64Certificate))).getPublicKey().getAlgorithm();
    }

    private static long frames(ConcurrentLinkedQueue<Event> events) {
        return events.stream().filter(e -> e instanceof Event.MediaData).count();
    }
}
