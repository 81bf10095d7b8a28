/**
 * Codec payload formats: packetizers (frame to RTP payloads) and depacketizers (RTP payloads to
 * frame), and the {@link io.eddyrtc.engine.packet.FrameAssembler} that turns one stream's packets
 * into whole frames.
 *
 * <h2>Receiving</h2>
 * One assembler per received stream (SSRC and payload type), created when the stream appears:
 *
 * <pre>{@code
 * FrameAssembler frames = FrameAssembler.forVideo(Depacketizer.of(Codec.H264), pool); // or forAudio(...)
 * // for each decrypted RTP packet of the stream (after RTX is unwrapped):
 * frames.push(extendedSeq, rtp.timestamp(), rtp.marker(), segment, rtp.payloadOffset(), rtp.payloadLength());
 * while (frames.pop()) {
 *     // frames.frame(): bytes [0, length()) valid until the next push/pop;
 *     // frames.frameTimestamp(), frameKeyframe(), frameContiguous(), frameFirstSequence()...
 * }
 * }</pre>
 *
 * The payload is copied on {@code push} into a slot of the {@code PacketPool}, held until its frame is
 * out, so the packet's memory can be released at once. Nothing is allocated per packet. A frame with a hole is never emitted; {@code frameContiguous()} is false on
 * the first frame after one was lost (ask for a keyframe then, unless it is one).
 *
 * <h2>Sending</h2>
 * One {@link io.eddyrtc.engine.packet.Packetizer} per sent stream; for each frame, {@code begin},
 * then {@code next} into the packet's payload area until {@code hasNext()} is false, setting the
 * RTP marker from {@code marker()}.
 *
 * <h2>Formats</h2>
 * Opus, PCMU/PCMA, G.722, CN (one frame per packet), VP8 (RFC 7741), VP9 (RFC 9628), H.264
 * (RFC 6184, modes 0/1), H.265 (RFC 7798), H.266 (RFC 9328), AV1 (AOM RTP payload format). H.26x
 * frames are Annex B; AV1 frames are low-overhead bitstream temporal units.
 */
package io.eddyrtc.engine.packet;
