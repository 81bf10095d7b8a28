package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Label;

/** An event about one RTP stream: its m-line, simulcast layer (or null) and SSRC after the {@code Rtc}'s fields. */
abstract class StreamEvent extends RtcEvent {
    @Label("Mid")
    String mid;

    @Label("Rid")
    String rid;

    @Label("SSRC")
    long ssrc;
}
