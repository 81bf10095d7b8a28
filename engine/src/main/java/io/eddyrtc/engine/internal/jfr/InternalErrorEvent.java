package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Throttle;

/**
 * A bug inside eddy, caught so the caller's loop goes on (counted as {@code INTERNAL_ERROR}). A peer that found
 * one may meet it with every packet, so JFR keeps at most 10 a second; {@link #count} says how many there were.
 */
@Name("io.eddyrtc.InternalError")
@Label("Rtc Internal Error")
@Category({"eddy", "Rtc"})
@Description("A bug inside eddy met a datagram or timer round and was caught; please report it")
@Throttle("10/s")
final class InternalErrorEvent extends RtcEvent {
    @Label("Exception")
    String exception;

    @Label("Message")
    String message;

    @Label("Where")
    @Description("The innermost frames of the bug's stack")
    String where;

    @Label("Count")
    @Description("Internal errors this Rtc met so far")
    long count;
}
