package io.eddyrtc.crypto.srtp;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.buffers.SequenceNumbers;
import io.eddyrtc.crypto.internal.ReplayWindow;
import org.agrona.collections.Long2ObjectHashMap;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * SRTP and SRTCP (RFC 3711, RFC 7714 for AES-GCM) under one master key and salt: the keys of one direction
 * of a DTLS-SRTP association. {@link SrtpSession} holds the two a peer connection needs.
 *
 * <p>Every packet method works in place on {@code length} bytes at {@code offset} of a segment (a
 * {@code PacketBuffer} slot), returns the new length, or a negative {@link SrtpDropReason#code()} — never
 * an exception for anything a packet contains — and allocates nothing once a stream's state exists.
 * Per SSRC it keeps the rollover counter (sender: tracked; receiver: estimated per RFC 3711 §3.3.1),
 * the SRTCP index, and replay lists for both.
 *
 * <p>Not thread-safe: one thread drives a context, like the {@code Rtc} that owns it.
 */
public final class SrtpContext implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SrtpContext.class.getName());
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int SRTCP_TRAILER = 4;
    private static final long MAX_SRTP_INDEX = (1L << 48) - 1;
    private static final long MAX_SRTCP_INDEX = (1L << 31) - 1;

    private final SrtpProfile profile;
    private final SrtpConfig config;
    private final int rtpTag;
    private final int rtcpTag;
    // AES-CM + HMAC-SHA1 profiles
    private final AesCmHmac rtpCm;
    private final AesCmHmac rtcpCm;
    // AEAD profiles
    private final AesGcm rtpGcm;
    private final AesGcm rtcpGcm;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;

    private final Long2ObjectHashMap<Stream> streams = new Long2ObjectHashMap<>();
    private final DropCounter<SrtpDropReason> drops = new DropCounter<>(SrtpDropReason.class, LOG, "SRTP");
    private final byte[] iv = new byte[16];
    private final byte[] gcmIv = new byte[AesGcm.IV_LENGTH];
    private final byte[] word = new byte[4];
    private boolean closed;

    /** Per-SSRC state: the SRTP index (ROC and sequence number) and SRTCP index, with their replay lists. */
    private static final class Stream {
        final ReplayWindow rtp;
        final ReplayWindow rtcp;
        boolean rtpStarted;
        long highestIndex;
        long nextRtcpIndex;

        Stream(int window) {
            rtp = new ReplayWindow(window);
            rtcp = new ReplayWindow(window);
        }
    }

    /**
     * A context for {@code profile} from a master key and salt (as {@link SrtpKeyingMaterial} splits the
     * DTLS exporter output); the session keys are derived here (RFC 3711 §4.3, key derivation rate 0).
     */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpConfig config) {
        this(profile, SessionKeys.derive(profile, masterKey, masterSalt), config, null);
    }

    /** The session keys of one context, derived from a master key and salt or given directly (test vectors). */
    record SessionKeys(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuth) {
        static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
            Objects.requireNonNull(profile, "profile");
            if (masterKey.length != profile.masterKeyLength() || masterSalt.length != profile.masterSaltLength()) {
                throw new IllegalArgumentException(profile + " needs a " + profile.masterKeyLength() + "-byte master key and "
                        + profile.masterSaltLength() + "-byte salt, got " + masterKey.length + " and " + masterSalt.length);
            }
            SrtpKeyDerivation kdf = new SrtpKeyDerivation(masterKey, masterSalt);
            int key = profile.masterKeyLength();
            int salt = profile.masterSaltLength();
            int auth = profile.isAead() ? 0 : HmacSha1Tag.LENGTH;
            SessionKeys keys = new SessionKeys(
                    kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, key),
                    kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, salt),
                    kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTH, auth),
                    kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, key),
                    kdf.derive(SrtpKeyDerivation.LABEL_RTCP_SALT, salt),
                    kdf.derive(SrtpKeyDerivation.LABEL_RTCP_AUTH, auth));
            kdf.destroy();
            return keys;
        }

        void destroy() {
            for (byte[] b : new byte[][] {rtpKey, rtpAuth, rtcpKey, rtcpAuth}) {
                Arrays.fill(b, (byte) 0);
            }
        }
    }

    /**
     * A context from session keys, skipping key derivation (RFC 7714's vectors are given that way);
     * {@code gcmEngine} "gcrypt", "openssl" or "jdk" picks the AES-GCM engine, null the default.
     */
    SrtpContext(SrtpProfile profile, SessionKeys keys, SrtpConfig config, String gcmEngine) {
        this(profile, keys, config, gcmEngine, null);
    }

    /** As above; {@code cmEngine} "gcrypt" or "jdk" picks the AES-CM + HMAC-SHA1 engine, null the default. */
    SrtpContext(SrtpProfile profile, SessionKeys keys, SrtpConfig config, String gcmEngine, String cmEngine) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.config = Objects.requireNonNull(config, "config: use SrtpConfig.defaults()");
        this.rtpTag = profile.rtpTagLength();
        this.rtcpTag = profile.rtcpTagLength();
        this.rtpSalt = keys.rtpSalt().clone();
        this.rtcpSalt = keys.rtcpSalt().clone();
        if (profile.isAead()) {
            this.rtpGcm = AesGcm.create(keys.rtpKey(), gcmEngine);
            this.rtcpGcm = AesGcm.create(keys.rtcpKey(), gcmEngine);
            this.rtpCm = null;
            this.rtcpCm = null;
        } else {
            this.rtpCm = AesCmHmac.create(keys.rtpKey(), keys.rtpAuth(), cmEngine);
            this.rtcpCm = AesCmHmac.create(keys.rtcpKey(), keys.rtcpAuth(), cmEngine);
            this.rtpGcm = null;
            this.rtcpGcm = null;
        }
        keys.destroy();
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Which engine protects here: "gcrypt" (libgcrypt), "openssl" (libcrypto, AES-GCM only) or "jdk". */
    public String engine() {
        return rtpGcm != null ? rtpGcm.engine() : rtpCm.engine();
    }

    /** Bytes protection adds to an RTP packet: the tag. */
    public int rtpOverhead() {
        return rtpTag;
    }

    /** Bytes protection adds to an RTCP packet: the tag and the 4-byte E-flag/index trailer. */
    public int rtcpOverhead() {
        return rtcpTag + SRTCP_TRAILER;
    }

    /** Starts tracking {@code ssrc} (for contexts that do not accept unknown SSRCs). */
    public void addStream(long ssrc) {
        if (streams.get(ssrc & 0xFFFF_FFFFL) == null) {
            if (streams.size() >= config.maxStreams()) {
                throw new IllegalStateException("this context already tracks " + config.maxStreams()
                        + " SSRCs; raise SrtpConfig.maxStreams or remove streams no longer used");
            }
            streams.put(ssrc & 0xFFFF_FFFFL, new Stream(config.replayWindow()));
        }
    }

    /** Forgets {@code ssrc}'s state (its ROC, indices and replay lists), e.g. when its media is removed. */
    public void removeStream(long ssrc) {
        streams.remove(ssrc & 0xFFFF_FFFFL);
    }

    /** Starts {@code ssrc}'s SRTCP index at {@code index} (RFC 7714's vectors use 0x5d4). */
    void startRtcpIndexAt(long ssrc, long index) {
        addStream(ssrc);
        streams.get(ssrc & 0xFFFF_FFFFL).nextRtcpIndex = index;
    }

    /** The sender's or receiver's current rollover counter for {@code ssrc}, or -1 if it has none yet. */
    public long rolloverCounter(long ssrc) {
        Stream s = streams.get(ssrc & 0xFFFF_FFFFL);
        return s == null || !s.rtpStarted ? -1 : s.highestIndex >>> 16;
    }

    public long dropped(SrtpDropReason reason) {
        return drops.dropped(reason);
    }

    public long droppedTotal() {
        return drops.total();
    }

    // ------------------------------------------------------------------ RTP

    /**
     * Encrypts and authenticates the RTP packet of {@code length} bytes at {@code offset}, in place; the tag
     * goes after it, so {@code capacity} (bytes available from {@code offset}) must leave
     * {@link #rtpOverhead()} spare. Returns the SRTP length or a negative {@link SrtpDropReason#code()}.
     */
    public int protectRtp(MemorySegment packet, long offset, int length, int capacity) {
        checkOpen();
        int header = rtpHeaderLength(packet, offset, length);
        if (header < 0) {
            return drop(header == -1 ? SrtpDropReason.TOO_SHORT : SrtpDropReason.BAD_HEADER);
        }
        if (capacity < length + rtpTag || offset + length + rtpTag > packet.byteSize()) {
            return drop(SrtpDropReason.NO_ROOM);
        }
        long ssrc = BigEndian.u32(packet, offset + 8);
        int seq = BigEndian.u16(packet, offset + 2);
        Stream stream = streamFor(ssrc, true);
        if (stream == null) {
            return drop(streams.size() >= config.maxStreams() ? SrtpDropReason.TOO_MANY_STREAMS : SrtpDropReason.UNKNOWN_SSRC);
        }
        long index = stream.rtpStarted ? SequenceNumbers.extend16(stream.highestIndex, seq) : seq;
        if (index > MAX_SRTP_INDEX) {
            return drop(SrtpDropReason.INDEX_EXHAUSTED);
        }
        int seen = stream.rtp.check(index);
        if (seen != ReplayWindow.FRESH) {
            return drop(seen == ReplayWindow.REPLAYED ? SrtpDropReason.REPLAYED : SrtpDropReason.TOO_OLD);
        }
        long roc = index >>> 16;
        if (rtpGcm != null) {
            gcmRtpIv(ssrc, roc, seq);
            rtpGcm.seal(gcmIv, packet, offset, header, 0, 0, offset + header, length - header, offset + length);
        } else {
            // RFC 3711 §4.2: the tag covers the packet and the ROC
            cmIv(rtpSalt, ssrc, index);
            putU32(word, roc);
            rtpCm.seal(iv, packet, offset + header, length - header, offset, length, word, offset + length, rtpTag);
        }
        stream.rtp.accept(index);
        advance(stream, index);
        return length + rtpTag;
    }

    /**
     * Authenticates and decrypts the SRTP packet of {@code length} bytes at {@code offset}, in place.
     * Returns the RTP length (tag removed) or a negative {@link SrtpDropReason#code()}; a dropped packet
     * leaves the context as it was.
     */
    public int unprotectRtp(MemorySegment packet, long offset, int length) {
        checkOpen();
        int header = rtpHeaderLength(packet, offset, length - rtpTag);
        if (header < 0) {
            return drop(header == -1 ? SrtpDropReason.TOO_SHORT : SrtpDropReason.BAD_HEADER);
        }
        long ssrc = BigEndian.u32(packet, offset + 8);
        int seq = BigEndian.u16(packet, offset + 2);
        Stream stream = streams.get(ssrc);
        if (stream == null && !config.acceptUnknownSsrc()) {
            return drop(SrtpDropReason.UNKNOWN_SSRC);
        }
        long index;
        if (stream == null || !stream.rtpStarted) {
            index = seq; // RFC 3711 §3.3.1: a receiver starts with ROC 0 and s_l = SEQ of the first packet
        } else {
            index = SequenceNumbers.extend16(stream.highestIndex, seq);
            int seen = stream.rtp.check(index);
            if (seen != ReplayWindow.FRESH) {
                return drop(seen == ReplayWindow.REPLAYED ? SrtpDropReason.REPLAYED : SrtpDropReason.TOO_OLD);
            }
        }
        long roc = index >>> 16;
        int payload = length - rtpTag - header;
        if (rtpGcm != null) {
            gcmRtpIv(ssrc, roc, seq);
            if (!rtpGcm.open(gcmIv, packet, offset, header, 0, 0, offset + header, payload, offset + length - rtpTag)) {
                return drop(SrtpDropReason.AUTH_FAILED);
            }
        } else {
            cmIv(rtpSalt, ssrc, index);
            putU32(word, roc);
            if (!rtpCm.open(iv, packet, offset + header, payload, offset, length - rtpTag, word, offset + length - rtpTag, rtpTag)) {
                return drop(SrtpDropReason.AUTH_FAILED);
            }
        }
        if (stream == null) {
            if (streams.size() >= config.maxStreams()) {
                return drop(SrtpDropReason.TOO_MANY_STREAMS);
            }
            stream = new Stream(config.replayWindow());
            streams.put(ssrc, stream);
        }
        stream.rtp.accept(index);
        advance(stream, index);
        return length - rtpTag;
    }

    private static void advance(Stream stream, long index) {
        if (!stream.rtpStarted || index > stream.highestIndex) {
            stream.highestIndex = index;
            stream.rtpStarted = true;
        }
    }

    /**
     * The RTP header length (fixed part, CSRCs, extension) if it fits in {@code length}, else -1 for too
     * short or -2 for a malformed header.
     */
    private static int rtpHeaderLength(MemorySegment packet, long offset, int length) {
        if (length < RTP_HEADER || offset < 0 || offset + length > packet.byteSize()) {
            return -1;
        }
        int first = BigEndian.u8(packet, offset);
        if (first >>> 6 != 2) {
            return -2;
        }
        int header = RTP_HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (header + 4 > length) {
                return -2;
            }
            header += 4 + 4 * BigEndian.u16(packet, offset + header + 2);
        }
        return header <= length ? header : -2;
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * Encrypts and authenticates the RTCP compound packet of {@code length} bytes at {@code offset}, in
     * place, appending the SRTCP index (E flag set) and tag: {@code capacity} must leave
     * {@link #rtcpOverhead()} spare. Returns the SRTCP length or a negative {@link SrtpDropReason#code()}.
     */
    public int protectRtcp(MemorySegment packet, long offset, int length, int capacity) {
        checkOpen();
        if (length < RTCP_HEADER || offset < 0 || offset + length > packet.byteSize()) {
            return drop(SrtpDropReason.TOO_SHORT);
        }
        if (BigEndian.u8(packet, offset) >>> 6 != 2) {
            return drop(SrtpDropReason.BAD_HEADER);
        }
        int added = rtcpTag + SRTCP_TRAILER;
        if (capacity < length + added || offset + length + added > packet.byteSize()) {
            return drop(SrtpDropReason.NO_ROOM);
        }
        long ssrc = BigEndian.u32(packet, offset + 4);
        Stream stream = streamFor(ssrc, true);
        if (stream == null) {
            return drop(streams.size() >= config.maxStreams() ? SrtpDropReason.TOO_MANY_STREAMS : SrtpDropReason.UNKNOWN_SSRC);
        }
        long index = stream.nextRtcpIndex;
        if (index > MAX_SRTCP_INDEX) {
            return drop(SrtpDropReason.INDEX_EXHAUSTED);
        }
        long trailer = 0x8000_0000L | index; // E = 1: the payload is encrypted
        if (rtcpGcm != null) {
            // RFC 7714 §9: header(8) | ciphertext | tag | E+index; AAD = header || E+index
            long trailerAt = offset + length + rtcpTag;
            BigEndian.putU32(packet, trailerAt, trailer);
            gcmRtcpIv(ssrc, index);
            rtcpGcm.seal(gcmIv, packet, offset, RTCP_HEADER, trailerAt, SRTCP_TRAILER,
                    offset + RTCP_HEADER, length - RTCP_HEADER, offset + length);
        } else {
            // RFC 3711 §3.4: header(8) | ciphertext | E+index | tag; the tag covers all before it
            BigEndian.putU32(packet, offset + length, trailer);
            cmIv(rtcpSalt, ssrc, index);
            rtcpCm.seal(iv, packet, offset + RTCP_HEADER, length - RTCP_HEADER, offset, length + SRTCP_TRAILER, null,
                    offset + length + SRTCP_TRAILER, rtcpTag);
        }
        stream.nextRtcpIndex = index + 1;
        return length + added;
    }

    /**
     * Authenticates and (if its E flag says so) decrypts the SRTCP packet of {@code length} bytes at
     * {@code offset}, in place. Returns the RTCP length or a negative {@link SrtpDropReason#code()}.
     */
    public int unprotectRtcp(MemorySegment packet, long offset, int length) {
        checkOpen();
        int added = rtcpTag + SRTCP_TRAILER;
        if (length < RTCP_HEADER + added || offset < 0 || offset + length > packet.byteSize()) {
            return drop(SrtpDropReason.TOO_SHORT);
        }
        if (BigEndian.u8(packet, offset) >>> 6 != 2) {
            return drop(SrtpDropReason.BAD_HEADER);
        }
        long ssrc = BigEndian.u32(packet, offset + 4);
        Stream stream = streams.get(ssrc);
        if (stream == null && !config.acceptUnknownSsrc()) {
            return drop(SrtpDropReason.UNKNOWN_SSRC);
        }
        long trailerAt = rtcpGcm != null ? offset + length - SRTCP_TRAILER : offset + length - added;
        long trailer = BigEndian.u32(packet, trailerAt);
        boolean encrypted = (trailer & 0x8000_0000L) != 0;
        long index = trailer & MAX_SRTCP_INDEX;
        if (stream != null) {
            int seen = stream.rtcp.check(index);
            if (seen != ReplayWindow.FRESH) {
                return drop(seen == ReplayWindow.REPLAYED ? SrtpDropReason.REPLAYED : SrtpDropReason.TOO_OLD);
            }
        }
        int rtcpLength = length - added;
        if (rtcpGcm != null) {
            gcmRtcpIv(ssrc, index);
            boolean ok = encrypted
                    ? rtcpGcm.open(gcmIv, packet, offset, RTCP_HEADER, trailerAt, SRTCP_TRAILER,
                            offset + RTCP_HEADER, rtcpLength - RTCP_HEADER, offset + rtcpLength)
                    // E = 0 (RFC 7714 §9.2): everything is authenticated, nothing encrypted
                    : rtcpGcm.open(gcmIv, packet, offset, rtcpLength, trailerAt, SRTCP_TRAILER, offset + rtcpLength, 0, offset + rtcpLength);
            if (!ok) {
                return drop(SrtpDropReason.AUTH_FAILED);
            }
        } else {
            cmIv(rtcpSalt, ssrc, index);
            if (!rtcpCm.open(iv, packet, offset + RTCP_HEADER, encrypted ? rtcpLength - RTCP_HEADER : 0, offset, rtcpLength + SRTCP_TRAILER,
                    null, offset + rtcpLength + SRTCP_TRAILER, rtcpTag)) {
                return drop(SrtpDropReason.AUTH_FAILED);
            }
        }
        if (stream == null) {
            if (streams.size() >= config.maxStreams()) {
                return drop(SrtpDropReason.TOO_MANY_STREAMS);
            }
            stream = new Stream(config.replayWindow());
            streams.put(ssrc, stream);
        }
        stream.rtcp.accept(index);
        return rtcpLength;
    }

    // ------------------------------------------------------------------ helpers

    private Stream streamFor(long ssrc, boolean sending) {
        Stream stream = streams.get(ssrc);
        if (stream == null && (sending || config.acceptUnknownSsrc()) && streams.size() < config.maxStreams()) {
            stream = new Stream(config.replayWindow());
            streams.put(ssrc, stream);
        }
        return stream;
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    private void cmIv(byte[] salt, long ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
    private void gcmRtpIv(long ssrc, long roc, int seq) {
        System.arraycopy(rtpSalt, 0, gcmIv, 0, 12);
        xor32(gcmIv, 2, ssrc);
        xor32(gcmIv, 6, roc);
        gcmIv[10] ^= (byte) (seq >>> 8);
        gcmIv[11] ^= (byte) seq;
    }

    /** RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt. */
    private void gcmRtcpIv(long ssrc, long index) {
        System.arraycopy(rtcpSalt, 0, gcmIv, 0, 12);
        xor32(gcmIv, 2, ssrc);
        xor32(gcmIv, 8, index);
    }

    private static void xor32(byte[] b, int at, long v) {
        b[at] ^= (byte) (v >>> 24);
        b[at + 1] ^= (byte) (v >>> 16);
        b[at + 2] ^= (byte) (v >>> 8);
        b[at + 3] ^= (byte) v;
    }

    private static void putU32(byte[] b, long v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    private int drop(SrtpDropReason reason) {
        drops.count(reason);
        return reason.code();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this SRTP context is closed; create a new one from fresh keying material");
        }
    }

    /** Frees the native AES-GCM state (if any) and zeroes the salts; later calls throw. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (rtpGcm != null) {
                rtpGcm.close();
                rtcpGcm.close();
            }
            if (rtpCm != null) {
                rtpCm.close();
                rtcpCm.close();
            }
            Arrays.fill(rtpSalt, (byte) 0);
            Arrays.fill(rtcpSalt, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SrtpContext[" + profile + ", " + streams.size() + " streams, " + droppedTotal() + " dropped]";
    }
}
