/**
 * The {@code Rtc}'s internals: public classes, because the facade in {@code io.eddyrtc.engine} calls them,
 * but not API — they change with the engine. {@link io.eddyrtc.engine.internal.ChannelLayer} is the data
 * channel half (SCTP over DTLS, DCEP), {@link io.eddyrtc.engine.internal.RtcDrops} the drop counters every
 * layer shares, and {@code internal.media} the media half.
 *
 * <p>Internals point down: nothing here uses {@code Rtc}, {@code Media}, {@code MediaWriter},
 * {@code Channel} or {@code DirectApi}, only the public face's value types (events, outputs, drop reasons,
 * config records). {@code PackageRulesTest} checks it.
 */
package io.eddyrtc.engine.internal;
