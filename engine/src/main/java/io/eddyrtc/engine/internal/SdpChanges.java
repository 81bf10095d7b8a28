package io.eddyrtc.engine.internal;

import static java.lang.System.Logger.Level.DEBUG;

import io.eddyrtc.engine.internal.media.MediaLayer;
import io.eddyrtc.engine.sdp.ChannelConfig;
import io.eddyrtc.engine.sdp.SdpChange;
import io.eddyrtc.engine.sdp.SdpSession;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceAgent;

/**
 * Applies what an accepted offer or answer changed, as the {@link SdpSession} queued it, to the layers of an
 * {@code Rtc}: ICE (restart, credentials, lite, role), remote candidates (parsed with the ICE module; one it
 * cannot use is skipped), DTLS (fingerprint, role), media (m-lines added, changed, stopped) and data channels
 * (the SCTP transport negotiated, channels the description asked for).
 */
public final class SdpChanges {
    /** Logged under the {@code Rtc}'s logger, where an operator looks for what a peer signalled. */
    private static final System.Logger LOG = System.getLogger("io.eddyrtc.engine.Rtc");

    private final IceAgent ice;
    private final DtlsLayer dtls;
    private final MediaLayer media;
    private final ChannelLayer channels;

    public SdpChanges(IceAgent ice, DtlsLayer dtls, MediaLayer media, ChannelLayer channels) {
        this.ice = ice;
        this.dtls = dtls;
        this.media = media;
        this.channels = channels;
    }

    /** Drains {@code sdp}'s changes into the layers, in the order the session queued them. */
    public void apply(long now, SdpSession sdp) {
        for (SdpChange change; (change = sdp.pollChange()) != null; ) {
            switch (change) {
                case SdpChange.Ice c -> {
                    if (c.restart()) {
                        ice.restart();
                    }
                    ice.setLocalCredentials(c.local().ufrag(), c.local().pwd());
                    ice.setRemoteCredentials(c.remote().ufrag(), c.remote().pwd());
                    ice.setRemoteLite(c.remoteLite());
                    if (!ice.isLite()) {
                        ice.setControlling(c.controlling());
                    }
                }
                case SdpChange.RemoteCandidates c -> {
                    for (String line : c.candidates()) {
                        addRemoteCandidate(line);
                    }
                    if (c.endOfCandidates()) {
                        ice.endOfRemoteCandidates();
                    }
                }
                case SdpChange.Dtls d -> {
                    dtls.setRemoteFingerprint(d.remoteFingerprint());
                    if (!dtls.isStarted()) {
                        dtls.start(d.active());
                    }
                }
                case SdpChange.MediaAdded added -> media.add(added.media());
                case SdpChange.MediaChanged changed -> media.change(changed.media());
                case SdpChange.MediaStopped stopped -> media.stop(stopped.mid());
                case SdpChange.ChannelTransport t -> channels.negotiated(now);
                case SdpChange.OpenChannel open -> {
                    ChannelConfig c = open.channel();
                    channels.create(now, c.label(), c.protocol(), c.reliability());
                }
            }
        }
    }

    private void addRemoteCandidate(String line) {
        try {
            ice.addRemoteCandidate(Candidate.parse(line));
        } catch (IllegalArgumentException unusable) {
            if (LOG.isLoggable(DEBUG)) {
                LOG.log(DEBUG, "ignored remote candidate {0}: {1}", line, unusable.getMessage());
            }
        }
    }
}
