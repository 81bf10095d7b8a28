package io.eddyrtc.engine.internal;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsConnection;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.crypto.srtp.SrtpConfig;
import io.eddyrtc.crypto.srtp.SrtpSession;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.RtcDropReason;
import io.eddyrtc.engine.internal.jfr.RtcTimeline;
import io.eddyrtc.engine.internal.media.MediaLayer;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConnectionState;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The DTLS half of an {@code Rtc}: the endpoint (made when the role is known, started as the client once ICE
 * connects) and what its events mean for the rest — the exported keys become the media layer's SRTP session,
 * application data goes to SCTP, and the first connection is {@link Event.Connected}. A close or failure
 * ends the call: {@link Event.Disconnected} (and {@link Event.DtlsFailed} for a failure).
 */
public final class DtlsLayer {
    private final DtlsConfig config;
    private final SrtpConfig srtp;
    private final DtlsCertificate certificate;
    private final RandomGenerator jitter;
    private final IceAgent ice;
    private final MediaLayer media;
    private final ChannelLayer channels;
    private final RtcDrops drops;
    private final ArrayDeque<Event> events;
    private final RtcTimeline timeline;

    private DtlsConnection dtls;
    private boolean client;
    private boolean started;
    private Fingerprint remoteFingerprint;
    private boolean connected;
    private DtlsEvent.Connected negotiated;

    public DtlsLayer(DtlsConfig config, SrtpConfig srtp, DtlsCertificate certificate, RandomGenerator jitter, IceAgent ice,
                     MediaLayer media, ChannelLayer channels, RtcDrops drops, ArrayDeque<Event> events, RtcTimeline timeline) {
        this.config = config;
        this.srtp = srtp;
        this.certificate = certificate;
        this.jitter = jitter;
        this.ice = ice;
        this.media = media;
        this.channels = channels;
        this.drops = drops;
        this.events = events;
        this.timeline = timeline;
    }

    /** The peer's fingerprint (before or after {@link #start}); its certificate must match. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        if (dtls != null) {
            dtls.setRemoteFingerprint(fingerprint);
        }
    }

    /** Makes the endpoint: {@code client} sends its ClientHello once ICE connects; a server waits for one. */
    public void start(boolean client) {
        if (dtls != null) {
            throw new IllegalStateException("DTLS was already started on this Rtc");
        }
        this.client = client;
        dtls = new DtlsEndpoint(config, certificate, client, new SecureRandom(), jitter);
        if (remoteFingerprint != null) {
            dtls.setRemoteFingerprint(remoteFingerprint);
        }
    }

    public boolean isStarted() {
        return dtls != null;
    }

    /** We are the DTLS client (and the endpoint exists). */
    public boolean isClient() {
        return dtls != null && client;
    }

    /** We are the DTLS client and have not started: the handshake begins at the first input after ICE connects. */
    public boolean waitingToStart() {
        return dtls != null && client && !started;
    }

    /** The handshake completed once: {@link Event.Connected} was queued. */
    public boolean isConnected() {
        return connected;
    }

    /** The DTLS version negotiated, or null before the handshake completed. */
    public DtlsVersion version() {
        return negotiated == null ? null : negotiated.version();
    }

    /** The cipher suite negotiated, or null before the handshake completed. */
    public DtlsCipherSuite cipherSuite() {
        return negotiated == null ? null : negotiated.cipherSuite();
    }

    /** The key-exchange group negotiated, or null before the handshake completed. */
    public NamedGroup group() {
        return negotiated == null ? null : negotiated.group();
    }

    /** Closed or failed, by either side: nothing more will come from DTLS. */
    public boolean isDone() {
        return dtls != null && dtls.isDone();
    }

    /** A DTLS datagram from the peer's address; dropped and counted before the endpoint exists. */
    public void receive(long now, InetSocketAddress source, MemorySegment segment, long offset, int length) {
        if (dtls == null) {
            drops.count(RtcDropReason.DTLS_NOT_STARTED, source);
        } else {
            if (!client && !connected) {
                timeline.dtlsHandshakeStarted(false); // the peer's first flight begins it (later ones change nothing)
            }
            dtls.handleReceive(now, source, segment, offset, length);
        }
    }

    public void handleTimeout(long now) {
        if (dtls != null && now >= dtls.nextDeadline()) {
            dtls.handleTimeout(now);
        }
    }

    public long nextDeadline() {
        return dtls == null ? Long.MAX_VALUE : dtls.nextDeadline();
    }

    /** The next datagram DTLS made (a flight, a record of SCTP, an alert), or null. */
    public byte[] pollTransmit() {
        return dtls == null ? null : dtls.pollTransmit();
    }

    /**
     * After any input: the client starts once ICE is up, DTLS's events are acted on, SCTP's packets go out. Returns
     * whether anything of that happened (DTLS, SCTP or media may want time at another moment then).
     */
    public boolean afterInput(long now) {
        if (dtls == null) {
            return false;
        }
        boolean moved = false;
        IceConnectionState s = ice.state();
        if (client && !started && (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED)) {
            started = true;
            timeline.dtlsHandshakeStarted(true);
            dtls.start(now);
            moved = true;
        }
        for (DtlsEvent e; (e = dtls.pollEvent()) != null; ) {
            moved = true;
            switch (e) {
                case DtlsEvent.Connected c -> connected(now, c);
                case DtlsEvent.ApplicationData d -> {
                    if (channels.started()) {
                        channels.onApplicationData(now, d.data());
                    } else {
                        drops.count(RtcDropReason.NO_SCTP, null);
                    }
                }
                case DtlsEvent.Closed c -> {
                    timeline.dtlsAbandoned(); // only if the handshake was still going
                    events.add(new Event.Disconnected(Event.Disconnected.Reason.PEER_CLOSED,
                            "the peer closed the connection (DTLS close_notify)"));
                }
                case DtlsEvent.Failed f -> {
                    timeline.dtlsFailed(f.reason());
                    events.add(new Event.DtlsFailed(f.reason()));
                    events.add(new Event.Disconnected(Event.Disconnected.Reason.DTLS_FAILED, f.reason()));
                }
            }
        }
        return pumpChannels(now) | moved;
    }

    private void connected(long now, DtlsEvent.Connected c) {
        negotiated = c;
        timeline.dtlsConnected(c.version(), c.cipherSuite(), c.group(), c.srtp() == null ? null : c.srtp().profile());
        if (c.srtp() != null) {
            media.start(now, SrtpSession.create(c.srtp(), srtp));
            c.srtp().destroy();
        } else {
            media.connectedWithoutSrtp();
        }
        if (!connected) {
            connected = true;
            events.add(new Event.Connected());
            channels.transportUp(now, client, client || ice.isControlling());
        }
    }

    /** SCTP's packets (data a caller wrote, a channel opened or closed) go out in DTLS records now; whether any moved. */
    public boolean pumpChannels(long now) {
        return channels.pump(now, dtls);
    }

    /** Our side closes: SCTP's ABORT, then close_notify, wait in DTLS's queue for the caller to send. */
    public void close(long now) {
        if (dtls == null) {
            return;
        }
        timeline.dtlsAbandoned(); // only if the handshake was still going
        if (dtls.isConnected()) {
            channels.abort(now, dtls);
        }
        dtls.close();
    }
}
