package io.eddyrtc.engine.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How much of a peer's description eddy takes: its size and what it declares per m-line. A description
 * past a cap is refused whole with an {@link SdpParseException} that names the cap, so the work and memory
 * a description costs stay bounded whoever wrote it. The defaults leave room for browsers' largest real
 * descriptions (Chromium's video m-line has about 130 attributes and 25 formats; simulcast has 3 layers).
 *
 * <p>The parser applies the limits it is given ({@link SdpOffer#fromSdp(String, SdpLimits)}, defaults
 * otherwise); a session applies {@link SdpConfig#limits()} again to every description it accepts, so a
 * server that tightens them needs to do nothing else, and one that loosens them parses with the same.
 *
 * @param maxLength              characters of SDP text (default 256 KiB, as the example servers' body cap)
 * @param maxMediaLines          m-lines in a description (default 256: an SFU call with 128 publishers)
 * @param maxAttributesPerSection {@code a=} lines at session level and in each m-line (default 512)
 * @param maxFormatsPerMedia     payload types on one {@code m=} line (default 128, all there are)
 * @param maxSsrcsPerMedia       distinct SSRCs one m-line declares with {@code a=ssrc} (default 32: simulcast's
 *                               layers with RTX and FEC and room to spare)
 * @param maxSsrcGroupsPerMedia  {@code a=ssrc-group} lines in one m-line (default 16)
 * @param maxRidsPerMedia        {@code a=rid} lines in one m-line (default 8)
 */
public record SdpLimits(int maxLength, int maxMediaLines, int maxAttributesPerSection, int maxFormatsPerMedia,
                        int maxSsrcsPerMedia, int maxSsrcGroupsPerMedia, int maxRidsPerMedia) {

    private static final SdpLimits DEFAULTS = new SdpLimits(256 * 1024, 256, 512, 128, 32, 16, 8);

    public SdpLimits {
        if (maxLength < 1024 || maxMediaLines < 1 || maxAttributesPerSection < 16 || maxFormatsPerMedia < 1
                || maxSsrcsPerMedia < 0 || maxSsrcGroupsPerMedia < 0 || maxRidsPerMedia < 0) {
            throw new IllegalArgumentException("SdpLimits needs room for at least a small description (1024 characters, one"
                    + " m-line, 16 attributes, one format); start from SdpLimits.defaults()");
        }
    }

    public static SdpLimits defaults() {
        return DEFAULTS;
    }

    public SdpLimits withMaxLength(int characters) {
        return new SdpLimits(characters, maxMediaLines, maxAttributesPerSection, maxFormatsPerMedia, maxSsrcsPerMedia,
                maxSsrcGroupsPerMedia, maxRidsPerMedia);
    }

    public SdpLimits withMaxMediaLines(int lines) {
        return new SdpLimits(maxLength, lines, maxAttributesPerSection, maxFormatsPerMedia, maxSsrcsPerMedia,
                maxSsrcGroupsPerMedia, maxRidsPerMedia);
    }

    public SdpLimits withMaxAttributesPerSection(int attributes) {
        return new SdpLimits(maxLength, maxMediaLines, attributes, maxFormatsPerMedia, maxSsrcsPerMedia, maxSsrcGroupsPerMedia,
                maxRidsPerMedia);
    }

    public SdpLimits withMaxFormatsPerMedia(int formats) {
        return new SdpLimits(maxLength, maxMediaLines, maxAttributesPerSection, formats, maxSsrcsPerMedia, maxSsrcGroupsPerMedia,
                maxRidsPerMedia);
    }

    public SdpLimits withMaxSsrcsPerMedia(int ssrcs) {
        return new SdpLimits(maxLength, maxMediaLines, maxAttributesPerSection, maxFormatsPerMedia, ssrcs, maxSsrcGroupsPerMedia,
                maxRidsPerMedia);
    }

    public SdpLimits withMaxSsrcGroupsPerMedia(int groups) {
        return new SdpLimits(maxLength, maxMediaLines, maxAttributesPerSection, maxFormatsPerMedia, maxSsrcsPerMedia, groups,
                maxRidsPerMedia);
    }

    public SdpLimits withMaxRidsPerMedia(int rids) {
        return new SdpLimits(maxLength, maxMediaLines, maxAttributesPerSection, maxFormatsPerMedia, maxSsrcsPerMedia,
                maxSsrcGroupsPerMedia, rids);
    }

    /** Refuses text longer than {@link #maxLength()} before any of it is read. */
    void checkLength(String text) {
        if (text.length() > maxLength) {
            throw new SdpParseException(0, "the description has " + text.length() + " characters; the limit is " + maxLength
                    + " (SdpLimits.maxLength)");
        }
    }

    /** Refuses a description that declares more than a cap allows; the message names the m-line and the cap. */
    void check(SessionDescription description) {
        List<SdpMedia> media = description.media();
        over(media.size(), maxMediaLines, "the description has", "m-lines", "maxMediaLines");
        over(description.attributes().size(), maxAttributesPerSection, "the session level has", "attributes",
                "maxAttributesPerSection");
        for (int i = 0; i < media.size(); i++) {
            SdpMedia m = media.get(i);
            String where = "m-line " + (i + 1) + " has";
            over(distinctSsrcs(m), maxSsrcsPerMedia, where, "distinct SSRCs", "maxSsrcsPerMedia");
            over(count(m, "ssrc-group"), maxSsrcGroupsPerMedia, where, "a=ssrc-group lines", "maxSsrcGroupsPerMedia");
            over(count(m, "rid"), maxRidsPerMedia, where, "a=rid lines", "maxRidsPerMedia");
            over(m.formats().size(), maxFormatsPerMedia, where, "formats", "maxFormatsPerMedia");
            over(m.attributes().size(), maxAttributesPerSection, where, "attributes", "maxAttributesPerSection");
        }
    }

    private static void over(int count, int cap, String where, String what, String capName) {
        if (count > cap) {
            throw new SdpParseException(0, where + " " + count + " " + what + "; the limit is " + cap + " (SdpLimits." + capName + ")");
        }
    }

    private static int count(SdpMedia m, String name) {
        int n = 0;
        for (SdpAttribute a : m.attributes()) {
            if (a.name().equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** SSRCs named by {@code a=ssrc} lines: a stream usually has two or three lines (cname, msid), one id. */
    private static int distinctSsrcs(SdpMedia m) {
        Set<String> ids = new HashSet<>();
        for (SdpAttribute a : m.attributes()) {
            if (a.name().equals("ssrc") && a.value() != null) {
                int space = a.value().indexOf(' ');
                ids.add(space < 0 ? a.value() : a.value().substring(0, space));
            }
        }
        return ids.size();
    }
}
