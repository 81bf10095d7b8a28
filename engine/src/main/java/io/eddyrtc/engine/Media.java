package io.eddyrtc.engine;

import io.eddyrtc.engine.internal.media.MediaSection;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import io.eddyrtc.engine.sdp.StreamIds;
import java.util.List;

/**
 * One negotiated audio or video m-line of an {@link Rtc}, from {@link Rtc#media(String)}: its direction,
 * the payload types both sides agreed on, and {@link #writer} for sending samples. A handle: it reads the
 * m-line as it is now, so a renegotiation shows through it.
 */
public final class Media {
    private final Rtc rtc;
    private final MediaSection section;

    Media(Rtc rtc, MediaSection section) {
        this.rtc = rtc;
        this.section = section;
    }

    /** The m-line inside the {@code Rtc}, for its sample writers. */
    MediaSection section() {
        return section;
    }

    private NegotiatedMedia agreed() {
        return section.agreed();
    }

    public String mid() {
        return section.mid();
    }

    public MediaKind kind() {
        return agreed().kind();
    }

    /** Our direction: SEND_ONLY means we send and the peer receives. */
    public Direction direction() {
        return agreed().direction();
    }

    /** The negotiated payload types in preference order (each names its RTX payload type, -1 if none). */
    public List<PayloadParams> payloadParams() {
        return agreed().codecs();
    }

    /** The negotiated header extensions and their ids. */
    public ExtensionMap extensions() {
        return agreed().extensions();
    }

    /** The streams we send on this m-line: SSRC, RTX SSRC and rid (what an SFU writes into forwarded packets). */
    public List<StreamIds> sendStreams() {
        return agreed().sendStreams();
    }

    /** The simulcast layers we send (empty without simulcast). */
    public List<Rid> sendRids() {
        return agreed().sendRids();
    }

    /** The simulcast layers the peer sends us (empty without simulcast). */
    public List<Rid> receiveRids() {
        return agreed().receiveRids();
    }

    /**
     * A writer for samples of payload type {@code pt} (see {@link #payloadParams()}).
     *
     * @throws IllegalArgumentException if {@code pt} was not negotiated on this m-line
     * @throws IllegalStateException    if this m-line does not send (direction RECV_ONLY or INACTIVE)
     */
    public MediaWriter writer(int pt) {
        NegotiatedMedia agreed = agreed();
        PayloadParams params = agreed.payload(pt);
        if (params == null || params.pt() != pt) {
            throw new IllegalArgumentException("payload type " + pt + " was not negotiated on mid " + mid() + "; pick one of "
                    + agreed.codecs().stream().map(PayloadParams::pt).toList());
        }
        if (params.codec().isRepair()) {
            throw new IllegalArgumentException("payload type " + pt + " is " + params.codec() + ", which repairs another "
                    + "payload type and carries no samples; write with the media payload type it protects");
        }
        if (!agreed.direction().isSending()) {
            throw new IllegalStateException("mid " + mid() + " is " + agreed.direction() + ": nothing is sent on it; "
                    + "change its direction through the SdpApi (or DirectApi) first");
        }
        return new MediaWriter(rtc, this, params);
    }

    /** The preferred (first) negotiated payload type, for a quick {@code media.writer(media.pt())}. */
    public int pt() {
        return agreed().codecs().getFirst().pt();
    }

    /** Asks every sender of streams received on this m-line for a keyframe (an RTCP PLI). */
    public void requestKeyframe() {
        rtc.requestKeyframe(mid());
    }

    /** Asks for a keyframe of the simulcast layer {@code rid} received on this m-line only (see {@link Rtc#requestKeyframe(String, String)}). */
    public void requestKeyframe(Rid rid) {
        rtc.requestKeyframe(mid(), rid.value());
    }

    @Override
    public String toString() {
        return "Media[" + mid() + " " + kind() + " " + direction() + "]";
    }
}
