package io.eddyrtc.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpAddressTest {

    @Test
    void ipv4RoundTrips() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5004);
        UdpAddress u = UdpAddress.of(a);
        assertTrue(u.isIpv4());
        assertFalse(u.isIpv6());
        assertEquals(0xC000_0207, u.ipv4());
        assertEquals(5004, u.port());
        assertEquals(a, u.toInetSocketAddress());
        assertEquals(16, u.sockaddrLength());
        assertEquals("192.0.2.7 port 5004", u.toString());
    }

    @Test
    void ipv6RoundTripsWithItsScope() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443);
        UdpAddress u = UdpAddress.of(a);
        assertTrue(u.isIpv6());
        assertEquals(0x2001_0db8_0000_0000L, u.ipv6High());
        assertEquals(1L, u.ipv6Low());
        assertEquals(a, u.toInetSocketAddress());
        assertEquals(28, u.sockaddrLength());

        Inet6Address linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        UdpAddress scoped = UdpAddress.of(new InetSocketAddress(linkLocal, 9));
        assertEquals(3, scoped.scopeId());
        assertEquals(new InetSocketAddress(linkLocal, 9), scoped.toInetSocketAddress());
        assertNotEquals(scoped, new UdpAddress().setIpv6(0xFE80_0000_0000_0000L, 1, 9, 4), "another interface");
    }

    @Test
    void aV4MappedAddressIsTheIpv4AddressItCarries() {
        UdpAddress plain = new UdpAddress().setIpv4(0x7F00_0001, 9000);
        UdpAddress mapped = new UdpAddress().setIpv6(0, 0x0000_FFFF_7F00_0001L, 9000, 0);
        assertTrue(mapped.isIpv4());
        assertFalse(mapped.isIpv6());
        assertEquals(0x7F00_0001, mapped.ipv4());
        assertEquals(plain, mapped);
        assertEquals(plain.hashCode(), mapped.hashCode());
        assertInstanceOf(Inet4Address.class, mapped.toInetSocketAddress().getAddress());
        assertEquals(plain.toInetSocketAddress(), mapped.toInetSocketAddress());
        assertTrue(mapped.toString().contains("v4-mapped"), mapped.toString());
    }

    @Test
    void equalityTakesPortAndAddress() {
        UdpAddress a = new UdpAddress().setIpv4(0x0A00_0001, 1);
        assertNotEquals(a, new UdpAddress().setIpv4(0x0A00_0001, 2));
        assertNotEquals(a, new UdpAddress().setIpv4(0x0A00_0002, 1));
        assertNotEquals(a, new UdpAddress().setIpv6(0, 0x0A00_0001, 1, 0), "::10.0.0.1 is not v4-mapped");
        assertNotEquals(a, new UdpAddress());
        assertEquals(new UdpAddress(), new UdpAddress());
        UdpAddress copy = new UdpAddress().set(a);
        assertEquals(a, copy);
        a.setIpv4(0x0A00_0003, 1);
        assertNotEquals(a, copy, "a copy does not follow the original");
    }

    @Test
    void anEmptyAddressSaysSo() {
        UdpAddress u = new UdpAddress();
        assertTrue(u.isEmpty());
        assertEquals(0, u.sockaddrLength());
        assertEquals("UdpAddress[empty]", u.toString());
        assertThrows(IllegalStateException.class, u::toInetSocketAddress);
        u.setIpv4(1, 1);
        assertFalse(u.isEmpty());
        u.clear();
        assertTrue(u.isEmpty());
    }

    @Test
    void misuseIsRefusedWithAReason() {
        UdpAddress u = new UdpAddress();
        IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
                () -> u.set(InetSocketAddress.createUnresolved("example.org", 80)));
        assertTrue(unresolved.getMessage().contains("resolve"), unresolved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> u.setIpv4(1, 65536));
        assertThrows(IllegalArgumentException.class, () -> u.setIpv6(0, 1, -1, 0));
    }
}
