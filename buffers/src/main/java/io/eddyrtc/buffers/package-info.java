/**
 * The memory model of eddy: off-heap packet pools with single ownership ({@link io.eddyrtc.buffers.PacketPool},
 * {@link io.eddyrtc.buffers.PacketBuffer}), the flyweight base every codec extends
 * ({@link io.eddyrtc.buffers.Flyweight}, {@link io.eddyrtc.buffers.BigEndian}), and the wrapping-counter
 * and NTP arithmetic RTP, RTCP and SRTP share ({@link io.eddyrtc.buffers.SequenceNumbers},
 * {@link io.eddyrtc.buffers.SequenceExtender}, {@link io.eddyrtc.buffers.NtpTime}), and the per-reason
 * drop counter every module counts dropped input with ({@link io.eddyrtc.buffers.DropCounter}).
 */
package io.eddyrtc.buffers;
