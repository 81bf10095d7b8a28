package io.eddyrtc.engine.internal.media;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.sdp.NegotiatedMedia;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One negotiated m-line inside an {@code Rtc}, as the media path reads it on every packet: what both sides
 * agreed ({@link NegotiatedMedia}), the mid as the bytes of its header extension, and a 128-entry payload
 * type table (an RTX payload type maps to the params it repairs), so routing a packet neither iterates nor
 * allocates. A renegotiation updates it in place. The public {@code Media} handle reads through it.
 */
public final class MediaSection {
    private final String mid;
    private final byte[] midAscii;
    private NegotiatedMedia agreed;
    private final PayloadParams[] byPt = new PayloadParams[128];

    MediaSection(NegotiatedMedia agreed) {
        this.mid = agreed.mid().value();
        this.midAscii = mid.getBytes(StandardCharsets.US_ASCII);
        update(agreed);
    }

    public String mid() {
        return mid;
    }

    /** What both sides agreed for this m-line, as of the last negotiation. */
    public NegotiatedMedia agreed() {
        return agreed;
    }

    void update(NegotiatedMedia next) {
        this.agreed = next;
        Arrays.fill(byPt, null);
        for (PayloadParams p : next.codecs()) {
            if (p.hasRtx()) {
                byPt[p.rtxPt()] = p;
            }
        }
        for (PayloadParams p : next.codecs()) {
            byPt[p.pt()] = p; // a media PT wins over an RTX PT of the same number (a peer's mistake)
        }
    }

    /** The params of payload type {@code pt} (or of the PT an RTX {@code pt} repairs); null if not negotiated. */
    PayloadParams payloadFor(int pt) {
        return byPt[pt & 0x7F];
    }

    /** The mid as the bytes of its header extension (reused per packet, never changed). */
    byte[] midAscii() {
        return midAscii;
    }

    MediaKind kind() {
        return agreed.kind();
    }

    /** Our direction: SEND_ONLY means we send and the peer receives. */
    Direction direction() {
        return agreed.direction();
    }

    ExtensionMap extensions() {
        return agreed.extensions();
    }

    List<PayloadParams> codecs() {
        return agreed.codecs();
    }

    @Override
    public String toString() {
        return "MediaSection[" + mid + " " + agreed.kind() + " " + agreed.direction() + "]";
    }
}
