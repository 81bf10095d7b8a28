package io.eddyrtc.engine.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed SDP (RFC 8866): the session-level lines and the media sections, immutable. {@link #parse}
 * accepts what browsers write (and LF-only text); {@link #toSdp} writes CRLF lines in RFC order, so
 * {@code parse(toSdp(parse(x)))} equals {@code parse(x)}. Attributes eddy does not know are kept.
 *
 * @param extraLines session lines eddy does not interpret ({@code i= u= e= p= r= z= k=}) with their letter
 * @param connection the text after a session-level {@code c=}, or {@code null}
 * @param timing     the text after {@code t=}
 */
public record SessionDescription(SdpOrigin origin, String sessionName, List<String> extraLines, String connection,
                                 List<String> bandwidths, String timing, List<SdpAttribute> attributes,
                                 List<SdpMedia> media) implements Attributes {
    public SessionDescription {
        extraLines = List.copyOf(extraLines);
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /**
     * Parses SDP text within {@link SdpLimits#defaults()}.
     *
     * @throws SdpParseException naming the line and what is wrong with it, or the limit it exceeds
     */
    public static SessionDescription parse(String text) {
        return SdpParser.parse(text, SdpLimits.defaults());
    }

    /** Parses SDP text within {@code limits}. @throws SdpParseException as {@link #parse(String)} */
    public static SessionDescription parse(String text, SdpLimits limits) {
        return SdpParser.parse(text, Objects.requireNonNull(limits, "limits: SdpLimits.defaults()"));
    }

    /** The mids of every {@code a=group:BUNDLE}, group by group. */
    public List<List<String>> bundleGroups() {
        List<List<String>> out = new ArrayList<>();
        for (String v : values("group")) {
            String[] f = Tokens.fields(v);
            if (f[0].equals("BUNDLE")) {
                out.add(List.of(f).subList(1, f.length));
            }
        }
        return out;
    }

    public boolean iceLite() {
        return has("ice-lite");
    }

    /** The text: CRLF line endings, a trailing CRLF, fields in the order RFC 8866 §5 prescribes. */
    public String toSdp() {
        StringBuilder b = new StringBuilder(1024);
        line(b, 'v', "0");
        line(b, 'o', origin.text());
        line(b, 's', sessionName);
        extra(b, extraLines, "iuep");
        if (connection != null) {
            line(b, 'c', connection);
        }
        bandwidths.forEach(bw -> line(b, 'b', bw));
        line(b, 't', timing);
        extra(b, extraLines, "rzk");
        attributes.forEach(a -> line(b, 'a', a.text()));
        for (SdpMedia m : media) {
            line(b, 'm', m.mLine());
            extra(b, m.extraLines(), "i");
            if (m.connection() != null) {
                line(b, 'c', m.connection());
            }
            m.bandwidths().forEach(bw -> line(b, 'b', bw));
            extra(b, m.extraLines(), "k");
            m.attributes().forEach(a -> line(b, 'a', a.text()));
        }
        return b.toString();
    }

    private static void extra(StringBuilder b, List<String> lines, String letters) {
        for (String l : lines) {
            if (letters.indexOf(l.charAt(0)) >= 0) {
                b.append(l).append("\r\n");
            }
        }
    }

    private static void line(StringBuilder b, char type, String value) {
        b.append(type).append('=').append(value).append("\r\n");
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
