package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * eddy's SCTP against usrsctp (the real library, through FFM, in threadless "conn" mode): the association
 * comes up in either direction and messages of 1 B to 64 KiB cross both ways with their stream and PPID.
 */
class UsrSctpInteropTest {
    static final long MS = 1_000_000L;

    /**
     * Moves packets both ways and runs both sides' timers, 10 ms of virtual time per round; every eddy event
     * goes to {@code onEvent} with the round's time as it comes, so that whatever it sends in answer moves in the same round.
     */
    static long run(SctpAssociation eddy, UsrSctp usrsctp, long now, int rounds, java.util.function.ObjLongConsumer<SctpEvent> onEvent)
            throws Throwable {
        for (int i = 0; i < rounds; i++) {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (byte[] p; (p = usrsctp.pollOutbound()) != null; moved = true) {
                    eddy.handleReceive(now, p);
                }
                for (SctpEvent e; (e = eddy.pollEvent()) != null; moved = true) {
                    onEvent.accept(e, now);
                }
                for (byte[] p; (p = Packets.poll(eddy)) != null; moved = true) {
                    usrsctp.input(p);
                }
            }
            now += 10 * MS;
            eddy.handleTimeout(now);
            usrsctp.advance(10);
        }
        return now;
    }

    private static long run(SctpAssociation eddy, UsrSctp usrsctp, long now, int rounds, List<SctpEvent> events) throws Throwable {
        return run(eddy, usrsctp, now, rounds, (e, at) -> events.add(e instanceof SctpEvent.Message m ? m.copy() : e)); // views are lent
    }

    private static void exchange(SctpAssociation eddy, UsrSctp usrsctp, long now, List<SctpEvent> events) throws Throwable {
        Random r = new Random(5);
        int[] sizes = {1, 1000, 16_384, 65_536};
        for (int size : sizes) {
            byte[] fromEddy = new byte[size];
            r.nextBytes(fromEddy);
            eddy.send(now, 3, 53, fromEddy, true);
            now = run(eddy, usrsctp, now, 50, events);
            UsrSctp.Received got = usrsctp.receive();
            assertNotNull(got, "usrsctp received eddy's " + size + " bytes");
            assertEquals(3, got.stream());
            assertEquals(53, got.ppid());
            assertArrayEquals(fromEddy, got.data());

            byte[] fromUsrsctp = new byte[size];
            r.nextBytes(fromUsrsctp);
            assertTrue(usrsctp.send(5, 51, fromUsrsctp), "usrsctp accepted " + size + " bytes");
            now = run(eddy, usrsctp, now, 50, events);
            SctpEvent.Message m = (SctpEvent.Message) events.stream().filter(e -> e instanceof SctpEvent.Message).reduce((a, b) -> b).orElseThrow();
            assertEquals(5, m.stream());
            assertEquals(51, m.ppid());
            assertArrayEquals(fromUsrsctp, m.data(), size + " bytes from usrsctp");
        }
        assertEquals(0, eddy.droppedTotal(), () -> "every usrsctp packet passed eddy's checks (checksum, tags, chunks): "
                + java.util.Arrays.stream(SctpDropReason.values()).filter(why -> eddy.dropped(why) > 0).map(why -> why + "=" + eddy.dropped(why)).toList());
    }

    @Test
    void usrsctpConnectsToEddy() throws Throwable {
        try (UsrSctp usrsctp = new UsrSctp()) {
            SctpAssociation eddy = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
            List<SctpEvent> events = new ArrayList<>();
            usrsctp.connect();
            long now = run(eddy, usrsctp, 0, 100, events);
            assertTrue(eddy.isEstablished(), "eddy established with usrsctp as the initiator: " + eddy);
            assertTrue(events.contains(new SctpEvent.Connected()));
            exchange(eddy, usrsctp, now, events);
        }
    }

    @Test
    void eddyConnectsToUsrsctp() throws Throwable {
        try (UsrSctp usrsctp = new UsrSctp()) {
            usrsctp.listen();
            SctpAssociation eddy = new SctpAssociation(SctpConfig.defaults(), new SecureRandom());
            List<SctpEvent> events = new ArrayList<>();
            eddy.connect(0);
            long now = run(eddy, usrsctp, 0, 100, events);
            assertTrue(eddy.isEstablished(), "eddy established as the initiator: " + eddy);
            assertTrue(usrsctp.accept(), "usrsctp accepted the association");
            exchange(eddy, usrsctp, now, events);
        }
    }
}
