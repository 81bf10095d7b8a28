package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.buffers.DropCounter;
import io.eddyrtc.crypto.dtls.DtlsDropReason;
import io.eddyrtc.crypto.internal.ReplayWindow;

import java.util.Arrays;

import static io.eddyrtc.crypto.dtls.internal.Dtls.APPLICATION_DATA;
import static io.eddyrtc.crypto.dtls.internal.Dtls.DTLS_1_0;
import static io.eddyrtc.crypto.dtls.internal.Dtls.DTLS_1_2;
import static io.eddyrtc.crypto.dtls.internal.Dtls.RECORD_HEADER;

/**
 * DTLS 1.2 records (RFC 6347 §4.1) in both directions. Reading: the records of a datagram one at a time,
 * each checked (header, version, epoch, replay, authentication) before its plaintext is handed out, and
 * everything else dropped and counted. Writing: records sealed in epoch 0 (plaintext) or the epoch the
 * handshake moved to, each epoch with its own 48-bit sequence numbers. Keys move from "prepared" to
 * "current" on a ChangeCipherSpec, in each direction on its own.
 */
public final class RecordLayer implements RecordWriter {
    /** Records remembered for replay detection; RFC 6347 §4.1.2.6 asks for at least 32, 64 preferred. */
    static final int REPLAY_WINDOW = 64;

    private final DropCounter<DtlsDropReason> drops;

    private byte[] datagram = new byte[0];
    private int at;
    private int type;
    private int epoch;

    private boolean plaintextRefused;
    private int readEpoch;
    private RecordProtection readKeys;
    private RecordProtection preparedReadKeys;
    private ReplayWindow replay = new ReplayWindow(REPLAY_WINDOW);

    private int writeEpoch;
    private RecordProtection writeKeys;
    private RecordProtection preparedWriteKeys;
    private final long[] writeSeq = new long[2];

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
     * The plaintext of the next usable record of the datagram, its {@link #type()} and {@link #epoch()}
     * set; null when no record is left. Records that cannot be used are counted on the way.
     */
    public byte[] next() {
        while (at < datagram.length) {
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
                continue;
            }
            byte[] plain = open(recordType, recordEpoch, seq, fragment, length);
            if (plain != null) {
                type = recordType;
                epoch = recordEpoch;
                return plain;
            }
        }
        return null;
    }

    private byte[] malformed() {
        drops.count(DtlsDropReason.MALFORMED_RECORD);
        at = datagram.length; // nothing after a broken header can be trusted to start a record
        return null;
    }

    private byte[] open(int recordType, int recordEpoch, long seq, int fragment, int length) {
        if (recordEpoch == 0) {
            if (plaintextRefused) {
                drops.count(DtlsDropReason.PLAINTEXT_AFTER_HANDSHAKE);
                return null;
            }
            if (recordType == APPLICATION_DATA) {
                drops.count(DtlsDropReason.UNEXPECTED);
                return null;
            }
            return Arrays.copyOfRange(datagram, fragment, fragment + length);
        }
        if (recordEpoch != readEpoch || readKeys == null) {
            drops.count(DtlsDropReason.WRONG_EPOCH);
            return null;
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

    /** The content type of the record {@link #next()} returned. */
    public int type() {
        return type;
    }

    /** The epoch of the record {@link #next()} returned. */
    public int epoch() {
        return epoch;
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
        long seq = writeSeq[recordEpoch]++;
        byte[] fragment = recordEpoch == 0 ? Arrays.copyOfRange(data, offset, offset + length)
                : writeKeys.seal(contentType, recordEpoch, seq, data, offset, length);
        return new TlsWriter().u8(contentType).u16(DTLS_1_2).u16(recordEpoch).u48(seq).vector16(fragment).toByteArray();
    }

    @Override
    public int overhead(int recordEpoch) {
        return RECORD_HEADER + (recordEpoch == 0 ? 0 : writeKeys.overhead());
    }
}
