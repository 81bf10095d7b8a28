package io.eddyrtc.engine.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import java.nio.charset.StandardCharsets;

/**
 * Peer text reaches the session unchecked: parsing it and negotiating with it must never throw anything
 * but {@link SdpParseException} (a fuzz failure is any other exception), and a session that took it must
 * still be able to write its next description.
 */
class SdpFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void sdpOffer(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SdpSession s = Peers.session(1);
        try {
            SdpAnswer answer = s.acceptOffer(SdpOffer.fromSdp(text));
            SessionDescription.parse(answer.toSdp()); // what we write, we read
            drainAndReoffer(s);
        } catch (SdpParseException expected) {
            // the documented refusal
        }
    }

    @FuzzTest(maxDuration = "10s")
    void sdpAnswer(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SdpSession s = Peers.session(2);
        SdpApi api = s.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("fuzz");
        SdpApi.Offer offer = api.apply().orElseThrow();
        try {
            s.acceptAnswer(offer.pending(), SdpAnswer.fromSdp(text));
            drainAndReoffer(s);
        } catch (SdpParseException expected) {
            // the documented refusal
        }
    }

    private static void drainAndReoffer(SdpSession s) {
        while (s.pollChange() != null) {
            // the changes are values; taking them must not fail
        }
        SdpApi next = s.sdpApi();
        next.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
        for (NegotiatedMedia m : s.media()) {
            next.setDirection(m.mid(), Direction.RECV_ONLY);
        }
        SdpApi.Offer o = next.apply().orElseThrow();
        SessionDescription.parse(o.offer().toSdp());
        s.rollback(o.pending());
    }
}
