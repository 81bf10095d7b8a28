package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.Rid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One change to a session's media, made of several steps and turned into one offer (str0m's
 * {@code SdpApi}): add media or a data channel, change directions, stop media, restart ICE, then
 * {@link #apply()}. Nothing happens to the session until {@code apply}; a transaction is used once.
 */
public final class SdpApi {
    /** An offer to send, and the handle to accept its answer with. */
    public record Offer(SdpOffer offer, SdpPendingOffer pending) {}

    private final SdpSession session;
    private final SessionState work;
    private final List<ChannelConfig> channels = new ArrayList<>();
    private boolean changed;
    private boolean applied;

    /** Lines stopped before this transaction: only a stop both sides know of frees a slot (RFC 8829 §5.2.2). */
    private final Set<MediaLine> recyclable = Collections.newSetFromMap(new IdentityHashMap<>());

    SdpApi(SdpSession session, SessionState work) {
        this.session = session;
        this.work = work;
        for (MediaLine l : work.lines) {
            if (l.stopped && l.negotiated) {
                recyclable.add(l);
            }
        }
    }

    /**
     * Adds an audio or video m-line (or reuses a stopped one of the same kind) and returns its new mid.
     *
     * @param streamId  the msid stream id, or {@code null} for a generated one
     * @param trackId   the msid track id, or {@code null} for a generated one
     * @param simulcast rids to send as simulcast layers, lowest first (empty for none)
     */
    public Mid addMedia(MediaKind kind, Direction direction, String streamId, String trackId, List<Rid> simulcast) {
        usable();
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        List<Rid> rids = simulcast == null ? List.of() : List.copyOf(simulcast);
        if (!rids.isEmpty() && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("simulcast is for video; pass an empty list for audio");
        }
        if (rids.stream().distinct().count() != rids.size()) {
            throw new IllegalArgumentException("simulcast rids must differ: " + rids);
        }
        Msid msid = new Msid(streamId == null ? session.ids().id(12) : streamId, trackId == null ? session.ids().id(12) : trackId);
        MediaLine line = session.negotiator().newLine(work, kind, direction, msid, rids);
        line.mid = work.newMid();
        MediaLine.Type type = line.type;
        int slot = -1;
        for (int i = 0; i < work.lines.size(); i++) {
            MediaLine l = work.lines.get(i);
            if (recyclable.contains(l) && l.type == type) {
                slot = i;
                break;
            }
        }
        if (slot >= 0) {
            recyclable.remove(work.lines.get(slot));
            work.lines.set(slot, line);
        } else {
            work.lines.add(line);
        }
        changed = true;
        return line.mid;
    }

    /** {@link #addMedia} with generated msid ids and no simulcast. */
    public Mid addMedia(MediaKind kind, Direction direction) {
        return addMedia(kind, direction, null, null, List.of());
    }

    /**
     * Asks for a data channel: adds the data channel m-line if the session has none, and makes the session
     * report {@link SdpChange.OpenChannel} so the engine opens the channel once SCTP is up.
     */
    public SdpApi addChannel(ChannelConfig channel) {
        usable();
        Objects.requireNonNull(channel, "channel");
        if (work.application() == null) {
            MediaLine line = new MediaLine();
            line.type = MediaLine.Type.APPLICATION;
            line.mid = work.newMid();
            work.lines.add(line);
            changed = true;
        }
        channels.add(channel);
        return this;
    }

    /** A reliable, ordered channel: {@code addChannel(ChannelConfig.reliable(label))}. */
    public SdpApi addChannel(String label) {
        return addChannel(ChannelConfig.reliable(label));
    }

    /** Changes what we want of an m-line; the peer's answer may narrow it. */
    public SdpApi setDirection(Mid mid, Direction direction) {
        usable();
        Objects.requireNonNull(direction, "direction");
        MediaLine line = media(mid);
        if (line.wanted != direction) {
            line.wanted = direction;
            if (direction.isSending()) {
                session.negotiator().ensureSending(line, work);
            }
            changed = true;
        }
        return this;
    }

    /** Stops an m-line for good (port 0 in the offer); a later {@link #addMedia} of its kind may reuse the slot. */
    public SdpApi removeMedia(Mid mid) {
        usable();
        MediaLine line = media(mid);
        line.stopped = true;
        line.wanted = Direction.INACTIVE;
        changed = true;
        return this;
    }

    /** New ICE credentials in this offer: the agent restarts when the answer is accepted. */
    public SdpApi iceRestart() {
        usable();
        work.localIce = session.negotiator().newIce();
        changed = true;
        return this;
    }

    /** Whether {@link #apply()} would produce an offer. */
    public boolean hasChanges() {
        return changed;
    }

    /**
     * Makes the offer for everything this transaction changed, or returns empty if it changed nothing (then
     * only the data channels asked for are reported). Send the offer; pass the peer's answer with the
     * pending handle to {@link SdpSession#acceptAnswer}.
     *
     * @throws IllegalStateException if the session already has an offer pending, the transaction was applied, or
     *                               the offer would have no m-line at all
     */
    public Optional<Offer> apply() {
        usable();
        if (changed && work.lines.isEmpty()) {
            throw new IllegalStateException("an offer needs at least one m-line: addMedia or addChannel first");
        }
        applied = true;
        return session.apply(work, changed, channels);
    }

    /**
     * Accepts a peer's offer instead of making one (str0m's {@code rtc.sdp_api().accept_offer(offer)}); the
     * transaction must be unchanged. See {@link SdpSession#acceptOffer}.
     */
    public SdpAnswer acceptOffer(SdpOffer offer) {
        finishUnchanged("acceptOffer");
        return session.acceptOffer(offer);
    }

    /** Accepts the answer to our pending offer; see {@link SdpSession#acceptAnswer}. */
    public void acceptAnswer(SdpPendingOffer pending, SdpAnswer answer) {
        finishUnchanged("acceptAnswer");
        session.acceptAnswer(pending, answer);
    }

    /** Forgets our pending offer; see {@link SdpSession#rollback}. */
    public void rollback(SdpPendingOffer pending) {
        finishUnchanged("rollback");
        session.rollback(pending);
    }

    private void finishUnchanged(String what) {
        usable();
        if (changed || !channels.isEmpty()) {
            throw new IllegalStateException("this SdpApi has changes; apply() them, or call " + what + " on a fresh sdpApi()");
        }
        applied = true;
    }

    private MediaLine media(Mid mid) {
        Objects.requireNonNull(mid, "mid");
        MediaLine line = work.line(mid);
        if (line == null || !line.isMedia() || line.stopped) {
            throw new IllegalArgumentException("no live audio or video m-line with mid " + mid + "; live mids are "
                    + work.lines.stream().filter(l -> l.isMedia() && !l.stopped).map(l -> l.mid.value()).toList());
        }
        return line;
    }

    private void usable() {
        if (applied) {
            throw new IllegalStateException("this SdpApi was applied; start a new one with SdpSession.sdpApi()");
        }
    }
}
