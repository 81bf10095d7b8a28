package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpExtension;
import java.util.ArrayList;
import java.util.List;

/**
 * One m-line of a session, the negotiation's working state. Mutable, but a session only ever changes
 * a {@link #copy()}: the committed state is replaced whole, so a refused description leaves it untouched.
 */
final class MediaLine {
    /** What the m-line carries; OTHER is a media type eddy does not speak (answered with port 0). */
    enum Type { AUDIO, VIDEO, APPLICATION, OTHER }

    /** One negotiated header extension. */
    record Ext(int id, RtpExtension extension) {}

    Mid mid;
    Type type;
    /** For OTHER lines and stopped lines: the m= fields to echo. */
    String mediaToken;
    String proto;
    List<String> formats = List.of();

    /** Port 0: rejected or stopped, by either side. */
    boolean stopped;
    /** Negotiated at least once (so a change is {@link SdpChange.MediaChanged}, not Added). */
    boolean negotiated;
    /** What we want: the direction the application set. */
    Direction wanted = Direction.SEND_RECV;
    /** What both sides agreed, from our side; INACTIVE until negotiated. */
    Direction direction = Direction.INACTIVE;

    List<PayloadParams> codecs = List.of();
    List<Ext> extensions = List.of();

    Msid localMsid;
    List<StreamIds> sendStreams = List.of();
    /** Rids we would send (addMedia's simulcast); the agreed ones are {@link #sendRids}. */
    List<Rid> offeredSendRids = List.of();
    List<Rid> sendRids = List.of();
    List<Rid> receiveRids = List.of();
    List<StreamIds> receiveStreams = List.of();
    Msid remoteMsid;

    int remoteSctpPort = -1;
    long remoteMaxMessageSize = -1;

    MediaLine copy() {
        MediaLine c = new MediaLine();
        c.mid = mid;
        c.type = type;
        c.mediaToken = mediaToken;
        c.proto = proto;
        c.formats = formats;
        c.stopped = stopped;
        c.negotiated = negotiated;
        c.wanted = wanted;
        c.direction = direction;
        c.codecs = codecs;
        c.extensions = extensions;
        c.localMsid = localMsid;
        c.sendStreams = sendStreams;
        c.offeredSendRids = offeredSendRids;
        c.sendRids = sendRids;
        c.receiveRids = receiveRids;
        c.receiveStreams = receiveStreams;
        c.remoteMsid = remoteMsid;
        c.remoteSctpPort = remoteSctpPort;
        c.remoteMaxMessageSize = remoteMaxMessageSize;
        return c;
    }

    MediaKind kind() {
        return switch (type) {
            case AUDIO -> MediaKind.AUDIO;
            case VIDEO -> MediaKind.VIDEO;
            default -> null;
        };
    }

    boolean isMedia() {
        return type == Type.AUDIO || type == Type.VIDEO;
    }

    ExtensionMap extensionMap() {
        ExtensionMap m = new ExtensionMap();
        for (Ext e : extensions) {
            m.set(e.id(), e.extension());
        }
        return m;
    }

    /**
     * The streams we send now: one per agreed rid, in the agreed order; without agreed simulcast, the first
     * stream alone, without a rid (it then goes out as a plain stream under its SSRC).
     */
    List<StreamIds> activeSendStreams() {
        if (!direction.isSending() || sendStreams.isEmpty()) {
            return List.of();
        }
        if (sendRids.isEmpty()) {
            StreamIds first = sendStreams.getFirst();
            return List.of(new StreamIds(first.ssrc(), first.rtxSsrc(), null));
        }
        List<StreamIds> out = new ArrayList<>();
        for (Rid rid : sendRids) {
            for (StreamIds st : sendStreams) {
                if (rid.equals(st.rid())) {
                    out.add(st);
                }
            }
        }
        return out;
    }

    NegotiatedMedia info(String cname) {
        return new NegotiatedMedia(mid, kind(), direction, codecs, extensionMap(), activeSendStreams(),
                sendRids, receiveStreams, receiveRids, direction.isSending() ? localMsid : null, remoteMsid, cname);
    }

    /** Whether what the engine sees of this line differs from {@code before}. */
    boolean differsFrom(MediaLine before, String cname) {
        return !info(cname).equals(before.info(cname)) || !extensions.equals(before.extensions);
    }
}
