package io.eddyrtc.examples.hostile;

import io.eddyrtc.examples.httppost.ExampleServer;
import java.net.InetSocketAddress;

/** {@code ./eddy chat} under attack, with two Chromium members decoding each other's camera. */
class ChatHostileClientTest extends HostileClientTests {

    @Override
    ExampleServer.Kind kind() {
        return ExampleServer.Kind.CHAT;
    }

    @Override
    LegitimateCall joinLegitimateCall(ExampleServer server, InetSocketAddress decoy) throws Exception {
        return TwoChromiumMembersOnChat.join(chromium, server, decoy);
    }

    @Override
    boolean echoes() {
        return false;
    }
}
