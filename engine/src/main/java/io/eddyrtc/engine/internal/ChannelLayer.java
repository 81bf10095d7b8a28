package io.eddyrtc.engine.internal;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsConnection;
import io.eddyrtc.engine.Event;
import io.eddyrtc.sctp.ChannelReliability;
import io.eddyrtc.sctp.DataChannelEvent;
import io.eddyrtc.sctp.DataChannels;
import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
import io.eddyrtc.sctp.SctpTransmit;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The data channel half of an {@code Rtc}: an SCTP association carried in DTLS application data, with
 * DCEP channels on top. Channels asked for before SCTP is up wait here and open once it is.
 *
 * <p>SCTP starts once DTLS is up and channels are wanted: with SDP in use only when a data channel m-line
 * was negotiated, without SDP (the {@code DirectApi} alone) always.
 */
public final class ChannelLayer {
    /** A channel asked for before SCTP was up; {@code id} is -1 unless pre-negotiated. */
    private record PendingChannel(int id, String label, String protocol, ChannelReliability reliability) {}

    private final ArrayDeque<Event> events;
    private final ChannelDataLender lender;
    private final List<PendingChannel> pending = new ArrayList<>();
    private final SctpConfig config;
    private final int dtlsMtu;
    private final PacketPool pool;
    private final MemoryBudget memory;
    private SctpAssociation sctp;
    private DataChannels channels;
    private boolean sdpInUse;
    private boolean negotiated;
    private boolean transportUp;
    private boolean dtlsClient;
    private boolean initiate;

    private final RandomGenerator random;

    /**
     * SCTP keeps the bytes of the messages it holds in slots of {@code pool} charged to {@code memory} (the
     * {@code Rtc}'s), and messages received go out as views {@code lender} makes. {@code random} draws SCTP's
     * verification tags, initial TSNs and cookie key: the {@code Rtc}'s secrets source (see {@link RandomSources}),
     * since DTLS hides them from an observer but not from a peer.
     */
    public ChannelLayer(SctpConfig config, int dtlsMtu, PacketPool pool, MemoryBudget memory, ArrayDeque<Event> events,
                        ChannelDataLender lender, RandomGenerator random) {
        this.config = config;
        this.dtlsMtu = dtlsMtu;
        this.pool = pool;
        this.memory = memory;
        this.events = events;
        this.lender = lender;
        this.random = random;
    }

    /** SDP negotiates this connection: SCTP waits for a data channel m-line ({@link #negotiated}). */
    public void useSdp() {
        sdpInUse = true;
    }

    /** A data channel m-line was negotiated (or the DirectApi asked for SCTP): SCTP starts once DTLS is up. */
    public void negotiated(long now) {
        negotiated = true;
        maybeStart(now);
    }

    /**
     * DTLS is up. {@code dtlsClient} picks the stream id parity; {@code initiate} says whether we send INIT:
     * the DTLS client does (RFC 8261 leaves it open; browsers do), and so does an ICE-controlling side, since
     * werift waits for INIT whenever its ICE role is controlled. When both send, the INIT collision resolves
     * itself.
     */
    public void transportUp(long now, boolean dtlsClient, boolean initiate) {
        this.transportUp = true;
        this.dtlsClient = dtlsClient;
        this.initiate = initiate;
        maybeStart(now);
    }

    private void maybeStart(long now) {
        if (sctp != null || !transportUp || sdpInUse && !negotiated) {
            return;
        }
        // an SCTP packet must fit one DTLS record in one datagram: the DTLS MTU minus record header and AEAD overhead
        int room = dtlsMtu - 13 - 24;
        SctpConfig sctpConfig = config.mtu() <= room ? config : config.withMtu(room);
        // a pool whose slots cannot hold a packet of the MTU serves no message: they go onto the heap then
        sctp = new SctpAssociation(sctpConfig, random, pool.slotSize() >= sctpConfig.mtu() ? pool : null, memory);
        channels = new DataChannels(sctp, dtlsClient);
        if (initiate) {
            sctp.connect(now);
        }
    }

    /** The peer connection closes: an ABORT goes to the peer inside DTLS (which must still be connected). */
    public void abort(long now, DtlsConnection dtls) {
        if (sctp != null && !sctp.isClosed()) {
            sctp.abort("the peer connection closed");
            pump(now, dtls);
        }
    }

    public boolean started() {
        return sctp != null;
    }

    private boolean up() {
        return sctp != null && sctp.isEstablished();
    }

    /** DTLS application data from the peer: one SCTP packet. */
    public void onApplicationData(long now, byte[] packet) {
        sctp.handleReceive(now, packet);
    }

    public void handleTimeout(long now) {
        if (sctp != null && now >= sctp.nextDeadline()) {
            sctp.handleTimeout(now);
        }
    }

    public long nextDeadline() {
        return sctp == null ? Long.MAX_VALUE : sctp.nextDeadline();
    }

    /** Moves SCTP's events into the Rtc's and its packets into DTLS records; whether anything moved. */
    public boolean pump(long now, DtlsConnection dtls) {
        if (sctp == null) {
            return false;
        }
        boolean moved = false;
        for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
            moved = true;
            switch (e) {
                case SctpEvent.Connected c -> openPending(now);
                case SctpEvent.Message m -> channels.handle(now, m);
                case SctpEvent.StreamsReset r -> channels.handle(now, r);
                case SctpEvent.OutgoingStreamsReset r -> channels.handle(now, r);
                case SctpEvent.BufferedAmountLow low -> channels.handle(low);
                case SctpEvent.Closed c -> events.add(new Event.ChannelsClosed(c.reason()));
            }
        }
        for (DataChannelEvent e; (e = channels.pollEvent()) != null; ) {
            moved = true;
            switch (e) {
                case DataChannelEvent.Open o -> events.add(new Event.ChannelOpen(o.id(), o.label()));
                case DataChannelEvent.Message m -> events.add(lender.lend(m.id(), m.binary(), m.retainSlot(), m.segment(), m.length()));
                case DataChannelEvent.Closed c -> events.add(new Event.ChannelClose(c.id()));
                case DataChannelEvent.BufferedAmountLow low -> events.add(new Event.ChannelBufferedAmountLow(low.id()));
            }
        }
        for (SctpTransmit packet; (packet = sctp.pollTransmit()) != null; ) {
            moved = true;
            if (dtls != null && dtls.isConnected()) {
                dtls.send(now, packet.bytes(), 0, packet.length()); // DTLS seals a copy
            }
        }
        return moved;
    }

    private void openPending(long now) {
        for (PendingChannel p : pending) {
            if (p.id() < 0) {
                channels.open(now, p.label(), p.protocol(), p.reliability());
            } else {
                channels.openNegotiated(p.id(), p.label(), p.protocol(), p.reliability());
            }
        }
        pending.clear();
    }

    /** Opens a channel without a subprotocol now, or as soon as SCTP is up. */
    public void create(long now, String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        create(now, label, "", new ChannelReliability(ordered, maxRetransmits, maxLifetimeMillis));
    }

    /** Opens a channel now, or as soon as SCTP is up. */
    public void create(long now, String label, String protocol, ChannelReliability reliability) {
        if (up()) {
            channels.open(now, label, protocol, reliability);
        } else {
            pending.add(new PendingChannel(-1, label, protocol, reliability));
        }
    }

    /** A pre-negotiated channel (both sides agreed on {@code id}): usable as soon as SCTP is. */
    public void createNegotiated(int id, String label, boolean ordered, int maxRetransmits, long maxLifetimeMillis) {
        if (id < 0 || id > 65_534) {
            throw new IllegalArgumentException("a negotiated channel id is an SCTP stream id, 0 to 65534; got " + id);
        }
        ChannelReliability reliability = new ChannelReliability(ordered, maxRetransmits, maxLifetimeMillis);
        if (up()) {
            channels.openNegotiated(id, label, "", reliability);
        } else {
            pending.add(new PendingChannel(id, label, "", reliability));
        }
    }

    public long bufferedAmount(int id) {
        return channels == null ? 0 : channels.bufferedAmount(id);
    }

    public long bufferedAmount() {
        return sctp == null ? 0 : sctp.bufferedAmount();
    }

    public void setBufferedAmountLowThreshold(int id, long bytes) {
        if (channels == null) {
            throw new IllegalStateException("data channels are not up yet; wait for Event.ChannelOpen");
        }
        channels.setBufferedAmountLowThreshold(id, bytes);
    }

    /** Writes one message: binary, or UTF-8 text as it is (no round trip through a String). */
    public void write(long now, int id, boolean binary, byte[] data, int offset, int length) {
        if (!up()) {
            throw new IllegalStateException("data channels are not up yet; wait for Event.ChannelOpen");
        }
        channels.send(now, id, binary, data, offset, length);
    }

    /** Writes one message of {@code length} bytes at {@code offset} of {@code data}: binary, or UTF-8 text. */
    public void write(long now, int id, boolean binary, MemorySegment data, long offset, int length) {
        if (!up()) {
            throw new IllegalStateException("data channels are not up yet; wait for Event.ChannelOpen");
        }
        channels.send(now, id, binary, data, offset, length);
    }

    public void close(long now, int id) {
        if (!up()) {
            throw new IllegalStateException("data channels are not up yet; there is nothing to close");
        }
        channels.close(now, id);
    }
}
