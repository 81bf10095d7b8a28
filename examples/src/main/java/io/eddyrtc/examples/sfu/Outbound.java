package io.eddyrtc.examples.sfu;

import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Media;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One track as one subscriber receives it: the m-line it arrives on, and the numbering that keeps it one stream
 * while its source changes (another simulcast layer, a new publisher in the room). A change of source waits for a
 * keyframe of the new source, since the subscriber's decoder cannot start anywhere else; until then the old source
 * goes on. Sequence numbers and timestamps continue from the last forwarded packet across a change. Allocates
 * nothing per packet.
 */
final class Outbound {
    private static final int UNKNOWN = -2;
    private static final int NONE = -1;

    final String mid;
    final MediaKind kind;
    final long ssrc;
    private final int clockRate;
    private final List<PayloadParams> payloads;
    /** The subscriber's payload type per publisher payload type, learnt per publisher; -1 none, -2 not looked up. */
    private final int[] payloadTypes = new int[128];
    private final boolean[] vp8 = new boolean[128];
    private int publisher = -1; // the number of the publisher the payload types were learnt for

    private boolean started;
    private int sourcePublisher;
    private String sourceRid;
    private int sequenceOffset;
    private long timestampOffset;
    private int lastSequence;
    private long lastTimestamp;
    private long lastSentAt;

    Outbound(Media media) {
        this.mid = media.mid();
        this.kind = media.kind();
        this.ssrc = media.sendStreams().getFirst().ssrc();
        this.payloads = List.copyOf(media.payloadParams());
        this.clockRate = kind == MediaKind.AUDIO ? 48_000 : 90_000;
    }

    /** Whether it is forwarding {@code rid} of publisher {@code number} now. */
    boolean isOn(int number, String rid) {
        return started && sourcePublisher == number && Objects.equals(sourceRid, rid);
    }

    boolean started() {
        return started;
    }

    /**
     * The subscriber's payload type for what {@code publisherPt} carries (same codec), or -1 when it has none (RTX,
     * RED, or a codec the subscriber did not accept: not forwarded).
     */
    int payloadType(int number, List<PayloadParams> publisherPayloads, int publisherPt) {
        if (number != publisher) {
            Arrays.fill(payloadTypes, UNKNOWN);
            publisher = number;
        }
        int pt = payloadTypes[publisherPt & 0x7F];
        if (pt == UNKNOWN) {
            pt = lookUp(publisherPayloads, publisherPt);
            payloadTypes[publisherPt & 0x7F] = pt;
        }
        return pt;
    }

    private int lookUp(List<PayloadParams> publisherPayloads, int publisherPt) {
        for (PayloadParams theirs : publisherPayloads) {
            if (theirs.pt() == publisherPt) {
                for (PayloadParams ours : payloads) {
                    if (ours.codec() == theirs.codec()) {
                        vp8[ours.pt() & 0x7F] = ours.codec() == Codec.VP8;
                        return ours.pt();
                    }
                }
            }
        }
        return NONE;
    }

    /**
     * Starts forwarding {@code rid} of publisher {@code number} from packet {@code p}: the numbering goes on from the
     * last packet sent, and the timestamp by the time that passed since.
     */
    void switchTo(int number, String rid, Event.RtpPacket p, long now) {
        int sequence = p.header().sequenceNumber();
        long timestamp = p.header().timestamp();
        if (started) {
            long elapsed = Math.max(1, (now - lastSentAt) * clockRate / 1_000_000_000L);
            sequenceOffset = (lastSequence + 1 - sequence) & 0xFFFF;
            timestampOffset = (lastTimestamp + elapsed - timestamp) & 0xFFFF_FFFFL;
        } else {
            sequenceOffset = 0;
            timestampOffset = 0;
        }
        started = true;
        sourcePublisher = number;
        sourceRid = rid;
        lastSequence = (sequence + sequenceOffset - 1) & 0xFFFF;
    }

    /** The sequence number {@code p} goes out with; remembers it as the last if it is the newest. */
    int sequenceOf(Event.RtpPacket p, long now) {
        int sequence = (p.header().sequenceNumber() + sequenceOffset) & 0xFFFF;
        if (((sequence - lastSequence) & 0xFFFF) < 0x8000) {
            lastSequence = sequence;
            lastTimestamp = (p.header().timestamp() + timestampOffset) & 0xFFFF_FFFFL;
            lastSentAt = now;
        }
        return sequence;
    }

    /** The timestamp {@code p} goes out with. */
    long timestampOf(Event.RtpPacket p) {
        return (p.header().timestamp() + timestampOffset) & 0xFFFF_FFFFL;
    }

    /** Whether the subscriber's payload type {@code pt} (one {@link #payloadType} gave) is VP8, whose keyframes {@link Vp8Keyframe} finds. */
    boolean isVp8(int pt) {
        return vp8[pt & 0x7F];
    }
}
