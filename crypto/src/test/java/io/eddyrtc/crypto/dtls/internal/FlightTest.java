package io.eddyrtc.crypto.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How a flight goes into records and datagrams: protected DTLS 1.3 fragments of one epoch share records while
 * the datagram has room, plaintext ones (the hellos) and other epochs get records of their own, no datagram
 * exceeds the MTU, and an ACK of a shared record acknowledges every fragment it carried, so a retransmission
 * sends only the others.
 */
class FlightTest {
    private static final int MTU = 1150;

    /** A record layer that seals nothing: a record is a 4-byte header (type, epoch, sequence) and its content. */
    private static final class Records implements RecordWriter {
        final List<int[]> sealed = new ArrayList<>(); // type, epoch, sequence, content length
        private final long[] next = new long[8];

        @Override
        public byte[] seal(int contentType, int epoch, byte[] data, int offset, int length) {
            sealed.add(new int[] {contentType, epoch, (int) next[epoch], length});
            next[epoch]++;
            byte[] record = new byte[overhead(epoch) + length];
            record[0] = (byte) contentType;
            record[1] = (byte) epoch;
            System.arraycopy(data, offset, record, overhead(epoch), length);
            return record;
        }

        @Override
        public int overhead(int epoch) {
            return epoch >= 2 ? 5 + 17 : 13;
        }

        @Override
        public long nextSequence(int epoch) {
            return next[epoch];
        }
    }

    private final Records records = new Records();
    private final Outbox outbox = new Outbox();
    private final Flight flight = new Flight(MTU, 1_000_000_000L, 40_000_000_000L, new SplittableRandom(1), records, outbox);

    private List<byte[]> sent() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] d; (d = outbox.poll()) != null; ) {
            out.add(d);
        }
        return out;
    }

    /** A 1.3 server's flight: ServerHello in plaintext, then five protected messages of 20 to 700 bytes. */
    private void serverFlight() {
        flight.addHandshake(Dtls.SERVER_HELLO, 0, new byte[90], 0);
        flight.addHandshake(8, 1, new byte[20], 2); // EncryptedExtensions
        flight.addHandshake(13, 2, new byte[40], 2); // CertificateRequest
        flight.addHandshake(11, 3, new byte[700], 2); // Certificate
        flight.addHandshake(15, 4, new byte[72], 2); // CertificateVerify
        flight.addHandshake(Dtls.FINISHED, 5, new byte[32], 2);
    }

    @Test
    void protectedFragmentsOfOneEpochShareARecord() {
        serverFlight();
        flight.start(0, true);
        List<byte[]> datagrams = sent();
        assertEquals(1, datagrams.size(), "the whole flight fits one datagram");
        assertEquals(2, records.sealed.size(), "the hello alone, then one record for the five protected messages");
        assertEquals(0, records.sealed.get(0)[1]);
        assertEquals(2, records.sealed.get(1)[1]);
        assertEquals(5 * Dtls.HANDSHAKE_HEADER + 20 + 40 + 700 + 72 + 32, records.sealed.get(1)[3]);
    }

    @Test
    void plaintextFragmentsKeepRecordsOfTheirOwn() {
        flight.addHandshake(Dtls.SERVER_HELLO, 0, new byte[90], 0);
        flight.addHandshake(11, 1, new byte[300], 0);
        flight.addHandshake(14, 2, new byte[0], 0);
        flight.start(0, true);
        sent();
        assertEquals(3, records.sealed.size());
    }

    /** A 1.3 client's protected flight: Certificate, CertificateVerify of 500 bytes, Finished. */
    private void clientFlight(int certificate) {
        flight.addHandshake(11, 0, new byte[certificate], 2);
        flight.addHandshake(15, 1, new byte[500], 2);
        flight.addHandshake(Dtls.FINISHED, 2, new byte[32], 2);
    }

    @Test
    void noDatagramExceedsTheMtuAndLargeMessagesAreFragmented() {
        clientFlight(3000);
        flight.start(0, true);
        List<byte[]> datagrams = sent();
        int bytes = 0;
        for (byte[] d : datagrams) {
            assertTrue(d.length <= MTU, d.length + " bytes");
            bytes += d.length;
        }
        assertTrue(datagrams.size() >= 4, "3.5 KB in datagrams of at most 1150 bytes: " + datagrams.size());
        assertTrue(bytes < 3000 + 500 + 32 + datagrams.size() * 100, "records share datagrams: " + bytes + " bytes");
    }

    @Test
    void anAckOfASharedRecordAcknowledgesEveryFragmentInIt() {
        serverFlight();
        flight.start(0, true);
        sent();
        assertFalse(flight.acknowledge(0, 0), "the hello's record leaves the protected messages unacknowledged");
        assertTrue(flight.acknowledge(2, 0), "the one protected record carried the rest: the flight is done");
        assertTrue(flight.allAcknowledged());
    }

    @Test
    void aRetransmissionSendsOnlyWhatNoAckNamed() {
        clientFlight(1000);
        flight.start(0, true);
        sent();
        int first = records.sealed.size();
        assertEquals(2, first, "the Certificate alone fills most of a datagram; the rest share the next record");
        assertFalse(flight.acknowledge(2, 1), "the second record carried CertificateVerify and Finished");
        records.sealed.clear();
        flight.retransmit(2_000_000_000L);
        sent();
        assertEquals(1, records.sealed.size(), "only the Certificate goes again");
        assertEquals(Dtls.HANDSHAKE_HEADER + 1000, records.sealed.getFirst()[3]);
    }
}
