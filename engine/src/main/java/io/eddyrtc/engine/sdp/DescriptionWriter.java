package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a session's state into the description we send, in the layout Chromium writes (and so accepts):
 * transport attributes on every bundled m-line, candidates on the first, then mid, extmaps, direction,
 * msid, rtcp-mux, rtcp-rsize, each payload type's rtpmap/rtcp-fb/fmtp followed by its RTX, rids,
 * simulcast and ssrcs.
 */
final class DescriptionWriter {
    private DescriptionWriter() {
    }

    /** What is the same for every m-line of one description. */
    record Context(long sessionId, long version, IceCredentials ice, Fingerprint fingerprint, Setup setup, boolean lite,
                   List<String> candidates, boolean endOfCandidates, String cname, SdpConfig config) {}

    static SessionDescription write(SessionState s, Context c, SessionDescription offer) {
        boolean answer = offer != null;
        List<SdpAttribute> session = new ArrayList<>();
        if (c.lite()) {
            session.add(SdpAttribute.flag("ice-lite"));
        }
        List<String> bundle = new ArrayList<>();
        for (MediaLine l : s.lines) {
            if (!l.stopped && l.type != MediaLine.Type.OTHER) {
                bundle.add(l.mid.value());
            }
        }
        if (!bundle.isEmpty()) {
            session.add(new SdpAttribute("group", "BUNDLE " + String.join(" ", bundle)));
        }
        if (!answer || offer.has("extmap-allow-mixed")) {
            session.add(SdpAttribute.flag("extmap-allow-mixed"));
        }
        session.add(new SdpAttribute("msid-semantic", " WMS *"));
        List<SdpMedia> media = new ArrayList<>();
        boolean first = true;
        for (int i = 0; i < s.lines.size(); i++) {
            MediaLine l = s.lines.get(i);
            SdpMedia offered = answer ? offer.media().get(i) : null;
            if (l.stopped || l.type == MediaLine.Type.OTHER) {
                media.add(stopped(l, offered));
            } else {
                media.add(l.type == MediaLine.Type.APPLICATION ? application(l, c, first) : rtp(l, c, first, answer, offered));
                first = false;
            }
        }
        return new SessionDescription(SdpOrigin.of(c.sessionId(), c.version()), "-", List.of(), null, List.of(), "0 0",
                session, media);
    }

    private static void transport(List<SdpAttribute> a, Context c, boolean first) {
        if (first) {
            c.candidates().forEach(cand -> a.add(new SdpAttribute("candidate", cand)));
        }
        a.add(new SdpAttribute("ice-ufrag", c.ice().ufrag()));
        a.add(new SdpAttribute("ice-pwd", c.ice().pwd()));
        a.add(new SdpAttribute("ice-options", "trickle"));
        a.add(new SdpAttribute("fingerprint", c.fingerprint().toSdpValue()));
        a.add(new SdpAttribute("setup", c.setup().sdpName()));
    }

    private static SdpMedia application(MediaLine l, Context c, boolean first) {
        List<SdpAttribute> a = new ArrayList<>();
        transport(a, c, first);
        a.add(new SdpAttribute("mid", l.mid.value()));
        a.add(SdpAttribute.of("sctp-port", c.config().sctpPort()));
        a.add(SdpAttribute.of("max-message-size", c.config().maxMessageSize()));
        if (first && c.endOfCandidates()) {
            a.add(SdpAttribute.flag("end-of-candidates"));
        }
        return new SdpMedia("application", 9, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"), "IN IP4 0.0.0.0",
                List.of(), List.of(), a);
    }

    private static SdpMedia rtp(MediaLine l, Context c, boolean first, boolean answer, SdpMedia offered) {
        List<SdpAttribute> a = new ArrayList<>();
        a.add(new SdpAttribute("rtcp", "9 IN IP4 0.0.0.0"));
        transport(a, c, first);
        a.add(new SdpAttribute("mid", l.mid.value()));
        for (MediaLine.Ext e : l.extensions) {
            a.add(new SdpAttribute("extmap", e.id() + " " + e.extension().uri()));
        }
        Direction dir = answer ? l.direction : l.wanted;
        a.add(SdpAttribute.flag(dir.sdpName()));
        boolean sending = dir.isSending() && l.localMsid != null;
        if (sending) {
            a.add(new SdpAttribute("msid", l.localMsid.value()));
        }
        a.add(SdpAttribute.flag("rtcp-mux"));
        a.add(SdpAttribute.flag("rtcp-rsize"));
        List<String> formats = new ArrayList<>();
        for (PayloadParams p : l.codecs) {
            formats.add(String.valueOf(p.pt()));
            a.add(new SdpAttribute("rtpmap", p.pt() + " " + p.spec().rtpmapEncoding()));
            p.feedback().forEach(fb -> a.add(new SdpAttribute("rtcp-fb", p.pt() + " " + fb)));
            if (!p.spec().params().isEmpty()) {
                a.add(new SdpAttribute("fmtp", p.pt() + " " + p.spec().params().text()));
            }
            if (p.hasRtx()) {
                formats.add(String.valueOf(p.rtxPt()));
                a.add(new SdpAttribute("rtpmap", p.rtxPt() + " rtx/" + p.spec().clockRate()));
                a.add(new SdpAttribute("fmtp", p.rtxPt() + " apt=" + p.pt()));
            }
        }
        List<Rid> send = dir.isSending() ? (answer ? l.sendRids : l.offeredSendRids) : List.of();
        List<Rid> recv = dir.isReceiving() ? l.receiveRids : List.of();
        send.forEach(r -> a.add(new SdpAttribute("rid", r + " send")));
        recv.forEach(r -> a.add(new SdpAttribute("rid", r + " recv")));
        if (!send.isEmpty() || !recv.isEmpty()) {
            a.add(new SdpAttribute("simulcast", new SimulcastAttr(send, recv).value()));
        }
        // Without simulcast the first stream is declared by SSRC (with its RTX in a FID group); with it, the
        // rids identify the layers and browsers write no a=ssrc (RFC 8853 §5.1).
        if (sending && send.isEmpty() && !l.sendStreams.isEmpty()) {
            StreamIds s = l.sendStreams.get(0);
            if (s.rtxSsrc() >= 0) {
                a.add(new SdpAttribute("ssrc-group", "FID " + s.ssrc() + " " + s.rtxSsrc()));
            }
            ssrc(a, s.ssrc(), c.cname(), l.localMsid);
            if (s.rtxSsrc() >= 0) {
                ssrc(a, s.rtxSsrc(), c.cname(), l.localMsid);
            }
        }
        if (first && c.endOfCandidates()) {
            a.add(SdpAttribute.flag("end-of-candidates"));
        }
        String proto = answer ? offered.proto() : "UDP/TLS/RTP/SAVPF";
        return new SdpMedia(l.type == MediaLine.Type.AUDIO ? "audio" : "video", 9, proto, formats, "IN IP4 0.0.0.0",
                List.of(), List.of(), a);
    }

    private static void ssrc(List<SdpAttribute> a, long ssrc, String cname, Msid msid) {
        a.add(new SdpAttribute("ssrc", ssrc + " cname:" + cname));
        a.add(new SdpAttribute("ssrc", ssrc + " msid:" + msid.value()));
    }

    /** A rejected or stopped m-line: port 0, its mid and formats, nothing else (RFC 8829 §5.2.2, §5.3.1). */
    private static SdpMedia stopped(MediaLine l, SdpMedia offered) {
        List<SdpAttribute> a = new ArrayList<>();
        if (l.mid != null) {
            a.add(new SdpAttribute("mid", l.mid.value()));
        }
        if (l.isMedia()) {
            a.add(SdpAttribute.flag("inactive"));
        }
        List<String> formats = new ArrayList<>();
        String token;
        String proto;
        if (offered != null) {
            token = offered.type();
            proto = offered.proto();
            formats.addAll(offered.formats());
        } else if (l.type == MediaLine.Type.APPLICATION) {
            token = "application";
            proto = "UDP/DTLS/SCTP";
            formats.add("webrtc-datachannel");
        } else {
            token = l.mediaToken != null ? l.mediaToken : (l.type == MediaLine.Type.AUDIO ? "audio" : "video");
            proto = l.proto != null ? l.proto : "UDP/TLS/RTP/SAVPF";
            for (PayloadParams p : l.codecs) {
                formats.add(String.valueOf(p.pt()));
                a.add(new SdpAttribute("rtpmap", p.pt() + " " + p.spec().rtpmapEncoding()));
            }
            if (formats.isEmpty()) {
                formats.addAll(l.formats.isEmpty() ? List.of("0") : l.formats);
            }
        }
        return new SdpMedia(token, 0, proto, formats, "IN IP4 0.0.0.0", List.of(), List.of(), a);
    }
}
