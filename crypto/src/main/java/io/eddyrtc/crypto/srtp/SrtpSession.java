package io.eddyrtc.crypto.srtp;

import java.util.Objects;

/**
 * The two SRTP contexts of one peer connection, made from the DTLS exporter's keying material: we protect
 * what we send with our keys ({@link #outbound()}) and unprotect what we receive with the peer's
 * ({@link #inbound()}).
 *
 * <pre>{@code
 * SrtpSession srtp = SrtpSession.create(keyingMaterial, SrtpConfig.defaults());   // on DTLS "connected"
 * int srtpLength = srtp.outbound().protectRtp(slot, 0, rtpLength, slot.byteSize());
 * int rtpLength  = srtp.inbound().unprotectRtp(slot, 0, datagramLength);      // < 0: dropped, see SrtpDropReason
 * }</pre>
 */
public final class SrtpSession implements AutoCloseable {
    private final SrtpContext outbound;
    private final SrtpContext inbound;

    private SrtpSession(SrtpContext outbound, SrtpContext inbound) {
        this.outbound = outbound;
        this.inbound = inbound;
    }

    /** Both contexts from {@code material} (which the caller may {@link SrtpKeyingMaterial#destroy()} afterwards). */
    public static SrtpSession create(SrtpKeyingMaterial material, SrtpConfig config) {
        Objects.requireNonNull(material, "material");
        SrtpContext out = new SrtpContext(material.profile(), material.localKey(), material.localSalt(), config);
        SrtpContext in = new SrtpContext(material.profile(), material.remoteKey(), material.remoteSalt(), config);
        return new SrtpSession(out, in);
    }

    /** Protects what we send (our DTLS side's keys). */
    public SrtpContext outbound() {
        return outbound;
    }

    /** Unprotects what the peer sends (its keys). */
    public SrtpContext inbound() {
        return inbound;
    }

    public SrtpProfile profile() {
        return outbound.profile();
    }

    @Override
    public void close() {
        outbound.close();
        inbound.close();
    }
}
