package io.eddyrtc.engine.sim;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import java.util.function.Consumer;

/**
 * Negotiates two {@link Rtc}s through SDP, as an application with a signalling channel does: the offerer
 * makes its changes and applies them, the offer travels as text (so writing and parsing are exercised on
 * every negotiation), the answerer accepts it, and the answer travels back the same way.
 */
public final class SdpSignalling {
    private SdpSignalling() {
    }

    /**
     * One offer/answer round from {@code offerer} to {@code answerer} with the changes {@code changes} makes.
     *
     * @return false if the changes left nothing to negotiate ({@code apply()} gave no offer)
     */
    public static boolean negotiate(Rtc offerer, Rtc answerer, Consumer<SdpApi> changes) {
        SdpApi api = offerer.sdpApi();
        changes.accept(api);
        var applied = api.apply();
        if (applied.isEmpty()) {
            return false;
        }
        SdpOffer offer = SdpOffer.fromSdp(applied.get().offer().toSdp());
        SdpAnswer answer = SdpAnswer.fromSdp(answerer.acceptOffer(offer).toSdp());
        offerer.acceptAnswer(applied.get().pending(), answer);
        return true;
    }
}
