package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.CodecConfig;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.rtp.RtpExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link SdpSession} offers and accepts: codecs, header extensions with the ids it offers them
 * under, the SCTP port and maximum message size of the data channel section, and whether we are ICE-lite.
 * Defaults: {@link CodecConfig#withDefaults()}, the extensions and ids str0m and Chromium use, port 5000,
 * 256 KiB messages.
 */
public final class SdpConfig {
    /** An extension eddy offers for media of {@code kinds} under {@code id}. */
    public record ExtensionChoice(int id, RtpExtension extension, Set<MediaKind> kinds) {
        public ExtensionChoice {
            Objects.requireNonNull(extension, "extension");
            kinds = Set.copyOf(kinds);
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("extension id " + id + " must be 1 to 255 (1 to 14 for the one-byte form)");
            }
        }
    }

    private CodecConfig codecs = CodecConfig.withDefaults();
    private final List<ExtensionChoice> extensions = new ArrayList<>(List.of(
            new ExtensionChoice(1, RtpExtension.AUDIO_LEVEL, Set.of(MediaKind.AUDIO)),
            new ExtensionChoice(2, RtpExtension.ABS_SEND_TIME, Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
            new ExtensionChoice(3, RtpExtension.TRANSPORT_WIDE_CC, Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
            new ExtensionChoice(4, RtpExtension.MID, Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
            new ExtensionChoice(10, RtpExtension.RID, Set.of(MediaKind.VIDEO)),
            new ExtensionChoice(11, RtpExtension.REPAIRED_RID, Set.of(MediaKind.VIDEO)),
            new ExtensionChoice(13, RtpExtension.VIDEO_ORIENTATION, Set.of(MediaKind.VIDEO))));
    private int sctpPort = 5000;
    private long maxMessageSize = 262_144;
    private boolean iceLite;
    private boolean answerPassive;
    private SdpLimits limits = SdpLimits.defaults();

    public CodecConfig codecs() {
        return codecs;
    }

    public SdpConfig codecs(CodecConfig codecs) {
        this.codecs = Objects.requireNonNull(codecs, "codecs").copy();
        return this;
    }

    public List<ExtensionChoice> extensions() {
        return List.copyOf(extensions);
    }

    /** The extensions offered for {@code kind}. */
    public List<ExtensionChoice> extensions(MediaKind kind) {
        return extensions.stream().filter(e -> e.kinds().contains(kind)).toList();
    }

    /**
     * Offers {@code extension} for {@code kinds} under {@code id}, replacing an earlier choice for it.
     *
     * @throws IllegalArgumentException if another extension already uses {@code id}
     */
    public SdpConfig extension(int id, RtpExtension extension, Set<MediaKind> kinds) {
        extensions.removeIf(e -> e.extension() == extension);
        for (ExtensionChoice e : extensions) {
            if (e.id() == id) {
                throw new IllegalArgumentException("extension id " + id + " is taken by " + e.extension() + "; pick another");
            }
        }
        extensions.add(new ExtensionChoice(id, extension, kinds));
        return this;
    }

    /** Stops offering and accepting {@code extension}. */
    public SdpConfig removeExtension(RtpExtension extension) {
        extensions.removeIf(e -> e.extension() == extension);
        return this;
    }

    ExtensionChoice choice(RtpExtension extension, MediaKind kind) {
        for (ExtensionChoice e : extensions) {
            if (e.extension() == extension && e.kinds().contains(kind)) {
                return e;
            }
        }
        return null;
    }

    public int sctpPort() {
        return sctpPort;
    }

    public SdpConfig sctpPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("sctp port " + port + " must be 1 to 65535");
        }
        this.sctpPort = port;
        return this;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    public SdpConfig maxMessageSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("max message size must be >= 0 (0 means unlimited)");
        }
        this.maxMessageSize = bytes;
        return this;
    }

    public boolean iceLite() {
        return iceLite;
    }

    /** We are ICE-lite: the session writes {@code a=ice-lite} and never takes the controlling role. */
    public SdpConfig iceLite(boolean lite) {
        this.iceLite = lite;
        return this;
    }

    public boolean answerPassive() {
        return answerPassive;
    }

    /**
     * Answer an {@code actpass} offer with {@code a=setup:passive}: the offerer becomes the DTLS client (and
     * sends the first SCTP INIT). Off by default (we answer active, as browsers do). A server answering
     * browsers may turn it on so that only the browser opens SCTP (see docs/design.md on INIT collisions).
     */
    public SdpConfig answerPassive(boolean passive) {
        this.answerPassive = passive;
        return this;
    }

    public SdpLimits limits() {
        return limits;
    }

    /**
     * The caps on what a peer's description may declare; the session refuses one past them. Loosening them
     * also means parsing with them: {@code SdpOffer.fromJson(json, config.limits())}.
     */
    public SdpConfig limits(SdpLimits value) {
        this.limits = Objects.requireNonNull(value, "limits: SdpLimits.defaults()");
        return this;
    }

    /** An independent copy (a session keeps its own, so later changes to this one do not reach it). */
    public SdpConfig copy() {
        SdpConfig c = new SdpConfig();
        c.codecs = codecs.copy();
        c.extensions.clear();
        c.extensions.addAll(extensions);
        c.sctpPort = sctpPort;
        c.maxMessageSize = maxMessageSize;
        c.iceLite = iceLite;
        c.answerPassive = answerPassive;
        c.limits = limits;
        return c;
    }
}
