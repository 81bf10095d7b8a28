/**
 * The memory model of eddy: off-heap packet pools with single ownership ({@link io.eddyrtc.buffers.PacketPool},
 * {@link io.eddyrtc.buffers.PacketBuffer}), the flyweight base every codec extends
 * ({@link io.eddyrtc.buffers.Flyweight}, {@link io.eddyrtc.buffers.BigEndian}), and the wrapping-counter
 * and NTP arithmetic RTP, RTCP and SRTP share ({@link io.eddyrtc.buffers.SequenceNumbers},
 * {@link io.eddyrtc.buffers.SequenceExtender}, {@link io.eddyrtc.buffers.NtpTime}).
 */
package io.eddyrtc.buffers;
