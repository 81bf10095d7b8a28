package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.ExtensionMap;
import java.util.List;
import java.util.Objects;

/**
 * One negotiated audio or video m-line, as the engine needs it to send and receive: everything here is
 * what both sides agreed on (by SDP, or out of band through the {@code DirectApi}).
 *
 * @param direction      our direction: SEND_ONLY means we send and the peer receives
 * @param codecs         the payload types in preference order; each names its RTX PT (-1 for none)
 * @param extensions     a fresh {@link ExtensionMap} with the negotiated ids (the same for both directions)
 * @param sendStreams    our SSRCs (with RTX SSRCs and rids, one per simulcast layer)
 * @param sendRids       the rids the peer accepted to receive from us (empty without simulcast)
 * @param receiveStreams the SSRCs the peer declared
 * @param receiveRids    the rids the peer will send us (empty without simulcast)
 * @param localMsid      the stream and track ids we signal; {@code null} if we do not send
 * @param remoteMsid     the peer's stream and track ids, {@code null} if it gave none
 * @param cname          our RTCP CNAME
 */
public record NegotiatedMedia(Mid mid, MediaKind kind, Direction direction, List<PayloadParams> codecs, ExtensionMap extensions,
                              List<StreamIds> sendStreams, List<Rid> sendRids, List<StreamIds> receiveStreams,
                              List<Rid> receiveRids, Msid localMsid, Msid remoteMsid, String cname) {
    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        sendStreams = List.copyOf(sendStreams);
        sendRids = List.copyOf(sendRids);
        receiveStreams = List.copyOf(receiveStreams);
        receiveRids = List.copyOf(receiveRids);
    }

    /** An m-line with no declared streams, no simulcast and no msid: what the {@code DirectApi} starts from. */
    public static NegotiatedMedia of(Mid mid, MediaKind kind, Direction direction, List<PayloadParams> codecs,
                                     ExtensionMap extensions, String cname) {
        return new NegotiatedMedia(mid, kind, direction, codecs, extensions, List.of(), List.of(), List.of(), List.of(), null,
                null, cname);
    }

    public NegotiatedMedia withDirection(Direction next) {
        return new NegotiatedMedia(mid, kind, next, codecs, extensions, sendStreams, sendRids, receiveStreams, receiveRids,
                localMsid, remoteMsid, cname);
    }

    public NegotiatedMedia withCodecs(List<PayloadParams> next) {
        return new NegotiatedMedia(mid, kind, direction, next, extensions, sendStreams, sendRids, receiveStreams, receiveRids,
                localMsid, remoteMsid, cname);
    }

    /** The same m-line with our streams {@code send} and the peer's declared streams {@code receive}. */
    public NegotiatedMedia withStreams(List<StreamIds> send, List<StreamIds> receive) {
        return new NegotiatedMedia(mid, kind, direction, codecs, extensions, send, sendRids, receive, receiveRids, localMsid,
                remoteMsid, cname);
    }

    /** The payload type with number {@code pt}, or its RTX PT's main payload type; {@code null} if neither. */
    public PayloadParams payload(int pt) {
        for (PayloadParams p : codecs) {
            if (p.pt() == pt || p.rtxPt() == pt) {
                return p;
            }
        }
        return null;
    }

    /** Value equality; {@link ExtensionMap} has none of its own, so its mappings are compared here. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NegotiatedMedia m && mid.equals(m.mid) && kind == m.kind && direction == m.direction
                && codecs.equals(m.codecs) && sameExtensions(extensions, m.extensions) && sendStreams.equals(m.sendStreams)
                && sendRids.equals(m.sendRids) && receiveStreams.equals(m.receiveStreams) && receiveRids.equals(m.receiveRids)
                && Objects.equals(localMsid, m.localMsid) && Objects.equals(remoteMsid, m.remoteMsid)
                && cname.equals(m.cname);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mid, direction, codecs, sendStreams, receiveStreams);
    }

    private static boolean sameExtensions(ExtensionMap a, ExtensionMap b) {
        for (int id = 1; id <= ExtensionMap.MAX_ID; id++) {
            if (a.lookup(id) != b.lookup(id)) {
                return false;
            }
        }
        return true;
    }
}
