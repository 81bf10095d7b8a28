package io.eddyrtc.engine.internal;

import io.eddyrtc.crypto.dtls.DtlsConnection;
import io.eddyrtc.engine.Event;
import io.eddyrtc.sctp.ChannelReliability;
import io.eddyrtc.sctp.DataChannelEvent;
import io.eddyrtc.sctp.DataChannels;
import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The data channel half of an {@code Rtc}: an SCTP association carried in DTLS application data, with
 * DCEP channels on top. Channels asked for before SCTP is up wait here and open once it is.
 */
public final class ChannelLayer {
    /** A channel asked for before SCTP was up; {@code id} is -1 unless pre-negotiated. */
    private record PendingChannel(int id, String label, String protocol, ChannelReliability reliability) {}

    private final ArrayDeque<Event> events;
    private final List<PendingChannel> pending = new ArrayList<>();
    private SctpAssociation sctp;
    private DataChannels channels;

    private final RandomGenerator random;

    /**
     * {@code random} draws SCTP's verification tags and initial TSNs. SCTP runs inside DTLS, so they need
     * not be unpredictable to an attacker; drawing them from the Rtc's seeded source keeps simulations
     * reproducible.
     */
    public ChannelLayer(ArrayDeque<Event> events, RandomGenerator random) {
        this.events = events;
        this.random = random;
    }

    /**
     * DTLS is up: starts the association. {@code dtlsClient} picks the stream id parity; {@code initiate}
     * says whether we send INIT. {@code dtlsMtu} bounds SCTP packets so one fits one DTLS record.
     */
    public void start(long now, SctpConfig config, int dtlsMtu, boolean dtlsClient, boolean initiate) {
        // an SCTP packet must fit one DTLS record in one datagram: the DTLS MTU minus record header and AEAD overhead
        int room = dtlsMtu - 13 - 24;
        SctpConfig sctpConfig = config.mtu() <= room ? config : config.withMtu(room);
        sctp = new SctpAssociation(sctpConfig, random);
        channels = new DataChannels(sctp, dtlsClient);
        if (initiate) {
            sctp.connect(now);
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

    /** Moves SCTP's events into the Rtc's and its packets into DTLS records. */
    public void pump(long now, DtlsConnection dtls) {
        if (sctp == null) {
            return;
        }
        for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
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
            switch (e) {
                case DataChannelEvent.Open o -> events.add(new Event.ChannelOpen(o.id(), o.label()));
                case DataChannelEvent.Message m -> events.add(new Event.ChannelData(m.id(), m.binary(), m.data()));
                case DataChannelEvent.Closed c -> events.add(new Event.ChannelClose(c.id()));
                case DataChannelEvent.BufferedAmountLow low -> events.add(new Event.ChannelBufferedAmountLow(low.id()));
            }
        }
        for (byte[] packet; (packet = sctp.pollTransmit()) != null; ) {
            if (dtls != null && dtls.isConnected()) {
                dtls.send(now, packet, 0, packet.length);
            }
        }
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

    public void write(long now, int id, boolean binary, byte[] data) {
        if (!up()) {
            throw new IllegalStateException("data channels are not up yet; wait for Event.ChannelOpen");
        }
        if (binary) {
            channels.send(now, id, data);
        } else {
            channels.sendText(now, id, new String(data, StandardCharsets.UTF_8));
        }
    }

    public void close(long now, int id) {
        if (!up()) {
            throw new IllegalStateException("data channels are not up yet; there is nothing to close");
        }
        channels.close(now, id);
    }
}
