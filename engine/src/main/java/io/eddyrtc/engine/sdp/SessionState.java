package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.media.Mid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a session has negotiated: the m-lines in order, ICE and DTLS parameters. Copied whole
 * before each change and swapped in only when the change succeeded.
 */
final class SessionState {
    List<MediaLine> lines = new ArrayList<>();
    IceCredentials localIce;
    IceCredentials remoteIce;
    boolean remoteLite;
    boolean controlling;
    Fingerprint remoteFingerprint;
    /** Our DTLS role once agreed: TRUE client (active), FALSE server; {@code null} before. */
    Boolean dtlsActive;
    /** Candidates the peer gave in descriptions, to report each only once. */
    Set<String> remoteCandidates = new HashSet<>();
    /** Highest numeric mid seen, so new mids never collide with old ones. */
    int nextMid;

    SessionState copy() {
        SessionState c = new SessionState();
        for (MediaLine l : lines) {
            c.lines.add(l.copy());
        }
        c.localIce = localIce;
        c.remoteIce = remoteIce;
        c.remoteLite = remoteLite;
        c.controlling = controlling;
        c.remoteFingerprint = remoteFingerprint;
        c.dtlsActive = dtlsActive;
        c.remoteCandidates = new HashSet<>(remoteCandidates);
        c.nextMid = nextMid;
        return c;
    }

    MediaLine line(Mid mid) {
        for (MediaLine l : lines) {
            if (l.mid != null && l.mid.equals(mid)) {
                return l;
            }
        }
        return null;
    }

    MediaLine application() {
        for (MediaLine l : lines) {
            if (l.type == MediaLine.Type.APPLICATION && !l.stopped) {
                return l;
            }
        }
        return null;
    }

    /** Notes a mid in use so {@link #newMid()} skips it. */
    void sawMid(String mid) {
        try {
            if (mid.length() < 9) {
                nextMid = Math.max(nextMid, Integer.parseInt(mid) + 1);
            }
        } catch (NumberFormatException e) {
            // non-numeric mids cannot collide with ours
        }
    }

    Mid newMid() {
        return Mid.of(String.valueOf(nextMid++));
    }

    List<MediaLine> bundled() {
        return lines.stream().filter(l -> !l.stopped).toList();
    }
}
