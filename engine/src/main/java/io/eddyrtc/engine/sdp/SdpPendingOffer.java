package io.eddyrtc.engine.sdp;

/**
 * An offer we made and have not yet seen answered: hand it to {@link SdpSession#acceptAnswer} with the
 * peer's answer, or to {@link SdpSession#rollback} to forget it. Holds the state the offer proposes;
 * opaque to callers.
 */
public final class SdpPendingOffer {
    final SdpSession session;
    final SessionState proposed;
    final SessionDescription offer;

    SdpPendingOffer(SdpSession session, SessionState proposed, SessionDescription offer) {
        this.session = session;
        this.proposed = proposed;
        this.offer = offer;
    }

    /** The offer this stands for. */
    public SdpOffer offer() {
        return new SdpOffer(offer);
    }
}
