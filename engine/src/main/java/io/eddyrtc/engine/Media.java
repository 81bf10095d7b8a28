package io.eddyrtc.engine;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import java.util.List;

/**
 * One negotiated audio or video m-line of an {@link Rtc}, from {@link Rtc#media(String)}: its direction,
 * the payload types both sides agreed on, and {@link #writer} for sending samples. The {@code Rtc} updates
 * it in place when a renegotiation changes the m-line.
 */
public final class Media {
    private final Rtc rtc;
    private final String mid;
    private final byte[] midAscii;
    private NegotiatedMedia info;
    /** Payload type number → its params (an RTX PT maps to the params it repairs): an array, so no iterator per packet. */
    private final PayloadParams[] byPt = new PayloadParams[128];

    Media(Rtc rtc, NegotiatedMedia info) {
        this.rtc = rtc;
        this.mid = info.mid().value();
        this.midAscii = mid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        update(info);
    }

    /** The params of payload type {@code pt} (or of the PT an RTX {@code pt} repairs); null if not negotiated. */
    PayloadParams payloadFor(int pt) {
        return byPt[pt & 0x7F];
    }

    /** The mid as the bytes of its header extension (reused per packet, never changed). */
    byte[] midAscii() {
        return midAscii;
    }

    void update(NegotiatedMedia next) {
        this.info = next;
        java.util.Arrays.fill(byPt, null);
        for (PayloadParams p : next.codecs()) {
            if (p.hasRtx()) {
                byPt[p.rtxPt()] = p;
            }
        }
        for (PayloadParams p : next.codecs()) {
            byPt[p.pt()] = p; // a media PT wins over an RTX PT of the same number (a peer's mistake)
        }
    }

    NegotiatedMedia info() {
        return info;
    }

    public String mid() {
        return mid;
    }

    public MediaKind kind() {
        return info.kind();
    }

    /** Our direction: SEND_ONLY means we send and the peer receives. */
    public Direction direction() {
        return info.direction();
    }

    /** The negotiated payload types in preference order (each names its RTX payload type, -1 if none). */
    public List<PayloadParams> payloadParams() {
        return info.codecs();
    }

    /** The negotiated header extensions and their ids. */
    public ExtensionMap extensions() {
        return info.extensions();
    }

    /** The streams we send on this m-line: SSRC, RTX SSRC and rid (what an SFU writes into forwarded packets). */
    public List<io.eddyrtc.engine.sdp.StreamIds> sendStreams() {
        return info.sendStreams();
    }

    /** The simulcast layers we send (empty without simulcast). */
    public List<Rid> sendRids() {
        return info.sendRids();
    }

    /** The simulcast layers the peer sends us (empty without simulcast). */
    public List<Rid> receiveRids() {
        return info.receiveRids();
    }

    /**
     * A writer for samples of payload type {@code pt} (see {@link #payloadParams()}).
     *
     * @throws IllegalArgumentException if {@code pt} was not negotiated on this m-line
     * @throws IllegalStateException    if this m-line does not send (direction RECV_ONLY or INACTIVE)
     */
    public MediaWriter writer(int pt) {
        PayloadParams params = info.payload(pt);
        if (params == null || params.pt() != pt) {
            throw new IllegalArgumentException("payload type " + pt + " was not negotiated on mid " + mid + "; pick one of "
                    + info.codecs().stream().map(PayloadParams::pt).toList());
        }
        if (params.codec().isRepair()) {
            throw new IllegalArgumentException("payload type " + pt + " is " + params.codec() + ", which repairs another "
                    + "payload type and carries no samples; write with the media payload type it protects");
        }
        if (!info.direction().isSending()) {
            throw new IllegalStateException("mid " + mid + " is " + info.direction() + ": nothing is sent on it; "
                    + "change its direction through the SdpApi (or DirectApi) first");
        }
        return new MediaWriter(rtc, this, params);
    }

    /** The preferred (first) negotiated payload type, for a quick {@code media.writer(media.pt())}. */
    public int pt() {
        return info.codecs().getFirst().pt();
    }

    /** Asks every sender of streams received on this m-line for a keyframe (an RTCP PLI). */
    public void requestKeyframe() {
        rtc.requestKeyframe(mid);
    }

    @Override
    public String toString() {
        return "Media[" + mid + " " + info.kind() + " " + info.direction() + "]";
    }
}
