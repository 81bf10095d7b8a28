package io.eddyrtc.examples.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.TransportProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * Just enough SDP for the interop tests while eddy's SdpApi is not wired into the {@code Rtc}: a
 * one-section data channel description carrying the {@code Rtc}'s ICE credentials, host candidate and
 * DTLS fingerprint, and reading the peer's ICE attributes and fingerprint back.
 */
final class HandWrittenSdp {
    private HandWrittenSdp() {
    }

    /** A data channel offer or answer for {@code rtc} listening on {@code address}. */
    static String dataChannel(Rtc rtc, InetSocketAddress address, String setup, String mid) {
        IceCredentials ice = rtc.directApi().localIceCredentials();
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + mid,
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + ice.ufrag(),
                "a=ice-pwd:" + ice.pwd(),
                "a=fingerprint:" + rtc.directApi().localDtlsFingerprint().toSdpValue(),
                "a=setup:" + setup,
                "a=mid:" + mid,
                "a=sctp-port:5000",
                "a=max-message-size:262144",
                "a=" + Candidate.host(address).toSdpString(),
                "a=end-of-candidates",
                "");
    }

    /** The peer's ICE attributes and DTLS fingerprint from its description, into {@code rtc}. */
    static void takeRemote(Rtc rtc, String sdp) {
        rtc.directApi().setRemoteFingerprint(Fingerprint.parse(attribute(sdp, "fingerprint")));
        takeRemoteIce(rtc, sdp);
    }

    /** The peer's ufrag, password and UDP IPv4 candidates from its description, into {@code rtc}. */
    static void takeRemoteIce(Rtc rtc, String sdp) {
        rtc.directApi().setRemoteIceCredentials(new IceCredentials(attribute(sdp, "ice-ufrag"), attribute(sdp, "ice-pwd")));
        int candidates = 0;
        for (String line : sdp.split("\r\n")) {
            Candidate c = line.startsWith("a=candidate:") ? Candidate.tryParse(line) : null;
            if (c != null && c.transport() == TransportProtocol.UDP && c.address().getAddress() instanceof Inet4Address) {
                rtc.addRemoteCandidate(c);
                candidates++;
            }
        }
        assertTrue(candidates > 0, "the peer's description carries UDP IPv4 candidates:\n" + sdp);
    }

    /** The value of the first {@code a=name:value} line. */
    static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3).trim();
            }
        }
        throw new AssertionError("no a=" + name + " in\n" + sdp);
    }
}
