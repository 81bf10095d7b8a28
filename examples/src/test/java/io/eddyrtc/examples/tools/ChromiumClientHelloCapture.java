package io.eddyrtc.examples.tools;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import io.eddyrtc.examples.browser.HeadlessChromium;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Captures the DTLS ClientHello flight a real Chromium sends, for the DTLS server's fixture tests.
 *
 * <p>Chromium only starts DTLS once ICE has a working pair, so this tool plays a minimal ICE-lite,
 * DTLS-passive answerer: it has Chromium (Debian's, driven headless by Playwright) create a data
 * channel offer, answers it with {@code a=ice-lite}, {@code a=setup:passive} and one host candidate on
 * a loopback UDP socket, answers Chromium's STUN binding requests (MESSAGE-INTEGRITY with the answer's
 * ice-pwd, FINGERPRINT), and writes the first DTLS datagrams Chromium then sends, one file each, until
 * the ClientHello is complete. It never answers the ClientHello.
 *
 * <p>Run (with {@code JAVA_HOME} at a JDK 25), from {@code examples/} after {@code ./eddy build}:
 * {@code mvn -q dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=/tmp/cp.txt} and
 * {@code java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt)
 * io.eddyrtc.examples.tools.ChromiumClientHelloCapture OUTPUT_DIR}. Needs {@code /usr/bin/chromium} (Debian
 * package chromium). Test tooling, not library and not an example: it reads the clock, opens sockets and
 * drives a browser through Playwright, which stays off the examples' runtime class path.
 */
public final class ChromiumClientHelloCapture {
    private static final String UFRAG = "eddycap";
    private static final String PWD = "eddycaptureclienthello0";
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final String PAGE = """
            <!doctype html><title>capture</title><script>
            async function offer() {
              window.pc = new RTCPeerConnection();
              window.dc = pc.createDataChannel('capture');
              await pc.setLocalDescription(await pc.createOffer());
              await new Promise(r => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 2000); });
              return pc.localDescription.sdp;
            }
            async function answer(sdp) { await pc.setRemoteDescription({type: 'answer', sdp}); }
            </script>""";

    private ChromiumClientHelloCapture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args.length > 0 ? args[0] : "chromium-client-hello");
        Files.createDirectories(out);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                HeadlessChromium browser = HeadlessChromium.launch()) {
            Page page = browser.open("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            String offer = (String) page.evaluate("offer()");
            String mid = attribute(offer, "a=mid:");
            String answer = answerFor(mid, udp.getLocalPort());
            page.evaluate("sdp => answer(sdp)", answer);
            List<byte[]> flight = capture(udp);
            for (int i = 0; i < flight.size(); i++) {
                Files.write(out.resolve("client-hello-" + (i + 1) + ".bin"), flight.get(i));
            }
            Files.writeString(out.resolve("offer.sdp"), offer);
            Files.writeString(out.resolve("versions.txt"), "browser: " + browser.version() + "\nplaywright-java: "
                    + Playwright.class.getPackage().getImplementationVersion() + "\n");
            System.out.println("captured " + flight.size() + " DTLS datagram(s) from Chromium " + browser.version() + " into " + out);
        } finally {
            http.stop(0);
        }
    }

    private static String answerFor(String mid, int port) {
        byte[] fakeCertDigest = new byte[32]; // never checked: the handshake is not answered
        return String.join("\r\n",
                "v=0",
                "o=- 4242 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + mid,
                "a=ice-lite",
                "m=application " + port + " UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 127.0.0.1",
                "a=mid:" + mid,
                "a=ice-ufrag:" + UFRAG,
                "a=ice-pwd:" + PWD,
                "a=fingerprint:sha-256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(fakeCertDigest),
                "a=setup:passive",
                "a=sctp-port:5000",
                "a=max-message-size:262144",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host",
                "a=end-of-candidates",
                "");
    }

    /** Answers STUN until DTLS arrives, then collects DTLS datagrams until the ClientHello is whole. */
    private static List<byte[]> capture(DatagramSocket udp) throws IOException, GeneralSecurityException {
        List<byte[]> dtls = new ArrayList<>();
        byte[] buf = new byte[4096];
        udp.setSoTimeout(500);
        long giveUp = System.nanoTime() + 20_000_000_000L;
        int helloBytesNeeded = -1;
        int helloBytesSeen = 0;
        while (System.nanoTime() < giveUp) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            byte[] datagram = java.util.Arrays.copyOf(p.getData(), p.getLength());
            int first = datagram[0] & 0xFF;
            if (first <= 3 && datagram.length >= 20 && (datagram[0] << 8 | (datagram[1] & 0xFF)) == 0x0001) {
                byte[] response = bindingSuccess(datagram, (InetSocketAddress) p.getSocketAddress());
                udp.send(new DatagramPacket(response, response.length, p.getSocketAddress()));
            } else if (first >= 20 && first <= 63) {
                dtls.add(datagram);
                // DTLS record header 13 bytes; handshake header 12: type, length(3), seq(2), frag offset(3), frag length(3).
                ByteBuffer b = ByteBuffer.wrap(datagram);
                while (b.remaining() >= 13 + 12) {
                    int contentType = b.get(b.position()) & 0xFF;
                    int recordLength = b.getShort(b.position() + 11) & 0xFFFF;
                    if (contentType == 22) {
                        int h = b.position() + 13;
                        int type = b.get(h) & 0xFF;
                        int length = (b.getShort(h + 1) & 0xFFFF) << 8 | (b.get(h + 3) & 0xFF);
                        int fragmentLength = (b.getShort(h + 9) & 0xFFFF) << 8 | (b.get(h + 11) & 0xFF);
                        if (type == 1) {
                            helloBytesNeeded = length;
                            helloBytesSeen += fragmentLength;
                        }
                    }
                    b.position(Math.min(b.limit(), b.position() + 13 + recordLength));
                }
                if (helloBytesNeeded >= 0 && helloBytesSeen >= helloBytesNeeded) {
                    return dtls;
                }
            }
        }
        throw new IOException("Chromium sent no complete DTLS ClientHello within 20 s (" + dtls.size() + " DTLS datagrams seen)");
    }

    private static byte[] bindingSuccess(byte[] request, InetSocketAddress from) throws GeneralSecurityException {
        byte[] address = from.getAddress().getAddress();
        int port = from.getPort();
        ByteBuffer m = ByteBuffer.allocate(20 + 12 + 24 + 8);
        m.putShort((short) 0x0101).putShort((short) 0).putInt(MAGIC_COOKIE).put(request, 8, 12);
        m.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                .putShort((short) (port ^ (MAGIC_COOKIE >>> 16)))
                .putInt(ByteBuffer.wrap(address).getInt() ^ MAGIC_COOKIE);
        // MESSAGE-INTEGRITY: the length field counts up to and including this attribute.
        m.putShort(2, (short) (m.position() - 20 + 24));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(PWD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        mac.update(m.array(), 0, m.position());
        byte[] integrity = mac.doFinal();
        m.putShort((short) 0x0008).putShort((short) 20).put(integrity);
        m.putShort(2, (short) (m.position() - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(m.array(), 0, m.position());
        m.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554E);
        return m.array();
    }

    private static String attribute(String sdp, String prefix) {
        return sdp.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()).strip())
                .orElseThrow(() -> new IllegalStateException("offer has no " + prefix));
    }
}
