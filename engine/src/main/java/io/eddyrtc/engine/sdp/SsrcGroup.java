package io.eddyrtc.engine.sdp;

import java.util.ArrayList;
import java.util.List;

/** {@code a=ssrc-group:<semantics> <ssrc>...} (RFC 5576 §4.2): FID pairs a stream with its RTX, SIM lists layers. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    public static SsrcGroup parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length < 2 || f[0].isEmpty()) {
            throw Tokens.bad("ssrc-group '" + value + "' is not '<semantics> <ssrc> ...'");
        }
        List<Long> ssrcs = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
            ssrcs.add(Tokens.number(f[i], 0, 0xFFFF_FFFFL, "ssrc"));
        }
        return new SsrcGroup(f[0], ssrcs);
    }

    public String value() {
        StringBuilder b = new StringBuilder(semantics);
        ssrcs.forEach(s -> b.append(' ').append(s));
        return b.toString();
    }
}
