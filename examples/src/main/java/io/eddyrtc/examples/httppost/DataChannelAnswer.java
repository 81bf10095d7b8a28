package io.eddyrtc.examples.httppost;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.TransportProtocol;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A stopgap answerer for http-post until the SdpApi is wired into the {@code Rtc}: it reads the ICE
 * credentials, candidates, DTLS fingerprint and setup role from a browser's offer, sets the {@code Rtc}
 * up through its {@code DirectApi}, and answers the data channel section, and the audio and video sections
 * as receive-only with Opus and VP8 (what eddy can depacketize today), other codecs inactive.
 */
public final class DataChannelAnswer {
    private DataChannelAnswer() {
    }

    /** One m-section of the offer: its media kind, mid, first format and all its lines. */
    private record Section(String kind, String mid, String firstFormat, List<String> lines) {}

    /** The payload type of VP8 (video) or Opus (audio) in an offered section, or null. */
    private static String receivablePayloadType(Section s) {
        String wanted = s.kind().equals("video") ? " VP8/90000" : s.kind().equals("audio") ? " opus/48000" : null;
        if (wanted == null) {
            return null;
        }
        for (String l : s.lines()) {
            if (l.startsWith("a=rtpmap:") && l.contains(wanted)) {
                return l.substring(9, l.indexOf(' '));
            }
        }
        return null;
    }

    /** Sets {@code rtc} (listening on {@code local}) up from {@code offer} and returns the answer SDP. */
    public static String answer(Rtc rtc, InetSocketAddress local, String offer) {
        List<String> session = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        List<String> current = session;
        for (String line : offer.split("\r?\n")) {
            if (line.startsWith("m=")) {
                current = new ArrayList<>();
                String[] parts = line.substring(2).split(" ");
                sections.add(new Section(parts[0], null, parts.length > 3 ? parts[3] : "0", current));
            }
            current.add(line);
        }
        String ufrag = null;
        String pwd = null;
        String fingerprint = null;
        String setup = "actpass";
        List<Section> withMids = new ArrayList<>();
        for (Section s : sections) {
            String mid = null;
            for (String l : s.lines()) {
                if (l.startsWith("a=mid:")) {
                    mid = l.substring(6).trim();
                }
            }
            withMids.add(new Section(s.kind(), mid, s.firstFormat(), s.lines()));
        }
        List<String> all = new ArrayList<>(session);
        sections.forEach(s -> all.addAll(s.lines()));
        for (String l : all) {
            if (ufrag == null && l.startsWith("a=ice-ufrag:")) {
                ufrag = l.substring(12).trim();
            } else if (pwd == null && l.startsWith("a=ice-pwd:")) {
                pwd = l.substring(10).trim();
            } else if (fingerprint == null && l.startsWith("a=fingerprint:")) {
                fingerprint = l.substring(14).trim();
            } else if (l.startsWith("a=setup:")) {
                setup = l.substring(8).trim();
            }
        }
        if (ufrag == null || pwd == null || fingerprint == null) {
            throw new IllegalArgumentException("the offer lacks a=ice-ufrag, a=ice-pwd or a=fingerprint");
        }
        Section application = withMids.stream().filter(s -> s.kind().equals("application")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the offer has no data channel (m=application) section; "
                        + "this server answers data channels only until media is wired"));

        rtc.directApi().setIceControlling(false); // the answerer is controlled
        rtc.addLocalCandidate(Candidate.host(local));
        rtc.directApi().setRemoteIceCredentials(new IceCredentials(ufrag, pwd));
        rtc.directApi().setRemoteFingerprint(Fingerprint.parse(fingerprint));
        for (String l : all) {
            Candidate c = l.startsWith("a=candidate:") ? Candidate.tryParse(l) : null;
            if (c != null && c.transport() == TransportProtocol.UDP && c.address().getAddress() instanceof Inet4Address) {
                rtc.addRemoteCandidate(c);
            }
        }
        // actpass or active in the offer: we are passive (DTLS server, and Chromium, the DTLS client, starts
        // SCTP alone, with no INIT collision); passive in the offer: we must be active
        boolean weAreClient = setup.equals("passive");
        rtc.directApi().startDtls(weAreClient);

        IceCredentials ours = rtc.directApi().localIceCredentials();
        StringBuilder sdp = new StringBuilder();
        sdp.append("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (Section s : withMids) {
            bundle.append(' ').append(s.mid());
        }
        sdp.append(bundle).append("\r\n");
        for (Section s : withMids) {
            boolean data = s == application;
            String receivedPt = data ? null : receivablePayloadType(s);
            if (data) {
                sdp.append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
            } else {
                String proto = s.lines().getFirst().split(" ")[2];
                sdp.append("m=").append(s.kind()).append(" 9 ").append(proto).append(' ')
                        .append(receivedPt != null ? receivedPt : s.firstFormat()).append("\r\n");
            }
            sdp.append("c=IN IP4 0.0.0.0\r\n")
                    .append("a=ice-ufrag:").append(ours.ufrag()).append("\r\n")
                    .append("a=ice-pwd:").append(ours.pwd()).append("\r\n")
                    .append("a=fingerprint:").append(rtc.localFingerprint().toSdpValue()).append("\r\n")
                    .append("a=setup:").append(weAreClient ? "active" : "passive").append("\r\n")
                    .append("a=mid:").append(s.mid()).append("\r\n");
            if (data) {
                sdp.append("a=sctp-port:5000\r\n").append("a=max-message-size:262144\r\n");
            } else if (receivedPt != null) {
                // we receive this one codec (VP8 or Opus) from the browser's send-only track
                sdp.append("a=recvonly\r\n").append("a=rtcp-mux\r\n");
                for (String l : s.lines()) {
                    if (l.startsWith("a=rtpmap:" + receivedPt + " ") || l.startsWith("a=fmtp:" + receivedPt + " ")) {
                        sdp.append(l).append("\r\n");
                    }
                }
                rtc.directApi().receiveMedia(s.mid(), Integer.parseInt(receivedPt),
                        s.kind().equals("video") ? Codec.VP8 : Codec.OPUS);
            } else {
                // a codec eddy cannot depacketize yet: accepted but inactive (no RTP flows)
                sdp.append("a=inactive\r\n").append("a=rtcp-mux\r\n");
                for (String l : s.lines()) {
                    if (l.startsWith("a=rtpmap:" + s.firstFormat() + " ")) {
                        sdp.append(l).append("\r\n");
                    }
                }
            }
            sdp.append("a=").append(Candidate.host(local).toSdpString()).append("\r\n")
                    .append("a=end-of-candidates\r\n");
        }
        return sdp.toString();
    }
}
