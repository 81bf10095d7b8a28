package io.eddyrtc.net;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InetSocketAddressCacheTest {

    @Test
    void anAddressSeenBeforeComesBackWithoutAllocating() {
        InetSocketAddressCache cache = new InetSocketAddressCache(64);
        UdpAddress peer = new UdpAddress().setIpv4(0xC0A8_0001, 5000);
        InetSocketAddress first = cache.get(peer);
        InetSocketAddress again = cache.get(new UdpAddress().set(peer));
        assertSame(first, again);
        assertEquals(new InetSocketAddress("192.168.0.1", 5000), first);
        assertEquals(1, cache.misses());
        // The v4-mapped form is the same address.
        assertSame(first, cache.get(new UdpAddress().setIpv6(0, 0x0000_FFFF_C0A8_0001L, 5000, 0)));
        assertEquals(1, cache.misses());
    }

    @Test
    void itNeverGrowsPastItsCapacity() {
        InetSocketAddressCache cache = new InetSocketAddressCache(4);
        assertEquals(4, cache.capacity());
        UdpAddress a = new UdpAddress();
        for (int port = 1; port <= 1000; port++) {
            assertEquals(port, cache.get(a.setIpv4(0x0A00_0001, port)).getPort());
        }
        assertEquals(1000, cache.misses());
        InetSocketAddress last = cache.get(a);
        assertEquals(1000, cache.misses(), "the latest address stays");
        assertEquals(1000, last.getPort());
    }

    @Test
    void anAddressThatMapsToATakenEntryReplacesIt() {
        InetSocketAddressCache cache = new InetSocketAddressCache(1);
        UdpAddress a = new UdpAddress().setIpv4(1, 1);
        UdpAddress b = new UdpAddress().setIpv6(1, 2, 3, 0);
        InetSocketAddress first = cache.get(a);
        assertEquals(b.toInetSocketAddress(), cache.get(b));
        assertNotSame(first, cache.get(a));
        assertEquals(3, cache.misses());
    }

    @Test
    void capacityIsRoundedUpAndBounded() {
        assertEquals(1, new InetSocketAddressCache(1).capacity());
        assertEquals(8, new InetSocketAddressCache(5).capacity());
        assertEquals(8, new InetSocketAddressCache(8).capacity());
        assertThrows(IllegalArgumentException.class, () -> new InetSocketAddressCache(0));
        assertThrows(IllegalArgumentException.class, () -> new InetSocketAddressCache((1 << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> new InetSocketAddressCache(4).get(new UdpAddress()));
    }
}
