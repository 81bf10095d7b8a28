package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Rtc's ids repeat exactly under one seed (simulations replay) and never repeat without one. Where they
 * come from in production, a {@link java.security.SecureRandom}, is {@code internal.RandomSourcesTest}'s.
 */
class RtcRandomnessTest {

    /** The offer of an Rtc sending audio and video with a channel: session id, ICE credentials, SSRCs, msids, cname. */
    static String offer(RtcConfig.Builder builder) {
        Rtc rtc = builder.certificate(RtcDtlsTest.CERT_A).build();
        var api = rtc.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("c");
        return api.apply().orElseThrow().offer().toSdp();
    }

    static List<String> idLines(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("o=") || l.startsWith("a=ssrc:") || l.startsWith("a=ice-ufrag") || l.startsWith("a=ice-pwd")
                || l.startsWith("a=msid:")).toList();
    }

    @Test
    void oneSeedGivesTheSameOfferTwice() {
        assertEquals(offer(Rtc.builder().randomSeed(11)), offer(Rtc.builder().randomSeed(11)));
    }

    @Test
    void withoutASeedNoIdRepeats() {
        List<String> one = idLines(offer(Rtc.builder()));
        List<String> two = idLines(offer(Rtc.builder()));
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            assertNotEquals(one.get(i), two.get(i));
        }
    }
}
