package io.eddyrtc.engine.sdp;

import java.util.Objects;

/**
 * One {@code a=} line: a name and, for value attributes, the text after the first colon ({@code null} for
 * flag attributes such as {@code a=rtcp-mux}). Attributes are kept as text so that ones eddy does not know
 * survive a parse/write round trip; the typed readers ({@link RtpMap}, {@link ExtMap}, ...) interpret them.
 */
public record SdpAttribute(String name, String value) {
    public SdpAttribute {
        Objects.requireNonNull(name, "name");
    }

    public static SdpAttribute flag(String name) {
        return new SdpAttribute(name, null);
    }

    public static SdpAttribute of(String name, Object value) {
        return new SdpAttribute(name, String.valueOf(value));
    }

    /** The line without {@code a=} and CRLF. */
    public String text() {
        return value == null ? name : name + ":" + value;
    }
}
