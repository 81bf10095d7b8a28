package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateTest {
    @Test
    void priorityFollowsRfc8445Formula() {
        // RFC 8445 §5.1.2.1 with the recommended host preference 126 and local preference 65535, component 1.
        assertEquals(2130706431L, Candidate.priority(126, 65535, 1));
        assertEquals((100L << 24) + (65535L << 8) + 255, Candidate.priority(100, 65535, 1));
        assertEquals(255, Candidate.priority(0, 0, 1));
        assertEquals(2130706431L, Candidate.host(new InetSocketAddress("10.0.0.1", 1)).priority());
        // Checks from a host carry the prflx priority (§7.1.1).
        assertEquals(Candidate.priority(110, 65535, 1), Candidate.host(new InetSocketAddress("10.0.0.1", 1)).peerReflexivePriority());
    }

    @Test
    void foundationGroupsByTypeBaseServerAndTransport() {
        InetSocketAddress base = new InetSocketAddress("10.0.0.1", 5000);
        InetSocketAddress stun = new InetSocketAddress("198.51.100.1", 3478);
        Candidate h1 = Candidate.host(base);
        Candidate h2 = Candidate.host(new InetSocketAddress("10.0.0.1", 5001));
        Candidate srflx = Candidate.serverReflexive(new InetSocketAddress("203.0.113.1", 40000), base, stun);
        assertEquals(h1.foundation(), h2.foundation(), "same IP, type and transport");
        assertNotEquals(h1.foundation(), srflx.foundation());
        assertNotEquals(h1.foundation(), Candidate.host(new InetSocketAddress("10.0.0.2", 5000)).foundation());
        assertEquals(base, srflx.relatedAddress());
        assertEquals(base, srflx.base());
        // A pure function of its inputs, so a seeded run writes the same SDP in every JVM.
        assertEquals("168696642", h1.foundation());
    }

    @Test
    void parsesChromeStyleCandidates() {
        Candidate c = Candidate.parse("candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0 ufrag EsAw network-cost 999");
        assertEquals("842163049", c.foundation());
        assertEquals(1, c.component());
        assertEquals(TransportProtocol.UDP, c.transport());
        assertEquals(1677729535L, c.priority());
        assertEquals(new InetSocketAddress("203.0.113.7", 46154), c.address());
        assertEquals(CandidateType.SERVER_REFLEXIVE, c.type());
        assertEquals(new InetSocketAddress("10.0.0.5", 46154), c.relatedAddress());
        assertEquals(List.of("generation", "0", "ufrag", "EsAw", "network-cost", "999"), c.extensions());
        assertEquals("candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0 ufrag EsAw network-cost 999",
                c.toSdpString());
    }

    @Test
    void parsesTcpIpv6MdnsAndAPrefix() {
        Candidate tcp = Candidate.parse("a=candidate:1 1 TCP 1518280447 2001:db8::1 9 typ host tcptype active");
        assertEquals(TransportProtocol.TCP, tcp.transport());
        assertEquals(TcpType.ACTIVE, tcp.tcpType());
        assertEquals("candidate:1 1 tcp 1518280447 2001:db8:0:0:0:0:0:1 9 typ host tcptype active", tcp.toSdpString());
        Candidate mdns = Candidate.parse("candidate:2 1 udp 2122260223 4a1c1c9e-2d3f-4e61-9d0f-1a2b3c4d5e6f.local 53001 typ host");
        assertTrue(mdns.address().isUnresolved());
        assertTrue(mdns.toSdpString().contains(".local 53001"));
        Candidate relay = Candidate.parse("candidate:3 1 udp 16777215 198.51.100.9 3478 typ relay raddr 0.0.0.0 rport 0");
        assertEquals(CandidateType.RELAYED, relay.type());
        assertEquals(relay, Candidate.parse(relay.toSdpString()));
    }

    @Test
    void roundTripsEveryLocalKind() {
        InetSocketAddress base = new InetSocketAddress("192.168.1.4", 5000);
        InetSocketAddress server = new InetSocketAddress("198.51.100.1", 3478);
        for (Candidate c : List.of(Candidate.host(base),
                Candidate.serverReflexive(new InetSocketAddress("203.0.113.1", 1), base, server),
                Candidate.relayed(new InetSocketAddress("198.51.100.1", 50000), base, server),
                Candidate.host(base, 1, TransportProtocol.TCP, TcpType.PASSIVE, 100))) {
            assertEquals(c, Candidate.parse(c.toSdpString()), c.toSdpString());
        }
    }

    @Test
    void rejectsBrokenLinesWithAReason() {
        String[] bad = {
            "", "candidate:", "candidate:1 1 udp 1 1.2.3.4 5 typ", "candidate:1 1 sctp 1 1.2.3.4 5 typ host",
            "candidate:1 0 udp 1 1.2.3.4 5 typ host", "candidate:1 1 udp 1 1.2.3.4 70000 typ host",
            "candidate:1 1 udp 1 1.2.3.4 5 type host", "candidate:1 1 udp 1 1.2.3.4 5 typ bogus",
            "candidate:1 1 tcp 1 1.2.3.4 5 typ host", "candidate:1 1 udp 1 1.2.3.4 5 typ host raddr",
            "candidate:1 1 udp 99999999999 1.2.3.4 5 typ host", "candidate:1 1 udp 1 bad host! 5 typ host",
            "candidate:f@o 1 udp 1 1.2.3.4 5 typ host", "x=candidate:1 1 udp 1 1.2.3.4 5 typ host"
        };
        for (String line : bad) {
            CandidateFormatException e = assertThrows(CandidateFormatException.class, () -> Candidate.parse(line), line);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            assertNull(Candidate.tryParse(line));
        }
    }

    @Test
    void endOfCandidatesIsRecognised() {
        assertTrue(Candidate.isEndOfCandidates("a=end-of-candidates"));
        assertTrue(Candidate.isEndOfCandidates("end-of-candidates\r\n"));
        assertEquals(false, Candidate.isEndOfCandidates("candidate:1 1 udp 1 1.2.3.4 5 typ host"));
    }
}
