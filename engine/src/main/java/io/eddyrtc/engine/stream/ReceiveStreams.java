package io.eddyrtc.engine.stream;

import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.rtp.RtpExtensionValues;
import java.util.Arrays;

/**
 * The receive streams of one {@code Rtc}, found by SSRC without hashing boxed keys: an open-addressing
 * table from the media SSRC, and one from each known RTX SSRC to the stream it repairs. RTX streams are
 * associated either up front (SDP {@code ssrc-group:FID}) or on first sight from a packet's repaired-rid
 * extension naming a stream's rid (RFC 8852), as simulcast without SSRCs in the SDP requires.
 */
public final class ReceiveStreams {
    private long[] keys = new long[16];
    private ReceiveStream[] values = new ReceiveStream[16];
    private boolean[] repair = new boolean[16];
    private int size;

    public ReceiveStreams() {
        Arrays.fill(keys, -1);
    }

    /** Adds {@code stream} under its SSRC (and its RTX SSRC if set). Setup path: may allocate. */
    public void add(ReceiveStream stream) {
        put(stream.ssrc(), stream, false);
        if (stream.rtxSsrc() >= 0) {
            put(stream.rtxSsrc(), stream, true);
        }
    }

    /** Declares that {@code rtxSsrc} repairs {@code stream}. */
    public void associateRtx(long rtxSsrc, ReceiveStream stream) {
        long previous = stream.rtxSsrc();
        if (previous >= 0 && previous != (rtxSsrc & 0xFFFF_FFFFL) && repairedBy(previous) == stream) {
            delete(previous); // one RTX stream per media stream: the sender moved to a new RTX SSRC
        }
        stream.setRtxSsrc(rtxSsrc);
        put(rtxSsrc & 0xFFFF_FFFFL, stream, true);
    }

    /**
     * For a packet from an SSRC nobody claims: if its repaired-rid names a stream's rid, associates the
     * SSRC as that stream's RTX and returns the stream; otherwise null.
     */
    public ReceiveStream associateByRepairedRid(long rtxSsrc, RtpExtensionValues values, byte[] scratch) {
        if (values.repairedRidLength() == 0 || !values.has(RtpExtension.REPAIRED_RID)) {
            return null;
        }
        int n = values.copyRepairedRid(scratch);
        for (ReceiveStream s : values()) {
            if (s != null && s.ridEquals(scratch, n)) {
                associateRtx(rtxSsrc, s);
                return s;
            }
        }
        return null;
    }

    private ReceiveStream[] values() {
        return values;
    }

    /** The stream whose media SSRC is {@code ssrc}, or null. */
    public ReceiveStream media(long ssrc) {
        int i = index(ssrc & 0xFFFF_FFFFL);
        return i >= 0 && !repair[i] ? values[i] : null;
    }

    /** The stream repaired by RTX SSRC {@code ssrc}, or null. */
    public ReceiveStream repairedBy(long ssrc) {
        int i = index(ssrc & 0xFFFF_FFFFL);
        return i >= 0 && repair[i] ? values[i] : null;
    }

    public int size() {
        return size;
    }

    private int index(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
            if (keys[i] == -1) {
                return -1;
            }
        }
    }

    private void put(long key, ReceiveStream stream, boolean isRepair) {
        key &= 0xFFFF_FFFFL;
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (keys[i] != -1 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == -1) {
            size++;
        }
        keys[i] = key;
        values[i] = stream;
        repair[i] = isRepair;
    }

    /** Forgets {@code stream}: its SSRC and its RTX SSRC no longer find it. Set-up path (stream retired). */
    public void remove(ReceiveStream stream) {
        delete(stream.ssrc());
        if (stream.rtxSsrc() >= 0 && repairedBy(stream.rtxSsrc()) == stream) {
            delete(stream.rtxSsrc());
        }
    }

    /** Linear-probing removal: the entries after the hole that hashed at or before it move back into it. */
    private void delete(long key) {
        int i = index(key & 0xFFFF_FFFFL);
        if (i < 0) {
            return;
        }
        int mask = keys.length - 1;
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != -1; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeBetween) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                repair[hole] = repair[j];
                hole = j;
            }
        }
        keys[hole] = -1;
        values[hole] = null;
        repair[hole] = false;
        size--;
    }

    private void grow() {
        long[] oldKeys = keys;
        ReceiveStream[] oldValues = values;
        boolean[] oldRepair = repair;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, -1);
        values = new ReceiveStream[keys.length];
        repair = new boolean[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) {
                put(oldKeys[i], oldValues[i], oldRepair[i]);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
