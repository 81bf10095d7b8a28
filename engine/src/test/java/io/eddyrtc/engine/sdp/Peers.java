package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test helpers: seeded sessions and draining their changes. */
final class Peers {
    private Peers() {
    }

    static SdpSession session(long seed) {
        return session(seed, new SdpConfig());
    }

    static SdpSession session(long seed, SdpConfig config) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] digest = new byte[32];
        r.nextBytes(digest);
        IceCredentials ice = new IceCredentials("u" + Long.toHexString(r.nextLong()).substring(0, 5),
                "p" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
        return new SdpSession(config, ice, new Fingerprint("sha-256", digest), r);
    }

    static List<SdpChange> drain(SdpSession s) {
        List<SdpChange> out = new ArrayList<>();
        for (SdpChange c; (c = s.pollChange()) != null; ) {
            out.add(c);
        }
        return out;
    }

    static <T extends SdpChange> List<T> of(List<SdpChange> changes, Class<T> type) {
        return changes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Runs one offer/answer round through the text form, as signalling would. */
    static SdpAnswer exchange(SdpSession offerer, SdpApi api, SdpSession answerer) {
        SdpApi.Offer o = api.apply().orElseThrow();
        SdpAnswer answer = answerer.acceptOffer(SdpOffer.fromSdp(o.offer().toSdp()));
        offerer.acceptAnswer(o.pending(), SdpAnswer.fromSdp(answer.toSdp()));
        return answer;
    }
}
