package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.DirectApi;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.ice.Candidate;

/**
 * What {@code Rtc.sdpApi()} has to do with a session's changes, written against today's
 * {@link DirectApi}: the sketch of the engine's wiring, proven by {@link SdpRtcWiringTest}.
 */
final class SdpChangeApplier {
    private SdpChangeApplier() {
    }

    static void applyAll(SdpSession session, Rtc rtc) {
        for (SdpChange c; (c = session.pollChange()) != null; ) {
            apply(c, rtc);
        }
    }

    static void apply(SdpChange change, Rtc rtc) {
        DirectApi direct = rtc.directApi();
        switch (change) {
            case SdpChange.Ice ice -> {
                if (ice.restart()) {
                    direct.iceRestart();
                }
                direct.setLocalIceCredentials(ice.local());
                direct.setRemoteIceCredentials(ice.remote());
                direct.setRemoteIceLite(ice.remoteLite());
                if (!rtc.config().ice().lite()) {
                    direct.setIceControlling(ice.controlling());
                }
            }
            case SdpChange.RemoteCandidates candidates -> {
                for (String text : candidates.candidates()) {
                    Candidate c = Candidate.tryParse(text); // peer text: a bad candidate is skipped, not fatal
                    if (c != null) {
                        rtc.addRemoteCandidate(c);
                    }
                }
                if (candidates.endOfCandidates()) {
                    rtc.endOfRemoteCandidates();
                }
            }
            case SdpChange.Dtls dtls -> {
                direct.setRemoteFingerprint(dtls.remoteFingerprint());
                direct.startDtls(dtls.active());
            }
            case SdpChange.MediaAdded added -> receive(direct, added.media());
            case SdpChange.MediaChanged changed -> receive(direct, changed.media());
            case SdpChange.MediaStopped stopped -> {
                // the Rtc has no way to drop receivers yet
            }
            case SdpChange.ChannelTransport transport -> {
                // SCTP runs on 5000 both sides today; the peer's max message size would cap writes
            }
            case SdpChange.OpenChannel open -> direct.createDataChannel(open.channel().label(), open.channel().ordered(),
                    open.channel().maxRetransmits(), open.channel().maxLifetimeMillis());
        }
    }

    private static void receive(DirectApi direct, MediaInfo media) {
        if (!media.direction().isReceiving()) {
            return;
        }
        for (PayloadParams p : media.codecs()) {
            direct.receiveMedia(media.mid().value(), p.pt(), p.codec());
        }
    }
}
