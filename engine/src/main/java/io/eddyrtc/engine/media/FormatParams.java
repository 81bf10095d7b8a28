package io.eddyrtc.engine.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The parameters of one payload type ({@code a=fmtp}, e.g. {@code minptime=10;useinbandfec=1}), in the order
 * given. Names compare case-insensitively (RFC 8866 §6.15 leaves them to the codec; browsers treat them so).
 * A parameter without {@code =}, like telephone-event's {@code 0-15}, has a {@code null} value.
 */
public final class FormatParams {
    /** One {@code name=value} pair; value is {@code null} for a bare token. */
    public record Param(String name, String value) {
        public Param {
            Objects.requireNonNull(name, "name");
        }
    }

    public static final FormatParams NONE = new FormatParams(List.of());

    private final List<Param> params;

    private FormatParams(List<Param> params) {
        this.params = List.copyOf(params);
    }

    /** Reads fmtp text; never fails (unknown shapes become bare tokens). */
    public static FormatParams parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Param> out = new ArrayList<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            out.add(eq < 0 ? new Param(p, null) : new Param(p.substring(0, eq).strip(), p.substring(eq + 1).strip()));
        }
        return new FormatParams(out);
    }

    /** Builds from alternating names and values: {@code of("minptime", "10", "useinbandfec", "1")}. */
    public static FormatParams of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("give names and values in pairs");
        }
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.add(new Param(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new FormatParams(out);
    }

    public List<Param> params() {
        return params;
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** The value of {@code name}, or {@code null}. */
    public String get(String name) {
        for (Param p : params) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return p.value();
            }
        }
        return null;
    }

    /** An integer parameter, or {@code fallback} when absent or not a number. */
    public long getLong(String name, long fallback) {
        String v = get(name);
        if (v == null || v.isEmpty() || v.length() > 18) {
            return fallback;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return fallback;
            }
        }
        return Long.parseLong(v);
    }

    /** A copy with {@code name} set to {@code value}, in place if present, else appended. */
    public FormatParams with(String name, String value) {
        List<Param> out = new ArrayList<>(params);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).name().equalsIgnoreCase(name)) {
                out.set(i, new Param(out.get(i).name(), value));
                return new FormatParams(out);
            }
        }
        out.add(new Param(name, value));
        return new FormatParams(out);
    }

    /** The fmtp text, "" if empty. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Param p : params) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(p.name());
            if (p.value() != null) {
                b.append('=').append(p.value());
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FormatParams f && f.params.equals(params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
