/**
 * An {@code Rtc}'s events for a JDK Flight Recorder timeline: one {@code jdk.jfr.Event} class per kind of
 * entry (named {@code io.eddyrtc.*}, category "eddy"), and {@link io.eddyrtc.engine.internal.jfr.RtcTimeline},
 * through which an {@code Rtc} and its internals make them. Every event carries the {@code Rtc}'s number
 * ({@code Rtc.id()}) and its own clock beside JFR's wall-clock timestamp. Nothing here is called per packet, and
 * nothing is made while an event type is off.
 */
package io.eddyrtc.engine.internal.jfr;
