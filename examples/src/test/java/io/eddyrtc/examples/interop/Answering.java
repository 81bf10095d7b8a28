package io.eddyrtc.examples.interop;

import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.loop.UdpRunLoop;
import io.eddyrtc.ice.Candidate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The signalling side of the browser tests where Chromium offers: a loopback HTTP server that the Rtc answers through. */
final class Answering {
    private Answering() {
    }

    /**
     * Serves the http-post page on loopback; the offer the page POSTs is answered by {@code rtc}, with the
     * socket of {@code loop} as its candidate. Runs before the loop's thread starts, so the Rtc is used from
     * one thread at a time.
     */
    static SignalingServer server(Rtc rtc, UdpRunLoop loop) throws IOException {
        return SignalingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), offerJson -> {
            rtc.addLocalCandidate(Candidate.host(loop.localAddress()));
            return rtc.acceptOffer(SdpOffer.fromJson(offerJson)).toJson();
        });
    }
}
