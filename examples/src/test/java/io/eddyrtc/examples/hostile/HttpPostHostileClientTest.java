package io.eddyrtc.examples.hostile;

import io.eddyrtc.examples.httppost.ExampleServer;
import java.net.InetSocketAddress;

/** {@code ./eddy http-post} under attack, with a Chromium page sending its camera and echoing on its data channel. */
class HttpPostHostileClientTest extends HostileClientTests {

    @Override
    ExampleServer.Kind kind() {
        return ExampleServer.Kind.HTTP_POST;
    }

    @Override
    LegitimateCall joinLegitimateCall(ExampleServer server, InetSocketAddress decoy) {
        return ChromiumOnHttpPost.join(chromium, server, decoy);
    }

    @Override
    boolean echoes() {
        return true;
    }
}
