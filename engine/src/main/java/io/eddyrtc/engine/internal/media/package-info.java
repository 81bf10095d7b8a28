/**
 * The media half of an {@code Rtc}. {@link io.eddyrtc.engine.internal.media.MediaLayer} owns the m-lines
 * ({@link io.eddyrtc.engine.internal.media.MediaSection}, which the public {@code Media} is a handle on),
 * SRTP and the timers; received RTP goes to the {@code MediaReceiver} (routing, discovery of undeclared
 * streams, depacketizing into samples or lending RTP views), RTCP to the {@code RtcpReader}; samples and
 * RTP-mode packets go out through the {@code MediaSender}, RTCP through the {@code RtcpScheduler}. Per
 * SSRC, an {@code SsrcReceiver} or {@code SsrcSender} ties a {@code stream} state to its m-line and its
 * frame assemblers or packetizer. Nothing here is allocated per packet once a stream is known.
 */
package io.eddyrtc.engine.internal.media;
