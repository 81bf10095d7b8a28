package io.eddyrtc.engine.sim;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.ice.Candidate;

import java.net.InetSocketAddress;

/**
 * Sets two {@link Rtc}s up for each other through their {@link io.eddyrtc.engine.DirectApi}, the way an
 * application that signals without SDP would: one controlling, one controlled, credentials swapped,
 * one host candidate each.
 */
public final class DirectSignalling {
    private DirectSignalling() {
    }

    /** {@code controlling} at {@code controllingAddress} and {@code controlled} at {@code controlledAddress}. */
    public static void pair(Rtc controlling, InetSocketAddress controllingAddress,
                            Rtc controlled, InetSocketAddress controlledAddress) {
        controlling.directApi().setIceControlling(true);
        if (!controlled.config().ice().lite()) {
            controlled.directApi().setIceControlling(false);
        }
        Candidate a = Candidate.host(controllingAddress);
        Candidate b = Candidate.host(controlledAddress);
        controlling.addLocalCandidate(a);
        controlled.addLocalCandidate(b);
        controlling.directApi().setRemoteIceCredentials(controlled.directApi().localIceCredentials());
        controlled.directApi().setRemoteIceCredentials(controlling.directApi().localIceCredentials());
        if (controlled.config().ice().lite()) {
            controlling.directApi().setRemoteIceLite(true);
        }
        controlling.addRemoteCandidate(b);
        controlled.addRemoteCandidate(a);
    }

    /** ICE as {@link #pair}, then DTLS: fingerprints swapped, the controlling side the DTLS client. */
    public static void pairWithDtls(Rtc controlling, InetSocketAddress controllingAddress,
                                    Rtc controlled, InetSocketAddress controlledAddress) {
        pair(controlling, controllingAddress, controlled, controlledAddress);
        controlling.directApi().setRemoteFingerprint(controlled.directApi().localDtlsFingerprint());
        controlled.directApi().setRemoteFingerprint(controlling.directApi().localDtlsFingerprint());
        controlling.directApi().startDtls(true);
        controlled.directApi().startDtls(false);
    }
}
