package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.MediaConfig;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.packet.Packetizer;
import io.eddyrtc.engine.stream.SendStream;
import io.eddyrtc.engine.stream.SendStreamConfig;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * One SSRC we send (with its RTX SSRC if negotiated) on an m-line, possibly one simulcast layer, as the
 * media path sends it: the {@link SendStream} that numbers, caches and repairs its packets, and the
 * packetizer of its payload type. The send stream is made on the first sample, for that sample's payload type.
 */
final class SsrcSender {
    final MediaSection section;
    final long ssrc;
    final long rtxSsrc;
    /** The simulcast layer, or null. */
    final String rid;
    final byte[] ridAscii;
    private SendStream send;
    private Packetizer packetizer;
    private int pt = -1;
    private int lastFirSequence = -1;
    /** The send stream's NACK counts as the last summary saw them. */
    private long nacksReported;
    private long rtxReported;
    private long overBudgetReported;
    private long unansweredReported;

    SsrcSender(MediaSection section, long ssrc, long rtxSsrc, String rid) {
        this.section = section;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.rid = rid;
        this.ridAscii = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
    }

    /** The send stream, or null before the first sample. */
    SendStream send() {
        return send;
    }

    /**
     * The send stream for packets of {@code payload}, made on the first with a random first sequence number
     * and timestamp (RFC 3550 §5.1). RTP mode passes any type (forwarded audio mixes Opus and
     * telephone-event); samples are checked by {@link #packetizerFor}. Its RTX history (with RTX negotiated)
     * keeps {@code media}'s window of packets in slots of {@code pool}, charged to {@code memory}.
     */
    SendStream sendStream(PayloadParams payload, RandomGenerator random, MediaConfig media, PacketPool pool,
                          MemoryBudget memory) {
        if (send == null) {
            SendStreamConfig config = payload.codec().kind() == MediaKind.AUDIO
                    ? SendStreamConfig.audio(ssrc, payload.pt(), payload.spec().clockRate())
                    : SendStreamConfig.video(ssrc, payload.pt());
            if (payload.hasRtx() && rtxSsrc >= 0) {
                config = config.withRtx(rtxSsrc, payload.rtxPt());
            }
            config = config.withHistory(config.historyMaxPackets(), media.rtxHistoryNanos());
            send = new SendStream(config.withInitial(random.nextInt(1 << 16), random.nextInt() & 0xFFFF_FFFFL), pool, memory);
        }
        return send;
    }

    /** The stream goes away: its history's slots go back. */
    void close() {
        if (send != null) {
            send.close();
        }
    }

    /**
     * The packetizer for samples of {@code payload} (made on the first sample).
     *
     * @throws IllegalStateException if samples of another payload type went out on this stream already
     */
    Packetizer packetizerFor(PayloadParams payload) {
        if (packetizer == null) {
            Packetizer made = Packetizer.of(payload.codec()); // throws for RTX/RED/ULPFEC before any state changes
            packetizer = made;
            pt = payload.pt();
        } else if (payload.pt() != pt) {
            throw new IllegalStateException("mid " + section.mid() + " already sends payload type " + pt + " on SSRC " + ssrc
                    + "; switching a stream's payload type is not supported yet: keep one writer per m-line");
        }
        return packetizer;
    }

    /** The peer's NACKs since the last summary, and the RTX sent or refused, go on {@code timeline} if there were any. */
    void summarize(RtcTimeline timeline) {
        if (send == null || send.nacksReceived() == nacksReported) {
            return;
        }
        timeline.nacksReceived(section.mid(), rid, ssrc, send.nacksReceived() - nacksReported, send.rtxPacketsSent() - rtxReported,
                send.rtxOverBudget() - overBudgetReported, send.nacksUnanswered() - unansweredReported);
        nacksReported = send.nacksReceived();
        rtxReported = send.rtxPacketsSent();
        overBudgetReported = send.rtxOverBudget();
        unansweredReported = send.nacksUnanswered();
    }

    /** True for a FIR with a sequence number we have not seen last (a retransmitted FIR repeats it). */
    boolean acceptFir(int sequenceNumber) {
        if (sequenceNumber == lastFirSequence) {
            return false;
        }
        lastFirSequence = sequenceNumber;
        return true;
    }
}
