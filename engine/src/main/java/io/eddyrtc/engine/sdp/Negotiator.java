package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a peer's offer or answer to a copy of the session state, collecting the changes the engine will
 * see. It never touches the committed state: the session swaps the result in only when this returns.
 */
final class Negotiator {
    /**
     * Remote candidates a session remembers (to pass each to ICE once) per ICE generation. Re-offers may each
     * bring new ones, so without a bound a peer renegotiating in a loop grows the session; ICE itself keeps
     * far fewer ({@code IceConfig.maxRemoteCandidates}), so later ones would be dropped there anyway.
     */
    static final int MAX_REMOTE_CANDIDATES = 256;

    private final SdpConfig config;
    private final LocalIds ids;
    private final String cname;

    Negotiator(SdpConfig config, LocalIds ids, String cname) {
        this.config = config;
        this.ids = ids;
        this.cname = cname;
    }

    /** Applies a remote offer; {@code s} is a copy of the committed state and becomes the answer's state. */
    void acceptOffer(SessionState s, SessionDescription offer, List<SdpChange> changes) {
        RemoteTransport t = RemoteCheck.check(offer, null);
        if (offer.media().size() < s.lines.size()) {
            throw RemoteCheck.refuse("the offer has " + offer.media().size() + " m-lines where the session has "
                    + s.lines.size() + "; m-lines are stopped (port 0), never removed (RFC 8829 §5.2.2)");
        }
        List<MediaLine> before = copies(s.lines);
        List<SdpChange> media = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            SdpMedia rm = offer.media().get(i);
            MediaLine line = i < s.lines.size() ? s.lines.get(i) : null;
            MediaLine.Type type = typeOf(rm.type());
            Mid mid = rm.mid();
            if (line != null && !sameLine(line, mid, type)) {
                if (!line.stopped) {
                    throw RemoteCheck.refuse("m-line " + (i + 1) + " was mid " + line.mid + " (" + line.type + "), the offer makes it mid "
                            + mid + " (" + type + "); only stopped m-lines may be reused");
                }
                line = null; // the peer recycles a stopped m-line
            }
            if (line == null) {
                refuseReusedMid(before, i, mid);
                line = new MediaLine();
                line.type = type;
                line.mid = mid;
                // An m-line the peer opened only to send to us is one we receive on: we do not plan to send on
                // it, so our later offers keep it recvonly, without an msid of ours (a browser would fire ontrack
                // for a track we never send). The application may still send on it with SdpApi.setDirection.
                line.wanted = rm.direction().isReceiving() ? Direction.SEND_RECV : Direction.RECV_ONLY;
                if (i < s.lines.size()) {
                    s.lines.set(i, line);
                } else {
                    s.lines.add(line);
                }
            } else if (line.stopped && !rm.isRejected()) {
                throw RemoteCheck.refuse("mid " + mid + " was stopped; a stopped m-line comes back only with a new mid");
            }
            if (mid != null) {
                s.sawMid(mid.value());
            }
            line.mediaToken = rm.type();
            line.proto = rm.proto();
            line.formats = rm.formats();
            boolean wasLive = line.negotiated && !line.stopped;
            if (rm.isRejected() || type == MediaLine.Type.OTHER) {
                stop(line, wasLive, media);
                continue;
            }
            if (type == MediaLine.Type.APPLICATION) {
                channel(line, rm, media);
                continue;
            }
            List<PayloadParams> codecs = CodecNegotiation.answer(config.codecs(), line.kind(),
                    CodecNegotiation.remote(rm));
            if (codecs.isEmpty()) {
                stop(line, wasLive, media); // no codec in common: reject the m-line (RFC 8829 §5.3.1)
                continue;
            }
            line.codecs = codecs;
            line.extensions = ExtensionNegotiation.answer(config, line.kind(), rm.extMaps());
            line.direction = intersect(line.wanted, rm.direction().reverse());
            SimulcastAttr sim = rm.simulcast();
            line.receiveRids = sim == null ? List.of() : declared(sim.send(), rm, true);
            line.sendRids = sim == null ? List.of() : keep(line.offeredSendRids, declared(sim.recv(), rm, false));
            remoteStreams(line, rm);
            ensureSending(line, s);
            report(line, before, media);
        }
        if (t != null) {
            ice(s, t, false, false, changes);
            dtls(s, t, config.answerPassive(), changes);
        }
        changes.addAll(media);
    }

    /** Applies a remote answer to the pending offer's state {@code s} ({@code committed}: before the offer). */
    void acceptAnswer(SessionState s, SessionState committed, SessionDescription offer, SessionDescription answer,
                      List<SdpChange> changes) {
        RemoteTransport t = RemoteCheck.check(answer, offer);
        List<MediaLine> before = copies(committed.lines);
        List<SdpChange> media = new ArrayList<>();
        for (int i = 0; i < answer.media().size(); i++) {
            SdpMedia am = answer.media().get(i);
            MediaLine line = s.lines.get(i);
            // Live before this offer? Judged on the committed state: the offer may have stopped the line.
            MediaLine old = i < before.size() && before.get(i).mid != null && before.get(i).mid.equals(line.mid) ? before.get(i) : null;
            boolean wasLive = old != null && old.negotiated && !old.stopped;
            if (line.stopped || line.type == MediaLine.Type.OTHER || am.isRejected()) {
                stop(line, wasLive, media);
                continue;
            }
            if (line.type == MediaLine.Type.APPLICATION) {
                channel(line, am, media);
                continue;
            }
            List<PayloadParams> codecs = CodecNegotiation.answered(line.codecs, am);
            if (codecs.isEmpty()) {
                throw RemoteCheck.refuse("the answer for mid " + line.mid + " accepts none of the offered codecs; it should have rejected the m-line");
            }
            line.codecs = codecs;
            line.extensions = ExtensionNegotiation.answered(line.extensions, am.extMaps());
            line.direction = intersect(line.wanted, am.direction().reverse());
            SimulcastAttr sim = am.simulcast();
            line.sendRids = sim == null ? List.of() : keep(line.offeredSendRids, declared(sim.recv(), am, false));
            if (sim != null) {
                line.receiveRids = keep(line.receiveRids, declared(sim.send(), am, true));
            } else {
                line.receiveRids = List.of();
            }
            remoteStreams(line, am);
            ensureSending(line, s);
            report(line, before, media);
        }
        if (t != null) {
            ice(s, t, true, !s.localIce.equals(committed.localIce), changes);
            dtls(s, t, config.answerPassive(), changes);
        }
        changes.addAll(media);
    }

    /**
     * A new m-line's mid must be new (RFC 8843 §7.1): one that an earlier m-line had, stopped or not, would
     * make two m-lines one in everything keyed by mid.
     */
    private static void refuseReusedMid(List<MediaLine> before, int index, Mid mid) {
        for (int k = 0; k < before.size(); k++) {
            if (k != index && mid != null && mid.equals(before.get(k).mid)) {
                throw RemoteCheck.refuse("m-line " + (index + 1) + " is new but has mid " + mid + ", which m-line " + (k + 1)
                        + " had; a new m-line needs a new mid");
            }
        }
    }

    private static boolean sameLine(MediaLine line, Mid mid, MediaLine.Type type) {
        return line.type == type && (line.mid == null ? mid == null : line.mid.equals(mid));
    }

    static MediaLine.Type typeOf(String token) {
        return switch (token) {
            case "audio" -> MediaLine.Type.AUDIO;
            case "video" -> MediaLine.Type.VIDEO;
            case "application" -> MediaLine.Type.APPLICATION;
            default -> MediaLine.Type.OTHER;
        };
    }

    private static void stop(MediaLine line, boolean wasLive, List<SdpChange> media) {
        line.stopped = true;
        line.direction = Direction.INACTIVE;
        if (wasLive && line.type != MediaLine.Type.OTHER) {
            media.add(new SdpChange.MediaStopped(line.mid));
        }
        line.negotiated = true;
    }

    private void channel(MediaLine line, SdpMedia remote, List<SdpChange> media) {
        int port = remote.sctpPort() < 0 ? 5000 : remote.sctpPort();
        long max = remote.maxMessageSize() < 0 ? 65_536 : remote.maxMessageSize();
        boolean changed = !line.negotiated || line.remoteSctpPort != port || line.remoteMaxMessageSize != max;
        line.remoteSctpPort = port;
        line.remoteMaxMessageSize = max;
        if (changed) {
            media.add(new SdpChange.ChannelTransport(line.mid, config.sctpPort(), port, max));
        }
        line.negotiated = true;
    }

    /** Both sides' wishes: we send if we want to and the peer receives, and the other way round. */
    static Direction intersect(Direction wanted, Direction peerAllows) {
        boolean send = wanted.isSending() && peerAllows.isSending();
        boolean recv = wanted.isReceiving() && peerAllows.isReceiving();
        return send && recv ? Direction.SEND_RECV : send ? Direction.SEND_ONLY : recv ? Direction.RECV_ONLY : Direction.INACTIVE;
    }

    /** The simulcast rids that also have an {@code a=rid} line of the matching direction (RFC 8853 §5.2). */
    private static List<Rid> declared(List<Rid> rids, SdpMedia m, boolean send) {
        Set<Rid> ok = new HashSet<>();
        for (RidAttr r : m.rids()) {
            if (r.send() == send) {
                ok.add(r.rid());
            }
        }
        return rids.stream().filter(ok::contains).distinct().toList();
    }

    private static List<Rid> keep(List<Rid> ours, List<Rid> theirs) {
        return ours.stream().filter(theirs::contains).toList();
    }

    private static void remoteStreams(MediaLine line, SdpMedia m) {
        Map<Long, Long> rtx = new HashMap<>();
        Set<Long> repair = new HashSet<>();
        for (SsrcGroup g : m.ssrcGroups()) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
                rtx.put(g.ssrcs().get(0), g.ssrcs().get(1));
                repair.add(g.ssrcs().get(1));
            }
        }
        List<StreamIds> streams = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Msid fromSsrc = null;
        for (SsrcAttr a : m.ssrcs()) {
            if (!repair.contains(a.ssrc()) && seen.add(a.ssrc())) {
                streams.add(new StreamIds(a.ssrc(), rtx.getOrDefault(a.ssrc(), -1L), null));
            }
            if (fromSsrc == null && a.attribute().equals("msid") && a.value() != null) {
                try {
                    fromSsrc = Msid.parse(a.value());
                } catch (SdpParseException e) {
                    // an odd msid on an ssrc line says nothing we need
                }
            }
        }
        line.receiveStreams = line.direction.isReceiving() ? streams : List.of();
        line.remoteMsid = m.msid() != null ? m.msid() : fromSsrc;
    }

    /**
     * Gives a line we send (or want to) its SSRCs: one stream per rid we offer (one without simulcast),
     * each with an RTX SSRC once RTX is negotiated, and an msid. Streams are never dropped, so a layer keeps
     * its SSRC however often the peer turns simulcast off and on; {@link MediaLine#activeSendStreams} picks
     * the agreed ones.
     */
    void ensureSending(MediaLine line, SessionState s) {
        if (!line.direction.isSending() && !line.wanted.isSending()) {
            return;
        }
        if (line.localMsid == null) {
            line.localMsid = new Msid(ids.id(12), ids.id(12));
        }
        boolean rtx = line.codecs.stream().anyMatch(PayloadParams::hasRtx);
        List<Rid> wanted = line.offeredSendRids.isEmpty() ? Collections.singletonList(null) : line.offeredSendRids;
        List<StreamIds> out = new ArrayList<>(line.sendStreams);
        Set<Long> used = usedSsrcs(s);
        for (Rid rid : wanted) {
            boolean found = false;
            for (StreamIds st : out) {
                found |= Objects.equals(st.rid(), rid);
            }
            if (!found) {
                out.add(new StreamIds(ids.ssrc(used), rtx ? ids.ssrc(used) : -1, rid));
            }
        }
        for (int i = 0; i < out.size(); i++) {
            StreamIds st = out.get(i);
            if (rtx && st.rtxSsrc() < 0) {
                out.set(i, new StreamIds(st.ssrc(), ids.ssrc(used), st.rid()));
            }
        }
        line.sendStreams = List.copyOf(out);
    }

    static Set<Long> usedSsrcs(SessionState s) {
        Set<Long> used = new HashSet<>();
        for (MediaLine l : s.lines) {
            for (StreamIds st : l.sendStreams) {
                used.add(st.ssrc());
                used.add(st.rtxSsrc());
            }
            for (StreamIds st : l.receiveStreams) {
                used.add(st.ssrc());
                used.add(st.rtxSsrc());
            }
        }
        return used;
    }

    private void report(MediaLine line, List<MediaLine> before, List<SdpChange> media) {
        MediaLine old = null;
        for (MediaLine b : before) {
            if (b.mid != null && b.mid.equals(line.mid) && b.type == line.type && b.negotiated && !b.stopped) {
                old = b;
            }
        }
        if (old == null) {
            media.add(new SdpChange.MediaAdded(line.info(cname)));
        } else if (line.differsFrom(old, cname)) {
            media.add(new SdpChange.MediaChanged(line.info(cname)));
        }
        line.negotiated = true;
    }

    /**
     * ICE: the peer's credentials, candidates and lite flag, and our role. A change of the peer's credentials
     * is an ICE restart (RFC 8839 §4.4.1.1.1); as answerer we restart too, with new credentials of our own.
     */
    private void ice(SessionState s, RemoteTransport t, boolean weOffered, boolean localRestart, List<SdpChange> changes) {
        boolean first = s.remoteIce == null;
        boolean remoteRestart = !first && !s.remoteIce.equals(t.ice());
        if (remoteRestart && !weOffered) {
            s.localIce = ids.iceCredentials();
        }
        // Roles are settled by the first exchange and again by each ICE restart, never by a plain
        // re-offer (RFC 8445 §6.1.1, RFC 8839 §4.4.1.1): the offerer controls unless it is lite.
        boolean controlling = first || remoteRestart || localRestart ? !config.iceLite() && (weOffered || t.lite()) : s.controlling;
        boolean changed = first || remoteRestart || localRestart || s.remoteLite != t.lite() || s.controlling != controlling;
        s.remoteIce = t.ice();
        s.remoteLite = t.lite();
        s.controlling = controlling;
        if (remoteRestart) {
            s.remoteCandidates.clear();
        }
        if (changed) {
            changes.add(new SdpChange.Ice(s.localIce, s.remoteIce, s.remoteLite, controlling, remoteRestart || localRestart));
        }
        List<String> fresh = new ArrayList<>();
        for (String c : t.candidates()) {
            if (s.remoteCandidates.size() < MAX_REMOTE_CANDIDATES && s.remoteCandidates.add(c)) {
                fresh.add("candidate:" + c);
            }
        }
        if (!fresh.isEmpty() || (t.endOfCandidates() && changed)) {
            changes.add(new SdpChange.RemoteCandidates(fresh, t.endOfCandidates()));
        }
    }

    /**
     * DTLS: the role is settled by the first exchange (an actpass offer is answered active, so the answerer
     * is the client, as browsers do, unless {@link SdpConfig#answerPassive} says otherwise) and kept after.
     * So is the peer's fingerprint: it pins the certificate of the one DTLS association a session has, and a
     * description that changes it — with or without an ICE restart — is refused (a new certificate would need
     * a new association, RFC 8842 §5, which eddy does not make on a live call).
     */
    private static void dtls(SessionState s, RemoteTransport t, boolean answerPassive, List<SdpChange> changes) {
        boolean first = s.dtlsActive == null;
        if (!first && s.remoteFingerprint != null && !t.fingerprint().equals(s.remoteFingerprint)) {
            throw RemoteCheck.refuse("the peer's fingerprint changed from " + s.remoteFingerprint + " to " + t.fingerprint()
                    + "; a call keeps the certificate it started with: to change it, start a new call (a new Rtc)");
        }
        if (first) {
            s.dtlsActive = switch (t.setup()) {
                case ACTPASS -> !answerPassive;
                case PASSIVE -> true;
                default -> false;
            };
        }
        if (first || !t.fingerprint().equals(s.remoteFingerprint)) {
            s.remoteFingerprint = t.fingerprint();
            changes.add(new SdpChange.Dtls(s.remoteFingerprint, s.dtlsActive));
        }
    }

    static List<MediaLine> copies(List<MediaLine> lines) {
        return lines.stream().map(MediaLine::copy).toList();
    }

    /** A new local m-line of {@code kind}, with the session's PTs and extension ids. */
    MediaLine newLine(SessionState s, MediaKind kind, Direction direction, Msid msid, List<Rid> simulcast) {
        MediaLine l = new MediaLine();
        l.type = kind == MediaKind.AUDIO ? MediaLine.Type.AUDIO : MediaLine.Type.VIDEO;
        l.wanted = direction;
        l.codecs = PayloadTable.offer(config.codecs(), kind, s.lines);
        l.extensions = ExtensionNegotiation.offer(config, kind, s.lines);
        l.localMsid = msid;
        l.offeredSendRids = List.copyOf(simulcast);
        if (direction.isSending()) {
            ensureSending(l, s);
        }
        return l;
    }

    IceCredentials newIce() {
        return ids.iceCredentials();
    }
}
