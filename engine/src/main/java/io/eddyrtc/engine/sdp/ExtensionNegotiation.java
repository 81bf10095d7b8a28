package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.rtp.RtpExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Header extension negotiation (RFC 8285 §6): ids come from the offer; only configured extensions are kept. */
final class ExtensionNegotiation {
    private ExtensionNegotiation() {
    }

    /** The answerer's extensions: those offered that we configured for {@code kind}, under the offered ids. */
    static List<MediaLine.Ext> answer(SdpConfig config, MediaKind kind, List<ExtMap> offered) {
        List<MediaLine.Ext> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<RtpExtension> exts = new HashSet<>();
        for (ExtMap e : offered) {
            RtpExtension ext = RtpExtension.fromUri(e.uri());
            if (ext == null || config.choice(ext, kind) == null || e.direction() == Direction.INACTIVE) {
                continue;
            }
            if (ids.add(e.id()) && exts.add(ext)) {
                out.add(new MediaLine.Ext(e.id(), ext));
            }
        }
        return out;
    }

    /** The offerer's extensions after the answer: those it offered that the answer kept, by the answer's ids. */
    static List<MediaLine.Ext> answered(List<MediaLine.Ext> offered, List<ExtMap> answer) {
        List<MediaLine.Ext> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (ExtMap e : answer) {
            RtpExtension ext = RtpExtension.fromUri(e.uri());
            if (ext == null || e.direction() == Direction.INACTIVE) {
                continue;
            }
            for (MediaLine.Ext o : offered) {
                if (o.extension() == ext && ids.add(e.id())) {
                    out.add(new MediaLine.Ext(e.id(), ext));
                }
            }
        }
        return out;
    }

    /**
     * The extensions a new local m-line offers: configured ones, under the id the session already uses for
     * each (so one id means one extension across the BUNDLE group, RFC 8843 §9.2), else the configured id
     * if free, else a free one.
     */
    static List<MediaLine.Ext> offer(SdpConfig config, MediaKind kind, List<MediaLine> lines) {
        List<MediaLine.Ext> inUse = new ArrayList<>();
        for (MediaLine l : lines) {
            if (!l.stopped) {
                inUse.addAll(l.extensions);
            }
        }
        List<MediaLine.Ext> out = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        inUse.forEach(e -> taken.add(e.id()));
        for (SdpConfig.ExtensionChoice c : config.extensions(kind)) {
            Integer id = null;
            for (MediaLine.Ext e : inUse) {
                if (e.extension() == c.extension()) {
                    id = e.id();
                }
            }
            if (id == null) {
                id = taken.contains(c.id()) ? free(taken) : c.id();
                if (id < 0) {
                    continue;
                }
            }
            taken.add(id);
            out.add(new MediaLine.Ext(id, c.extension()));
        }
        return out;
    }

    private static int free(Set<Integer> taken) {
        for (int id = 1; id <= 14; id++) {
            if (!taken.contains(id)) {
                return id;
            }
        }
        return -1;
    }
}
