package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What every eddy event says first: which {@code Rtc}, and when by the {@code Rtc}'s own clock (JFR's timestamp is
 * the wall clock; the {@code Rtc} is given its time, which in a simulation is virtual). The stack of the thread
 * that commits one says nothing the event does not, so none is recorded.
 */
@StackTrace(false)
abstract class RtcEvent extends Event {
    @Label("Rtc")
    @Description("The Rtc's number in this process (Rtc.id())")
    long rtc;

    @Label("Rtc Clock")
    @Description("The now the Rtc was last given, in nanoseconds of its caller's clock")
    long rtcNanos;
}
