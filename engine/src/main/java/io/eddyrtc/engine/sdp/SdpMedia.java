package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.Mid;

import java.util.ArrayList;
import java.util.List;

/**
 * One media section: the {@code m=} line ({@code type port proto formats}), its {@code c=} and {@code b=}
 * lines, and its attributes in order. Immutable; the typed readers interpret the attributes and only
 * throw {@link SdpParseException} (the parser has already checked every attribute they read).
 *
 * @param type       {@code audio}, {@code video}, {@code application} or whatever the peer wrote
 * @param connection the text after {@code c=}, or {@code null}
 * @param extraLines other lines ({@code i=}, {@code k=}) with their letter, kept for the round trip
 */
public record SdpMedia(String type, int port, String proto, List<String> formats, String connection,
                       List<String> bandwidths, List<String> extraLines, List<SdpAttribute> attributes) implements Attributes {
    public SdpMedia {
        formats = List.copyOf(formats);
        bandwidths = List.copyOf(bandwidths);
        extraLines = List.copyOf(extraLines);
        attributes = List.copyOf(attributes);
    }

    /** Port 0 without {@code a=bundle-only}: the section is rejected or stopped (RFC 8829 §5.2.2, 8843 §7). */
    public boolean isRejected() {
        return port == 0 && !has("bundle-only");
    }

    public boolean isApplication() {
        return type.equals("application");
    }

    public Mid mid() {
        String v = value("mid");
        return v == null ? null : Mid.of(v);
    }

    /** The direction attribute, sendrecv when there is none (RFC 8866 §6.7). */
    public Direction direction() {
        for (SdpAttribute a : attributes) {
            Direction d = a.value() == null ? Direction.fromSdpName(a.name()) : null;
            if (d != null) {
                return d;
            }
        }
        return Direction.SEND_RECV;
    }

    public List<RtpMap> rtpMaps() {
        return values("rtpmap").stream().map(RtpMap::parse).toList();
    }

    public RtpMap rtpMap(int pt) {
        for (RtpMap m : rtpMaps()) {
            if (m.payloadType() == pt) {
                return m;
            }
        }
        return null;
    }

    /** The fmtp parameters of {@code pt} as text, "" if it has none. */
    public String fmtp(int pt) {
        for (String v : values("fmtp")) {
            Fmtp f = Fmtp.parse(v);
            if (f.payloadType() == pt) {
                return f.parameters();
            }
        }
        return "";
    }

    /** The rtcp-fb values for {@code pt}, including those given for {@code *}. */
    public List<String> rtcpFb(int pt) {
        List<String> out = new ArrayList<>();
        for (String v : values("rtcp-fb")) {
            RtcpFb fb = RtcpFb.parse(v);
            if (fb.payloadType() == pt || fb.payloadType() < 0) {
                out.add(fb.feedback());
            }
        }
        return out;
    }

    public List<ExtMap> extMaps() {
        return values("extmap").stream().map(ExtMap::parse).toList();
    }

    public List<SsrcAttr> ssrcs() {
        return values("ssrc").stream().map(SsrcAttr::parse).toList();
    }

    public List<SsrcGroup> ssrcGroups() {
        return values("ssrc-group").stream().map(SsrcGroup::parse).toList();
    }

    public List<RidAttr> rids() {
        return values("rid").stream().map(RidAttr::parse).toList();
    }

    public SimulcastAttr simulcast() {
        String v = value("simulcast");
        return v == null ? null : SimulcastAttr.parse(v);
    }

    public Msid msid() {
        String v = value("msid");
        return v == null ? null : Msid.parse(v);
    }

    public boolean endOfCandidates() {
        return has("end-of-candidates");
    }

    public int sctpPort() {
        String v = value("sctp-port");
        return v == null ? -1 : (int) Tokens.number(v.strip(), 0, 65535, "sctp-port");
    }

    /** {@code a=max-message-size}, or -1 when absent (which means 64 KiB, RFC 8841 §6). */
    public long maxMessageSize() {
        String v = value("max-message-size");
        return v == null ? -1 : Tokens.number(v.strip(), 0, Long.MAX_VALUE, "max-message-size");
    }

    /** The {@code m=} line's value. */
    public String mLine() {
        StringBuilder b = new StringBuilder(type).append(' ').append(port).append(' ').append(proto);
        formats.forEach(f -> b.append(' ').append(f));
        return b.toString();
    }
}
