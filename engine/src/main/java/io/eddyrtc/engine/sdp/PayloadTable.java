package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.CodecConfig;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One payload-type table per session: a format keeps the PT it was first negotiated under (whoever chose
 * it) on every m-line, and a PT never means two formats, as BUNDLE requires (RFC 8843 §9.1).
 */
final class PayloadTable {
    private PayloadTable() {
    }

    /** The configured formats of {@code kind} with the PTs this session uses for them. */
    static List<PayloadParams> offer(CodecConfig config, MediaKind kind, List<MediaLine> lines) {
        List<PayloadParams> known = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        for (MediaLine l : lines) {
            for (PayloadParams p : l.codecs) {
                known.add(p);
                taken.add(p.pt());
                if (p.hasRtx()) {
                    taken.add(p.rtxPt());
                }
            }
        }
        List<PayloadParams> out = new ArrayList<>();
        for (PayloadParams c : config.forKind(kind)) {
            PayloadParams existing = null;
            for (PayloadParams k : known) {
                if (k.spec().matches(c.spec())) {
                    existing = k;
                    break;
                }
            }
            int pt;
            int rtx;
            // Each pick is marked taken before the next, so a format's RTX PT never equals its own PT.
            if (existing != null) {
                pt = existing.pt();
                taken.add(pt);
                rtx = existing.hasRtx() || !c.hasRtx() ? existing.rtxPt() : pick(c.rtxPt(), taken);
            } else {
                pt = pick(c.pt(), taken);
                if (pt < 0) {
                    continue;
                }
                taken.add(pt);
                rtx = c.hasRtx() ? pick(c.rtxPt(), taken) : -1;
            }
            if (rtx >= 0) {
                taken.add(rtx);
            }
            out.add(new PayloadParams(pt, c.spec(), rtx, c.feedback()));
            if (existing == null) {
                known.add(out.getLast());
            }
        }
        return out;
    }

    /** {@code wanted} if free, else the first free dynamic PT (96–127, then 35–63), -1 if none is. */
    private static int pick(int wanted, Set<Integer> taken) {
        if (!taken.contains(wanted)) {
            return wanted;
        }
        for (int pt = 96; pt <= 127; pt++) {
            if (!taken.contains(pt)) {
                return pt;
            }
        }
        for (int pt = 35; pt <= 63; pt++) {
            if (!taken.contains(pt)) {
                return pt;
            }
        }
        return -1;
    }
}
