package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.internal.ReplayWindow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.eddyrtc.crypto.dtls.internal.Dtls.ACK;
import static io.eddyrtc.crypto.dtls.internal.Dtls.ALERT;
import static io.eddyrtc.crypto.dtls.internal.Dtls.APPLICATION_DATA;
import static io.eddyrtc.crypto.dtls.internal.Dtls.DTLS_1_0;
import static io.eddyrtc.crypto.dtls.internal.Dtls.DTLS_1_2;
import static io.eddyrtc.crypto.dtls.internal.Dtls.HANDSHAKE;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RECORD_HEADER;

/**
 * DTLS records in both directions, in either version's format. Reading: the records of a datagram one at a
 * time, each checked (header, version, epoch, replay, authentication) before its plaintext is handed out, and
 * everything else dropped and counted. Writing: records sealed in epoch 0 (plaintext, the same in both
 * versions) or a protected epoch.
 *
 * <p>DTLS 1.2 (RFC 6347 §4.1): epochs 0 and 1, keys moving from "prepared" to "current" on a
 * ChangeCipherSpec in each direction on its own. DTLS 1.3 (RFC 9147 §4), once the handshake chose it
 * ({@link #speakDtls13()}): protected records carry the unified header (the epoch's low two bits, an 8- or
 * 16-bit masked sequence number, the length); epoch 2 holds the handshake keys, 3 and up the application
 * keys. At most two epochs are readable at once (epoch 2 beside 3, or the last two application epochs),
 * so two low bits always name one of them.
 */
public final class RecordLayer implements RecordWriter {
    /** Records remembered for replay detection; RFC 6347 §4.1.2.6 asks for at least 32, 64 preferred. */
    static final int REPLAY_WINDOW = 64;
    /** The unified header eddy sends: 0b001, no connection ID, 16-bit sequence number, length present. */
    private static final int UNIFIED_HEADER = 0x2C;
    private static final int UNIFIED_HEADER_LENGTH = 5;

    /** One readable DTLS 1.3 epoch. */
    private static final class ReadEpoch {
        final int epoch;
        final RecordProtection13 keys;
        final ReplayWindow replay = new ReplayWindow(REPLAY_WINDOW);
        long highest = -1;

        ReadEpoch(int epoch, RecordProtection13 keys) {
            this.epoch = epoch;
            this.keys = keys;
        }
    }

    private final DropCounter<DtlsDropReason> drops;

    private byte[] datagram = new byte[0];
    private int at;
    private int type;
    private int epoch;
    private long sequence;

    private boolean plaintextRefused;
    private boolean dtls13;
    private int readEpoch;
    private RecordProtection readKeys;
    private RecordProtection preparedReadKeys;
    private ReplayWindow replay = new ReplayWindow(REPLAY_WINDOW);
    private final List<ReadEpoch> readEpochs = new ArrayList<>(3);

    private int writeEpoch;
    private RecordProtection writeKeys;
    private RecordProtection preparedWriteKeys;
    private final long[] writeSeq = new long[2];
    private RecordProtection13 handshakeWriteKeys;
    private long handshakeWriteSeq;
    private RecordProtection13 applicationWriteKeys;
    private long applicationWriteSeq;

    public RecordLayer(DropCounter<DtlsDropReason> drops) {
        this.drops = drops;
    }

    // ------------------------------------------------------------------ reading

    /** Starts reading the records of {@code datagram}. */
    public void begin(byte[] datagram) {
        this.datagram = datagram;
        this.at = 0;
    }

    /**
     * The plaintext of the next usable record of the datagram, its {@link #type()}, {@link #epoch()} and
     * {@link #sequence()} set; null when no record is left. Records that cannot be used are counted on the way.
     */
    public byte[] next() {
        while (at < datagram.length) {
            byte[] plain = dtls13 && (datagram[at] & 0xE0) == 0x20 ? nextUnified() : nextPlain();
            if (plain != null) {
                return plain;
            }
        }
        return null;
    }

    /** A record with the DTLSPlaintext / DTLS 1.2 header: every record of 1.2, the plaintext ones of 1.3. */
    private byte[] nextPlain() {
        if (datagram.length - at < RECORD_HEADER) {
            return malformed();
        }
        int recordType = datagram[at] & 0xFF;
        int version = (datagram[at + 1] & 0xFF) << 8 | (datagram[at + 2] & 0xFF);
        int recordEpoch = (datagram[at + 3] & 0xFF) << 8 | (datagram[at + 4] & 0xFF);
        long seq = 0;
        for (int i = 0; i < 6; i++) {
            seq = seq << 8 | (datagram[at + 5 + i] & 0xFF);
        }
        int length = (datagram[at + 11] & 0xFF) << 8 | (datagram[at + 12] & 0xFF);
        int fragment = at + RECORD_HEADER;
        if (fragment + length > datagram.length) {
            return malformed();
        }
        at = fragment + length;
        // a first ClientHello may say DTLS 1.0 in its record; protected records say 1.2, the version they
        // were sealed under (the additional data takes it for granted, so it is checked here)
        if (version != DTLS_1_2 && (version != DTLS_1_0 || recordEpoch != 0)) {
            drops.count(DtlsDropReason.BAD_VERSION);
            return null;
        }
        byte[] plain = recordEpoch == 0 ? openPlain(recordType, fragment, length)
                : dtls13 ? wrongEpoch() : open(recordType, recordEpoch, seq, fragment, length);
        if (plain != null) {
            type = recordType;
            epoch = recordEpoch;
            sequence = seq;
        }
        return plain;
    }

    private byte[] malformed() {
        drops.count(DtlsDropReason.MALFORMED_RECORD);
        at = datagram.length; // nothing after a broken header can be trusted to start a record
        return null;
    }

    private byte[] wrongEpoch() {
        drops.count(DtlsDropReason.WRONG_EPOCH);
        return null;
    }

    private byte[] openPlain(int recordType, int fragment, int length) {
        if (plaintextRefused) {
            drops.count(DtlsDropReason.PLAINTEXT_AFTER_HANDSHAKE);
            return null;
        }
        if (recordType == APPLICATION_DATA || recordType == ACK) { // a 1.3 ACK is protected in eddy's use: epoch 2 and up
            drops.count(DtlsDropReason.UNEXPECTED);
            return null;
        }
        return Arrays.copyOfRange(datagram, fragment, fragment + length);
    }

    private byte[] open(int recordType, int recordEpoch, long seq, int fragment, int length) {
        if (recordEpoch != readEpoch || readKeys == null) {
            return wrongEpoch();
        }
        if (replay.check(seq) != ReplayWindow.FRESH) {
            drops.count(DtlsDropReason.REPLAYED_RECORD);
            return null;
        }
        byte[] plain = readKeys.open(recordType, recordEpoch, seq, datagram, fragment, length);
        if (plain == null) {
            drops.count(DtlsDropReason.BAD_RECORD_MAC);
            return null;
        }
        replay.accept(seq);
        return plain;
    }

    /** A DTLS 1.3 protected record (RFC 9147 §4): unified header, masked sequence number, inner plaintext. */
    private byte[] nextUnified() {
        int flags = datagram[at] & 0xFF;
        if ((flags & 0x10) != 0) {
            return malformed(); // a connection ID, which eddy never negotiates: its length is unknown
        }
        int seqLength = (flags & 0x08) != 0 ? 2 : 1;
        boolean hasLength = (flags & 0x04) != 0;
        int headerLength = 1 + seqLength + (hasLength ? 2 : 0);
        if (datagram.length - at < headerLength) {
            return malformed();
        }
        int body = at + headerLength;
        int length = hasLength ? (datagram[body - 2] & 0xFF) << 8 | (datagram[body - 1] & 0xFF) : datagram.length - body;
        if (body + length > datagram.length) {
            return malformed();
        }
        byte[] header = Arrays.copyOfRange(datagram, at, body);
        at = body + length;
        ReadEpoch e = readEpochWithBits(flags & 3);
        if (e == null) {
            return wrongEpoch();
        }
        if (length < RecordProtection13.MASK_SAMPLE) {
            drops.count(DtlsDropReason.BAD_RECORD_MAC);
            return null;
        }
        e.keys.maskSequence(datagram, body, header, 1, seqLength);
        long partial = seqLength == 2 ? (header[1] & 0xFF) << 8 | (header[2] & 0xFF) : header[1] & 0xFF;
        long seq = reconstruct(e.highest + 1, partial, 8 * seqLength);
        if (seq < 0 || e.replay.check(seq) != ReplayWindow.FRESH) {
            drops.count(DtlsDropReason.REPLAYED_RECORD);
            return null;
        }
        byte[] inner = e.keys.open(seq, header, datagram, body, length);
        if (inner == null) {
            drops.count(DtlsDropReason.BAD_RECORD_MAC);
            return null;
        }
        int last = inner.length - 1;
        while (last >= 0 && inner[last] == 0) {
            last--; // padding
        }
        int innerType = last < 0 ? 0 : inner[last] & 0xFF;
        if (innerType != ALERT && innerType != HANDSHAKE && innerType != APPLICATION_DATA && innerType != ACK) {
            drops.count(DtlsDropReason.UNEXPECTED);
            return null;
        }
        e.replay.accept(seq);
        e.highest = Math.max(e.highest, seq);
        type = innerType;
        epoch = e.epoch;
        sequence = seq;
        return Arrays.copyOf(inner, last);
    }

    private ReadEpoch readEpochWithBits(int bits) {
        for (int i = readEpochs.size() - 1; i >= 0; i--) { // newest first
            ReadEpoch e = readEpochs.get(i);
            if ((e.epoch & 3) == bits) {
                return e;
            }
        }
        return null;
    }

    /** The full sequence number with these low {@code bits} closest to {@code expected} (RFC 9147 §4.2.2). */
    static long reconstruct(long expected, long partial, int bits) {
        long window = 1L << bits;
        long candidate = (expected & -window) | partial;
        long best = candidate;
        for (long c : new long[] {candidate - window, candidate + window}) {
            if (c >= 0 && Math.abs(c - expected) < Math.abs(best - expected)) {
                best = c;
            }
        }
        return best < 0 ? candidate + window : best;
    }

    /** The content type of the record {@link #next()} returned. */
    public int type() {
        return type;
    }

    /** The epoch of the record {@link #next()} returned. */
    public int epoch() {
        return epoch;
    }

    /** The sequence number of the record {@link #next()} returned. */
    public long sequence() {
        return sequence;
    }

    public int readEpoch() {
        return readEpoch;
    }

    /**
     * The handshake is done: from now on every record must be protected. Plaintext ones (alerts, hellos,
     * anything) are what a stranger can forge, so they are dropped unread.
     */
    public void refusePlaintext() {
        plaintextRefused = true;
    }

    /** The connection ended: no more records either way, and the keys are let go. */
    public void forgetKeys() {
        readKeys = null;
        preparedReadKeys = null;
        writeKeys = null;
        preparedWriteKeys = null;
        readEpochs.clear();
        handshakeWriteKeys = null;
        applicationWriteKeys = null;
        plaintextRefused = true;
    }

    /** The peer's keys for the next epoch, used once it sends ChangeCipherSpec. */
    public void prepareReadKeys(RecordProtection keys) {
        preparedReadKeys = keys;
    }

    /** The peer's ChangeCipherSpec: its records now come in the next epoch. False if no keys were prepared. */
    public boolean changeReadEpoch() {
        if (preparedReadKeys == null) {
            return false;
        }
        readKeys = preparedReadKeys;
        preparedReadKeys = null;
        readEpoch = 1;
        replay = new ReplayWindow(REPLAY_WINDOW);
        return true;
    }

    // ------------------------------------------------------------------ DTLS 1.3 epochs

    /** The handshake chose DTLS 1.3: protected records use the unified header from now on. */
    public void speakDtls13() {
        dtls13 = true;
    }

    public boolean speaksDtls13() {
        return dtls13;
    }

    /**
     * The peer's keys for {@code newEpoch} (2 for the handshake, 3 and up for application data). Epochs more
     * than one behind are forgotten, except the handshake's beside the first application epoch.
     */
    public void installReadEpoch(int newEpoch, RecordProtection13 keys) {
        readEpochs.removeIf(e -> e.epoch < newEpoch - 1);
        readEpochs.add(new ReadEpoch(newEpoch, keys));
        readEpoch = newEpoch;
    }

    /** Whether a record of {@code epoch} was read (the peer uses it: the keys before it may go). */
    public boolean hasReadIn(int epoch) {
        for (ReadEpoch e : readEpochs) {
            if (e.epoch == epoch) {
                return e.highest >= 0;
            }
        }
        return false;
    }

    /** Our keys for {@code newEpoch}: 2 (the handshake's, kept for its flights) or an application epoch, which becomes the current one. */
    public void installWriteEpoch(int newEpoch, RecordProtection13 keys) {
        if (newEpoch == 2) {
            handshakeWriteKeys = keys;
            handshakeWriteSeq = 0;
        } else {
            applicationWriteKeys = keys;
            applicationWriteSeq = 0;
        }
        writeEpoch = newEpoch;
    }

    /** Records sealed so far in the current write epoch (what the AEAD usage limit counts). */
    public long writtenInEpoch() {
        return writeEpoch >= 3 ? applicationWriteSeq : writeEpoch == 2 ? handshakeWriteSeq : writeSeq[Math.min(writeEpoch, 1)];
    }

    // ------------------------------------------------------------------ writing

    public int writeEpoch() {
        return writeEpoch;
    }

    /** Our keys for the next epoch, used from our own ChangeCipherSpec on. */
    public void prepareWriteKeys(RecordProtection keys) {
        preparedWriteKeys = keys;
    }

    /** Our ChangeCipherSpec went into the flight: what we send next is protected. */
    public void changeWriteEpoch() {
        writeKeys = preparedWriteKeys;
        preparedWriteKeys = null;
        writeEpoch = 1;
    }

    @Override
    public byte[] seal(int contentType, int recordEpoch, byte[] data, int offset, int length) {
        if (recordEpoch == 0 || !dtls13) {
            long seq = writeSeq[recordEpoch]++;
            byte[] fragment = recordEpoch == 0 ? Arrays.copyOfRange(data, offset, offset + length)
                    : writeKeys.seal(contentType, recordEpoch, seq, data, offset, length);
            return new TlsWriter().u8(contentType).u16(DTLS_1_2).u16(recordEpoch).u48(seq).vector16(fragment).toByteArray();
        }
        RecordProtection13 keys = recordEpoch == 2 ? handshakeWriteKeys : recordEpoch == writeEpoch ? applicationWriteKeys : null;
        if (keys == null) {
            throw new IllegalStateException("no write keys for epoch " + recordEpoch + " (current " + writeEpoch + ")");
        }
        long seq = recordEpoch == 2 ? handshakeWriteSeq++ : applicationWriteSeq++;
        int ciphertext = length + keys.overhead();
        byte[] record = new byte[UNIFIED_HEADER_LENGTH + ciphertext];
        record[0] = (byte) (UNIFIED_HEADER | (recordEpoch & 3));
        record[1] = (byte) (seq >>> 8);
        record[2] = (byte) seq;
        record[3] = (byte) (ciphertext >>> 8);
        record[4] = (byte) ciphertext;
        byte[] header = Arrays.copyOf(record, UNIFIED_HEADER_LENGTH);
        keys.seal(seq, header, contentType, data, offset, length, record, UNIFIED_HEADER_LENGTH);
        keys.maskSequence(record, UNIFIED_HEADER_LENGTH, record, 1, 2);
        return record;
    }

    @Override
    public int overhead(int recordEpoch) {
        if (recordEpoch == 0) {
            return RECORD_HEADER;
        }
        return dtls13 ? UNIFIED_HEADER_LENGTH + 1 + RecordProtection13.TAG : RECORD_HEADER + writeKeys.overhead();
    }

    @Override
    public long nextSequence(int recordEpoch) {
        if (recordEpoch == 0 || !dtls13) {
            return writeSeq[recordEpoch];
        }
        return recordEpoch == 2 ? handshakeWriteSeq : applicationWriteSeq;
    }
}
