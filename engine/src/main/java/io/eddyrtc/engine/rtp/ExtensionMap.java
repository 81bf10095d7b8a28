package io.eddyrtc.engine.rtp;

import io.eddyrtc.buffers.BigEndian;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The negotiated mapping between RTP header extension ids (1–255, RFC 8285) and extensions, in both
 * directions, with array lookups so the packet path neither hashes nor allocates.
 */
public final class ExtensionMap {
    public static final int MAX_ID = 255;

    private final RtpExtension[] byId = new RtpExtension[MAX_ID + 1];
    private final int[] idByExtension = new int[RtpExtension.values().length];

    public ExtensionMap() {
        Arrays.fill(idByExtension, 0);
    }

    /** Maps {@code id} to {@code extension}, replacing whatever either was mapped to before. */
    public ExtensionMap set(int id, RtpExtension extension) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("extension id " + id + " must be 1 to " + MAX_ID);
        }
        remove(extension);
        RtpExtension previous = byId[id];
        if (previous != null) {
            idByExtension[previous.ordinal()] = 0;
        }
        byId[id] = extension;
        idByExtension[extension.ordinal()] = id;
        return this;
    }

    /** Unmaps {@code extension}. */
    public ExtensionMap remove(RtpExtension extension) {
        int id = idByExtension[extension.ordinal()];
        if (id != 0) {
            byId[id] = null;
            idByExtension[extension.ordinal()] = 0;
        }
        return this;
    }

    /** The extension with {@code id}, or {@code null} if none (ids outside 1–255 included). */
    public RtpExtension lookup(int id) {
        return id >= 1 && id <= MAX_ID ? byId[id] : null;
    }

    /** The id of {@code extension}, or 0 if it is not mapped. */
    public int idOf(RtpExtension extension) {
        return idByExtension[extension.ordinal()];
    }

    /** True if any mapped id is above 14, which forces the two-byte header form (RFC 8285 §4.3). */
    public boolean needsTwoByteForm() {
        for (int id = 15; id <= MAX_ID; id++) {
            if (byId[id] != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the header extension of the wrapped {@code header} into {@code values} (cleared first),
     * through this map's ids. Never throws on network bytes: malformed elements are skipped and counted
     * in {@link RtpExtensionValues#malformedCount()}.
     */
    public void parse(RtpHeader header, RtpExtensionValues values) {
        if (!header.isWrapped() || !header.hasExtension()) {
            values.clear();
            return;
        }
        ExtensionCodec.parse(this, header, values);
    }

    /**
     * Writes the extension block (profile, length, elements, padding) for the values present in
     * {@code values} that this map has an id for, choosing the two-byte form only when an id above 14
     * or a value above 16 bytes needs it. The caller sets the header's X bit if this returns &gt; 0.
     *
     * @return bytes written; 0 if nothing to write; -1 if it does not fit in {@code room}
     */
    public int write(RtpExtensionValues values, MemorySegment segment, long offset, int room) {
        return ExtensionCodec.write(this, values, segment, offset, room);
    }

    /**
     * Rewrites the transport-wide sequence number of the wrapped {@code header} in place, as a forwarding
     * SFU or a pacer does for every packet it sends (the sender's numbering is per transport, not per
     * stream). Returns false, changing nothing, if the packet has no such element of 2 bytes or more.
     */
    public boolean rewriteTransportSequence(RtpHeader header, int sequence) {
        long where = header.isWrapped() ? ExtensionCodec.locate(this, header, RtpExtension.TRANSPORT_WIDE_CC) : -1;
        if (where < 0 || (where & 0xFFFF) < 2) {
            return false;
        }
        BigEndian.putU16(header.segment(), header.offset() + (where >>> 16), sequence);
        return true;
    }

    /**
     * Where {@code extension}'s element value lies in the wrapped {@code header}, for rewriting in place:
     * {@code offset << 16 | length} with the offset relative to the header's window, or -1 if absent.
     */
    public long locate(RtpHeader header, RtpExtension extension) {
        return header.isWrapped() ? ExtensionCodec.locate(this, header, extension) : -1;
    }

    /**
     * Blanks {@code extension}'s element in the wrapped {@code header} to padding, in place (the packet's length
     * stays): for a forwarded packet whose element names the stream it came in on. False when it is absent.
     */
    public boolean blank(RtpHeader header, RtpExtension extension) {
        return header.isWrapped() && ExtensionCodec.blank(this, header, extension);
    }

    /**
     * Renumbers the elements of the wrapped {@code header}, written under {@code from}'s ids, to this map's ids in
     * place; those this map has no id for become padding (see {@link #blank}).
     */
    public void translate(ExtensionMap from, RtpHeader header) {
        if (header.isWrapped() && from != this) {
            ExtensionCodec.translate(from, this, header);
        }
    }

    /**
     * Readies the wrapped {@code header} of a packet forwarded to the peer of this map, in place and in one walk:
     * its elements renumbered from {@code from}'s ids to this map's, those this map has no id for made padding
     * ({@code from} null: the numbering is unknown and the ids stay), and those that name the sender's stream
     * (mid, rid, repaired rid: the peer tells ours by its SSRC) made padding too (see {@link #blank}).
     */
    public void forwardFrom(ExtensionMap from, RtpHeader header) {
        if (header.isWrapped()) {
            ExtensionCodec.forward(from, this, header);
        }
    }

    /** A copy, for when negotiation changes the map while packets keep flowing. */
    public ExtensionMap copy() {
        ExtensionMap copy = new ExtensionMap();
        System.arraycopy(byId, 0, copy.byId, 0, byId.length);
        System.arraycopy(idByExtension, 0, copy.idByExtension, 0, idByExtension.length);
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ExtensionMap{");
        for (int id = 1; id <= MAX_ID; id++) {
            if (byId[id] != null) {
                b.append(id).append('=').append(byId[id]).append(' ');
            }
        }
        return b.append('}').toString();
    }
}
