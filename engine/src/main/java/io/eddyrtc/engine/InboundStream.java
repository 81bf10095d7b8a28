package io.eddyrtc.engine;

import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Depacketizer;
import io.eddyrtc.engine.packet.FrameAssembler;
import io.eddyrtc.engine.stream.ReceiveStream;

/**
 * One stream the peer sends us (one SSRC, with its RTX repair stream if any): the {@link ReceiveStream}
 * bookkeeping (sequence, loss, jitter, NACK, reports), the m-line it belongs to, its simulcast layer, and
 * the frame assembler of the payload type it currently carries.
 */
final class InboundStream {
    final Media media;
    final ReceiveStream receive;
    /** The simulcast layer (from the rid header extension), or null. */
    final String rid;
    private final MediaConfig config;
    private int assemblerPt = -1;
    private FrameAssembler assembler;
    private PayloadParams params;
    boolean paused;

    InboundStream(Media media, ReceiveStream receive, String rid, MediaConfig config) {
        this.media = media;
        this.receive = receive;
        this.rid = rid;
        this.config = config;
    }

    /**
     * The assembler for payload type {@code pt} (made on first use, and again if the sender switches codec:
     * a rare event, so it may allocate).
     */
    FrameAssembler assemblerFor(PayloadParams payload) {
        if (payload.pt() != assemblerPt) {
            Depacketizer depacketizer = Depacketizer.of(payload.codec());
            assembler = payload.codec().kind() == MediaKind.AUDIO
                    ? new FrameAssembler(depacketizer, 64, 1500, 1500, config.audioReorderFrames())
                    : new FrameAssembler(depacketizer, 512, 1500, 4 << 20, config.videoReorderFrames());
            assemblerPt = payload.pt();
            params = payload;
        }
        return assembler;
    }

    /** The payload type the assembler works on. */
    PayloadParams params() {
        return params;
    }
}
