package io.eddyrtc.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eddyrtc.buffers.InetSocketAddressView;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The router's two hash tables against plain maps, under seeded random adds and removes (growth and deletion runs). */
@ExtendWith(SeedExtension.class)
class RouteTablesTest {

    @Test
    void addressTableAgreesWithAMap(@Seed long seed) throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(seed);
        AddressTable table = new AddressTable(1);
        Map<InetSocketAddress, Integer> model = new HashMap<>();
        List<InetSocketAddress> universe = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            universe.add(randomAddress(random));
        }
        InetSocketAddressView view = new InetSocketAddressView();
        for (int step = 0; step < 60_000; step++) {
            InetSocketAddress a = universe.get(random.nextInt(universe.size()));
            int entry = table.find(view.set(a));
            if (random.nextInt(3) > 0) {
                if (entry < 0) {
                    table.add(a, step, random.nextBoolean());
                    model.put(a, step);
                }
            } else if (entry >= 0) {
                table.remove(entry);
                model.remove(a);
            }
            assertEquals(model.size(), table.size());
        }
        for (InetSocketAddress a : universe) {
            int entry = table.find(view.set(a));
            Integer owner = model.get(a);
            assertEquals(owner == null ? -1 : owner, entry < 0 ? -1 : table.owner(entry), a + " (seed " + seed + ")");
            if (entry >= 0) {
                assertSame(model.keySet().stream().filter(a::equals).findFirst().orElseThrow(), table.address(entry),
                        "the entry keeps the object it was added with");
            }
        }
    }

    @Test
    void anIpv4AddressIsOneKeyInBothForms() throws UnknownHostException {
        AddressTable table = new AddressTable(4);
        InetSocketAddress plain = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000);
        table.add(plain, 3, true);
        // what a dual-stack socket reports: the v4-mapped IPv6 form (the JDK itself turns it into IPv4)
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 7}), 5000);
        assertEquals(3, table.owner(table.find(mapped)));
        assertEquals(-1, table.find(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5001)), "the port is part of the key");
        assertEquals(-1, table.find(new InetSocketAddress(InetAddress.getByName("::c000:207"), 5000)),
                "an IPv6 address with the same low bits is another key");
    }

    @Test
    void ufragTableAgreesWithAMap(@Seed long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UfragTable table = new UfragTable(1);
        Map<String, Integer> model = new HashMap<>();
        List<String> universe = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            universe.add(ufrag(random, 4 + random.nextInt(8)));
        }
        for (int step = 0; step < 40_000; step++) {
            String u = universe.get(random.nextInt(universe.size()));
            byte[] bytes = u.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(3) > 0) {
                if (table.find(bytes) < 0) {
                    table.add(bytes, step);
                    model.put(u, step);
                }
            } else {
                Integer owner = model.get(u);
                table.remove(bytes, owner == null ? 0 : owner);
                model.remove(u);
            }
            assertEquals(model.size(), table.size());
        }
        // looked up where a STUN message holds it: in the middle of a segment
        MemorySegment message = MemorySegment.ofArray(new byte[64]);
        for (String u : universe) {
            byte[] bytes = u.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, message, 20, bytes.length);
            Integer owner = model.get(u);
            assertEquals(owner == null ? -1 : owner, table.find(message, 20, bytes.length), u + " (seed " + seed + ")");
        }
    }

    @Test
    void aUfragIsRemovedOnlyByItsOwner() {
        UfragTable table = new UfragTable(4);
        byte[] u = "abcd".getBytes(StandardCharsets.US_ASCII);
        table.add(u, 1);
        table.remove(u, 2);
        assertEquals(1, table.find(u));
        table.remove(u, 1);
        assertEquals(-1, table.find(u));
        assertEquals(-1, table.find("abc".getBytes(StandardCharsets.US_ASCII)), "a prefix is another ufrag");
    }

    private static InetSocketAddress randomAddress(SplittableRandom random) throws UnknownHostException {
        byte[] ip = new byte[random.nextBoolean() ? 4 : 16];
        random.nextBytes(ip);
        if (random.nextInt(4) == 0) {
            ip[ip.length - 1] = 1; // neighbours that differ in few bits
        }
        return new InetSocketAddress(InetAddress.getByAddress(ip), 1 + random.nextInt(4));
    }

    private static String ufrag(SplittableRandom random, int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }
}
