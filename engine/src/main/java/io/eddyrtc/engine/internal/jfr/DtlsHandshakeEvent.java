package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * From our ClientHello (as the client) or the peer's first DTLS datagram (as the server) to the end of the
 * handshake: JFR's duration is wall-clock time, {@link #rtcDuration} the same span by the {@code Rtc}'s clock.
 */
@Name("io.eddyrtc.DtlsHandshake")
@Label("DTLS Handshake")
@Category({"eddy", "DTLS"})
@Description("A DTLS handshake from its first flight to connected, failed or abandoned")
final class DtlsHandshakeEvent extends RtcEvent {
    @Label("Role")
    @Description("client or server")
    String role;

    @Label("Outcome")
    @Description("connected, failed, or abandoned (the Rtc was disconnected first)")
    String outcome;

    @Label("Version")
    String version;

    @Label("Cipher Suite")
    String cipherSuite;

    @Label("Group")
    @Description("The key-exchange group (X25519MLKEM768 is post-quantum)")
    String group;

    @Label("SRTP Profile")
    String srtpProfile;

    @Label("Failure")
    @Description("Why it failed, when it did")
    String failure;

    @Label("Rtc Duration")
    @Description("The handshake's length by the Rtc's clock")
    @Timespan(Timespan.NANOSECONDS)
    long rtcDuration;
}
