package io.eddyrtc.engine.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Lookups over an attribute list, shared by the session level ({@link SessionDescription}) and the media
 * level ({@link SdpMedia}); ICE and DTLS attributes may sit at either.
 */
public interface Attributes {
    List<SdpAttribute> attributes();

    /** The value of the first {@code a=name}, or {@code null}; "" for a flag attribute. */
    default String value(String name) {
        for (SdpAttribute a : attributes()) {
            if (a.name().equals(name)) {
                return a.value() == null ? "" : a.value();
            }
        }
        return null;
    }

    /** The values of every {@code a=name}, in order. */
    default List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (SdpAttribute a : attributes()) {
            if (a.name().equals(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return out;
    }

    default boolean has(String name) {
        return value(name) != null;
    }

    default String iceUfrag() {
        return value("ice-ufrag");
    }

    default String icePwd() {
        return value("ice-pwd");
    }

    /** {@code a=fingerprint} values as text; {@link io.eddyrtc.crypto.dtls.Fingerprint#parse} reads them. */
    default List<String> fingerprints() {
        return values("fingerprint");
    }

    /** The {@code a=candidate} values as text: the ICE module parses them. */
    default List<String> candidates() {
        return values("candidate");
    }

    default Setup setup() {
        String v = value("setup");
        return v == null ? null : Setup.parse(v);
    }
}
