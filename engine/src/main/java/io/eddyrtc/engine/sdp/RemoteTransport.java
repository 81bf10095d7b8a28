package io.eddyrtc.engine.sdp;

import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.engine.IceCredentials;

import java.util.List;

/** The transport parameters of a peer's description: one set for the whole BUNDLE group. */
record RemoteTransport(IceCredentials ice, boolean lite, Fingerprint fingerprint, Setup setup, List<String> candidates,
                       boolean endOfCandidates) {}
