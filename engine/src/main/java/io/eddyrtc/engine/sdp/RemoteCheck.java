package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a peer's offer or answer is one eddy can negotiate, before anything is changed, and
 * reads its transport parameters. Every refusal is an {@link SdpParseException} naming the problem.
 * eddy's policy is JSEP's max-bundle with DTLS-SRTP and rtcp-mux (what every browser does).
 */
final class RemoteCheck {
    static final int MIN_UFRAG = 4;
    static final int MIN_PWD = 22;
    static final int MAX_ICE_CHARS = 256;

    private RemoteCheck() {
    }

    static SdpParseException refuse(String problem) {
        return new SdpParseException(0, problem);
    }

    /**
     * Checks an offer (answers have {@code offer} set to the offer they answer) and returns its transport,
     * or {@code null} when it stops or rejects every m-line, which leaves no transport to describe.
     */
    static RemoteTransport check(SessionDescription d, SessionDescription offer) {
        boolean answer = offer != null;
        String what = answer ? "answer" : "offer";
        if (d.media().isEmpty()) {
            throw refuse("the " + what + " has no m-lines");
        }
        if (answer && d.media().size() != offer.media().size()) {
            throw refuse("the answer has " + d.media().size() + " m-lines, the offer " + offer.media().size()
                    + "; an answer has one per offered m-line, in order");
        }
        Set<String> mids = new HashSet<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < d.media().size(); i++) {
            SdpMedia m = d.media().get(i);
            String where = "m-line " + (i + 1) + " (" + m.type() + ")";
            String mid = m.value("mid");
            if (mid != null && !mids.add(mid)) {
                throw refuse(where + " repeats mid " + mid);
            }
            if (answer) {
                SdpMedia o = offer.media().get(i);
                String offeredMid = o.value("mid");
                if (offeredMid != null && !offeredMid.equals(mid) && !m.isRejected()) {
                    throw refuse(where + " has mid " + mid + " where the offer has " + offeredMid);
                }
                if (!m.type().equals(o.type())) {
                    throw refuse(where + " answers an m=" + o.type() + " line");
                }
                if (o.isRejected() && !m.isRejected()) {
                    throw refuse(where + " accepts an m-line the offer stopped (port 0)");
                }
            }
            if (m.isRejected()) {
                continue;
            }
            boolean media = m.type().equals("audio") || m.type().equals("video");
            if (!media && !m.isApplication()) {
                if (answer) {
                    throw refuse(where + " is accepted although eddy cannot have offered it");
                }
                continue; // answered with port 0
            }
            if (mid == null) {
                throw refuse(where + " has no a=mid; WebRTC needs mids (RFC 8843)");
            }
            if (media) {
                checkRtpProto(m, where);
                if (!m.has("rtcp-mux")) {
                    throw refuse(where + " lacks a=rtcp-mux; eddy needs RTP and RTCP on one port (RFC 8858)");
                }
                Map<Integer, String> ids = new HashMap<>();
                for (ExtMap e : m.extMaps()) {
                    String prev = ids.putIfAbsent(e.id(), e.uri());
                    if (prev != null && !prev.equals(e.uri())) {
                        throw refuse(where + " maps extension id " + e.id() + " to both " + prev + " and " + e.uri());
                    }
                }
            } else if (!m.proto().endsWith("DTLS/SCTP") || !m.formats().contains("webrtc-datachannel")) {
                throw refuse(where + " is '" + m.mLine() + "'; eddy speaks data channels as UDP/DTLS/SCTP webrtc-datachannel (RFC 8841)");
            }
            accepted.add(mid);
        }
        if (accepted.isEmpty()) {
            return null; // every m-line stopped or rejected: no transport to read (RFC 8843 §7.3.3)
        }
        List<String> group = null;
        for (List<String> g : d.bundleGroups()) {
            if (g.contains(accepted.get(0))) {
                group = g;
            }
        }
        if (group == null) {
            throw refuse("the " + what + " has no a=group:BUNDLE with mid " + accepted.get(0) + "; eddy bundles all media (RFC 8843)");
        }
        for (String mid : accepted) {
            if (!group.contains(mid)) {
                throw refuse("mid " + mid + " is not in the BUNDLE group " + group + "; eddy bundles all media");
            }
        }
        // The BUNDLE tag (the group's first accepted mid) carries the transport (RFC 8843 §7.1.3).
        SdpMedia tag = null;
        for (SdpMedia m : d.media()) {
            if (!m.isRejected() && group.get(0).equals(m.value("mid"))) {
                tag = m;
            }
        }
        if (tag == null) {
            for (SdpMedia m : d.media()) {
                if (!m.isRejected() && accepted.get(0).equals(m.value("mid"))) {
                    tag = m;
                }
            }
        }
        String ufrag = either(tag.iceUfrag(), d.iceUfrag());
        String pwd = either(tag.icePwd(), d.icePwd());
        if (ufrag == null || pwd == null) {
            throw refuse("the " + what + " has no a=ice-ufrag and a=ice-pwd for mid " + tag.value("mid"));
        }
        if (ufrag.length() < MIN_UFRAG || ufrag.length() > MAX_ICE_CHARS || pwd.length() < MIN_PWD || pwd.length() > MAX_ICE_CHARS) {
            throw refuse("ICE ufrag must be " + MIN_UFRAG + " to 256 characters and pwd " + MIN_PWD + " to 256 (RFC 8839 §5.4)");
        }
        List<String> fingerprints = tag.fingerprints().isEmpty() ? d.fingerprints() : tag.fingerprints();
        if (fingerprints.isEmpty()) {
            throw refuse("the " + what + " has no a=fingerprint; DTLS-SRTP needs the peer's certificate fingerprint (RFC 8122)");
        }
        Fingerprint fingerprint = null;
        for (String f : fingerprints) {
            Fingerprint parsed = Fingerprint.parse(f); // checked by the parser
            if (fingerprint == null || parsed.hashFunction().equals("sha-256")) {
                fingerprint = parsed;
            }
        }
        Setup setup = tag.setup() != null ? tag.setup() : d.setup();
        if (answer) {
            setup = setup == null ? Setup.ACTIVE : setup; // RFC 4145 §4: absent means active
            if (setup != Setup.ACTIVE && setup != Setup.PASSIVE) {
                throw refuse("the answer says a=setup:" + setup.sdpName() + "; an answer must say active or passive (RFC 8842 §5.2)");
            }
        } else {
            setup = setup == null ? Setup.ACTPASS : setup;
            if (setup == Setup.HOLDCONN) {
                throw refuse("the offer says a=setup:holdconn; eddy needs a DTLS connection");
            }
        }
        // Only the BUNDLE tag's candidates: the other m-lines' transports go away once BUNDLE is agreed.
        // And only component 1: with rtcp-mux there is no RTCP component (RFC 8843 §7.1.3, RFC 5761 §5.1.3).
        Set<String> candidates = new LinkedHashSet<>();
        for (String c : d.candidates()) {
            if (componentOne(c)) {
                candidates.add(c);
            }
        }
        for (String c : tag.candidates()) {
            if (componentOne(c)) {
                candidates.add(c);
            }
        }
        boolean end = d.has("end-of-candidates") || tag.endOfCandidates();
        return new RemoteTransport(new IceCredentials(ufrag, pwd), d.iceLite(), fingerprint, setup, List.copyOf(candidates), end);
    }

    private static void checkRtpProto(SdpMedia m, String where) {
        String p = m.proto();
        boolean dtlsSrtp = (p.equals("UDP/TLS/RTP/SAVPF") || p.equals("UDP/TLS/RTP/SAVP") || p.equals("TCP/DTLS/RTP/SAVPF")
                || p.equals("TCP/TLS/RTP/SAVPF"));
        if (!dtlsSrtp) {
            throw refuse(where + " uses " + p + "; WebRTC media needs DTLS-SRTP: UDP/TLS/RTP/SAVPF (RFC 8829 §5.1.2)");
        }
    }

    /** {@code <foundation> <component> ...}: is the component 1? Malformed text is left to the ICE parser. */
    private static boolean componentOne(String candidate) {
        String[] f = Tokens.fields(candidate);
        return f.length < 2 || !f[1].equals("2");
    }

    private static String either(String a, String b) {
        return a != null ? a : b;
    }
}
