package io.eddyrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An ICE candidate (RFC 8445 §5.1): a transport address with its type, priority and foundation,
 * and for local candidates the base it is sent from. Immutable. {@link #parse} and
 * {@link #toSdpString} convert the {@code candidate-attribute} of RFC 8839 §5.1 (the SDP module calls
 * these; this module knows no other SDP).
 */
public final class Candidate {
    /** The {@code a=end-of-candidates} attribute value (RFC 8840 §8.2). */
    public static final String END_OF_CANDIDATES = "end-of-candidates";
    /** Local preference for a single-homed host (RFC 8445 §5.1.2.1 recommends 65535). */
    public static final int DEFAULT_LOCAL_PREFERENCE = 65535;
    /** The port an active TCP candidate is signalled with (RFC 6544 §4.5). */
    public static final int DISCARD_PORT = 9;
    /** The domain of the names browsers hide their host addresses behind (RFC 6762, draft-ietf-mmusic-mdns-ice-candidates). */
    private static final String MDNS_SUFFIX = ".local";

    private final String foundation;
    private final int component;
    private final TransportProtocol transport;
    private final long priority;
    private final InetSocketAddress address;
    private final CandidateType type;
    private final InetSocketAddress relatedAddress;
    private final TcpType tcpType;
    private final InetSocketAddress base;
    private final List<String> extensions;

    private Candidate(String foundation, int component, TransportProtocol transport, long priority,
                      InetSocketAddress address, CandidateType type, InetSocketAddress relatedAddress,
                      TcpType tcpType, InetSocketAddress base, List<String> extensions) {
        this.foundation = foundation;
        this.component = component;
        this.transport = transport;
        this.priority = priority;
        this.address = address;
        this.type = type;
        this.relatedAddress = relatedAddress;
        this.tcpType = tcpType;
        this.base = base;
        this.extensions = extensions;
    }

    /** A UDP host candidate for component 1; its base is itself. */
    public static Candidate host(InetSocketAddress address) {
        return local(CandidateType.HOST, address, address, null, 1, TransportProtocol.UDP, null, DEFAULT_LOCAL_PREFERENCE);
    }

    /** A host candidate with every choice spelled out. */
    public static Candidate host(InetSocketAddress address, int component, TransportProtocol transport, TcpType tcpType,
                                 int localPreference) {
        return local(CandidateType.HOST, address, address, null, component, transport, tcpType, localPreference);
    }

    /**
     * A passive ICE-TCP host candidate (RFC 6544): a TCP port we listen on, which the peer's active candidates
     * connect to. What arrives on an accepted connection is fed with {@link Transport#TCP}, this address as the
     * destination and the connection's remote address as the source.
     */
    public static Candidate tcpPassive(InetSocketAddress listening) {
        return host(listening, 1, TransportProtocol.TCP, TcpType.PASSIVE, DEFAULT_LOCAL_PREFERENCE);
    }

    /**
     * An active ICE-TCP host candidate (RFC 6544) on {@code ip}: we open the connections, so it has no port of its
     * own and is signalled with the discard port 9 (§4.5). A check on it is a {@link Transport#TCP} transmit from
     * {@code ip:9}; the caller opens a connection to the destination for it and reports what arrives there with
     * {@code ip:9} as the destination.
     */
    public static Candidate tcpActive(InetAddress ip) {
        return host(new InetSocketAddress(ip, DISCARD_PORT), 1, TransportProtocol.TCP, TcpType.ACTIVE, DEFAULT_LOCAL_PREFERENCE);
    }

    /** A server-reflexive candidate learned from {@code server}; media leaves from {@code base}. */
    public static Candidate serverReflexive(InetSocketAddress address, InetSocketAddress base, InetSocketAddress server) {
        return local(CandidateType.SERVER_REFLEXIVE, address, base, server, 1, TransportProtocol.UDP, null,
                DEFAULT_LOCAL_PREFERENCE);
    }

    /**
     * A relayed candidate allocated on {@code server}. The agent's own TURN client (see
     * {@link IceConfig#turnServers()}) makes these with the relayed address as their base; one a caller relays
     * itself names the local address it relays through as {@code base}.
     */
    public static Candidate relayed(InetSocketAddress address, InetSocketAddress base, InetSocketAddress server) {
        return local(CandidateType.RELAYED, address, base, server, 1, TransportProtocol.UDP, null,
                DEFAULT_LOCAL_PREFERENCE);
    }

    private static Candidate local(CandidateType type, InetSocketAddress address, InetSocketAddress base,
                                   InetSocketAddress server, int component, TransportProtocol transport,
                                   TcpType tcpType, int localPreference) {
        Objects.requireNonNull(address, "address");
        if (transport == TransportProtocol.TCP && tcpType == null) {
            throw new IllegalArgumentException("a TCP candidate needs a TcpType (active, passive or so)");
        }
        int localPref = localPreference;
        if (transport == TransportProtocol.TCP) {
            // RFC 6544 §4.2: direction preference in the top 3 bits, the other 13 from the caller.
            localPref = (tcpType.directionPreference() << 13) | (localPreference & 0x1FFF);
        }
        return new Candidate(foundation(type, base.getAddress(), server, transport), component, transport,
                priority(type.typePreference(), localPref, component), address, type,
                type == CandidateType.HOST ? null : base, tcpType, base, List.of());
    }

    /** A remote candidate we learned from a check's source address (RFC 8445 §7.3.1.3). */
    public static Candidate remotePeerReflexive(InetSocketAddress source, long priority, int component) {
        return remotePeerReflexive(source, priority, component, TransportProtocol.UDP, null);
    }

    /**
     * A remote candidate learned from a check's source; over TCP (RFC 6544 §7.2) its {@code tcpType} is the
     * counterpart of the local candidate the check reached (a check on our passive candidate came from an
     * active one).
     */
    public static Candidate remotePeerReflexive(InetSocketAddress source, long priority, int component,
                                                TransportProtocol transport, TcpType tcpType) {
        return new Candidate(Integer.toUnsignedString(source.hashCode() & 0x7FFFFFFF), component, transport,
                priority, source, CandidateType.PEER_REFLEXIVE, null, tcpType, null, List.of());
    }

    /**
     * This candidate at {@code resolved} instead of its hostname: a remote mDNS candidate once the caller
     * resolved its {@code .local} name. Everything else is kept.
     */
    public Candidate withAddress(InetSocketAddress resolved) {
        Objects.requireNonNull(resolved, "resolved");
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("pass the resolved address (an IP literal), not " + resolved);
        }
        return new Candidate(foundation, component, transport, priority, resolved, type, relatedAddress, tcpType, base,
                extensions);
    }

    /** Whether the address is an mDNS name ({@code <uuid>.local}) the caller must resolve before it can be checked. */
    public boolean isMdns() {
        return address.isUnresolved() && address.getHostString().regionMatches(true,
                address.getHostString().length() - MDNS_SUFFIX.length(), MDNS_SUFFIX, 0, MDNS_SUFFIX.length());
    }

    /**
     * This candidate with its related address hidden ({@code raddr 0.0.0.0 rport 0}), as browsers write reflexive and
     * relayed candidates while they hide host addresses behind mDNS names; unchanged when it has none.
     */
    public Candidate withRelatedAddressHidden() {
        if (relatedAddress == null) {
            return this;
        }
        InetSocketAddress hidden = new InetSocketAddress(relatedAddress.getAddress() instanceof java.net.Inet6Address
                ? "::" : "0.0.0.0", 0);
        return new Candidate(foundation, component, transport, priority, address, type, hidden, tcpType, base, extensions);
    }

    /**
     * This local host candidate as the peer sees it when its address is hidden behind {@code mdnsName}: the
     * line a browser writes with mDNS candidates on. Only the SDP changes; the agent keeps the real address.
     */
    public Candidate hiddenBehind(String mdnsName) {
        if (type != CandidateType.HOST) {
            throw new IllegalArgumentException("only host candidates are hidden behind an mDNS name, not " + type.sdpName());
        }
        return new Candidate(foundation, component, transport, priority,
                InetSocketAddress.createUnresolved(mdnsName, address.getPort()), type, null, tcpType, null, extensions);
    }

    /** A local peer-reflexive candidate learned from a response's XOR-MAPPED-ADDRESS (§7.2.5.3.1). */
    public static Candidate localPeerReflexive(InetSocketAddress mapped, Candidate baseCandidate) {
        return new Candidate(foundation(CandidateType.PEER_REFLEXIVE, baseCandidate.base.getAddress(), null,
                baseCandidate.transport), baseCandidate.component, baseCandidate.transport,
                priority(CandidateType.PEER_REFLEXIVE.typePreference(), DEFAULT_LOCAL_PREFERENCE, baseCandidate.component),
                mapped, CandidateType.PEER_REFLEXIVE, baseCandidate.base, baseCandidate.tcpType, baseCandidate.base,
                List.of());
    }

    /** RFC 8445 §5.1.2.1: 2^24 * type preference + 2^8 * local preference + (256 - component). */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) (localPreference & 0xFFFF) << 8) + (256 - component);
    }

    /**
     * RFC 8445 §5.1.1.3: candidates of the same type, base IP, server and transport share a
     * foundation. We hash those into a short decimal token (ice-char only). Enums enter by ordinal:
     * their own hash codes differ from one JVM run to the next, and so would every SDP we write.
     */
    static String foundation(CandidateType type, InetAddress baseIp, InetSocketAddress server, TransportProtocol transport) {
        int h = Objects.hash(type.ordinal(), baseIp, server == null ? null : server.getAddress(), transport.ordinal());
        return Integer.toUnsignedString(h & 0x7FFFFFFF);
    }

    /** The peer-reflexive priority we put in PRIORITY of checks sent from this candidate (§7.1.1). */
    public long peerReflexivePriority() {
        int localPref = (int) ((priority >>> 8) & 0xFFFF);
        return priority(CandidateType.PEER_REFLEXIVE.typePreference(), localPref, component);
    }

    /**
     * Parses {@code candidate:...} (with or without a leading {@code a=}) per RFC 8839 §5.1. Unknown
     * extension attributes are kept and written back. Hostnames (e.g. mDNS {@code .local}) are kept
     * unresolved; nothing here does DNS.
     *
     * @throws CandidateFormatException naming the bad field
     */
    public static Candidate parse(String line) {
        if (line == null) {
            throw new CandidateFormatException("candidate line is null");
        }
        String s = line.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (!s.regionMatches(true, 0, "candidate:", 0, 10)) {
            throw new CandidateFormatException("candidate line must start with 'candidate:': " + abbreviate(line));
        }
        String[] f = s.substring(10).trim().split("\\s+");
        if (f.length < 8) {
            throw new CandidateFormatException("candidate needs at least 8 fields, got " + f.length + ": " + abbreviate(line));
        }
        String foundation = f[0];
        if (foundation.isEmpty() || foundation.length() > 32 || !isIceChars(foundation)) {
            throw new CandidateFormatException("bad foundation '" + abbreviate(foundation) + "'");
        }
        int component = parseInt(f[1], 1, 256, "component-id");
        TransportProtocol transport;
        if (f[2].equalsIgnoreCase("udp")) {
            transport = TransportProtocol.UDP;
        } else if (f[2].equalsIgnoreCase("tcp")) {
            transport = TransportProtocol.TCP;
        } else {
            throw new CandidateFormatException("unsupported transport '" + abbreviate(f[2]) + "' (udp or tcp)");
        }
        long priority = parseLong(f[3], 1, 0xFFFFFFFFL, "priority");
        String host = f[4];
        int port = parseInt(f[5], 0, 65535, "port");
        if (!f[6].equalsIgnoreCase("typ")) {
            throw new CandidateFormatException("expected 'typ' as the 7th field, got '" + abbreviate(f[6]) + "'");
        }
        CandidateType type = CandidateType.fromSdp(f[7]);
        if (type == null) {
            throw new CandidateFormatException("unknown candidate type '" + abbreviate(f[7]) + "'");
        }
        String raddr = null;
        int rport = -1;
        TcpType tcpType = null;
        List<String> ext = new ArrayList<>();
        for (int i = 8; i < f.length; i += 2) {
            if (i + 1 >= f.length) {
                throw new CandidateFormatException("extension '" + abbreviate(f[i]) + "' has no value");
            }
            String k = f[i];
            String v = f[i + 1];
            if (k.equalsIgnoreCase("raddr")) {
                raddr = v;
            } else if (k.equalsIgnoreCase("rport")) {
                rport = parseInt(v, 0, 65535, "rport");
            } else if (k.equalsIgnoreCase("tcptype")) {
                tcpType = TcpType.fromSdp(v);
                if (tcpType == null) {
                    throw new CandidateFormatException("unknown tcptype '" + abbreviate(v) + "'");
                }
            } else {
                ext.add(k);
                ext.add(v);
            }
        }
        if (transport == TransportProtocol.TCP && tcpType == null) {
            throw new CandidateFormatException("TCP candidate without tcptype");
        }
        InetSocketAddress related = null;
        if (raddr != null) {
            related = address(raddr, Math.max(rport, 0));
        }
        return new Candidate(foundation, component, transport, priority, address(host, port), type, related,
                tcpType, null, Collections.unmodifiableList(ext));
    }

    /** Like {@link #parse} but returns null instead of throwing. */
    public static Candidate tryParse(String line) {
        try {
            return parse(line);
        } catch (CandidateFormatException e) {
            return null;
        }
    }

    /** True for the end-of-candidates marker (with or without {@code a=}). */
    public static boolean isEndOfCandidates(String line) {
        if (line == null) {
            return false;
        }
        String s = line.strip();
        return s.equals(END_OF_CANDIDATES) || s.equals("a=" + END_OF_CANDIDATES);
    }

    /** The {@code candidate:...} attribute value, without {@code a=}. */
    public String toSdpString() {
        StringBuilder b = new StringBuilder(96).append("candidate:").append(foundation).append(' ').append(component)
                .append(' ').append(transport == TransportProtocol.UDP ? "udp" : "tcp").append(' ').append(priority)
                .append(' ').append(hostString(address)).append(' ').append(address.getPort())
                .append(" typ ").append(type.sdpName());
        if (relatedAddress != null) {
            b.append(" raddr ").append(hostString(relatedAddress)).append(" rport ").append(relatedAddress.getPort());
        }
        if (tcpType != null) {
            b.append(" tcptype ").append(tcpType.sdpName());
        }
        for (int i = 0; i + 1 < extensions.size(); i += 2) {
            b.append(' ').append(extensions.get(i)).append(' ').append(extensions.get(i + 1));
        }
        return b.toString();
    }

    private static String hostString(InetSocketAddress a) {
        if (a.isUnresolved() || a.getAddress() == null) {
            return a.getHostString();
        }
        String h = a.getAddress().getHostAddress();
        int scope = h.indexOf('%');
        return scope >= 0 ? h.substring(0, scope) : h;
    }

    /** An IP literal as a resolved address, a host name as an unresolved one (no DNS either way). */
    static InetSocketAddress address(String host, int port) {
        if (host.isEmpty() || host.length() > 255) {
            throw new CandidateFormatException("bad connection-address");
        }
        if (isIpLiteral(host)) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new CandidateFormatException("bad IP address '" + abbreviate(host) + "'");
            }
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                throw new CandidateFormatException("bad hostname '" + abbreviate(host) + "'");
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** IPv4 dotted quad or anything with a colon (IPv6); InetAddress.getByName does no DNS for these. */
    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static int parseInt(String s, int min, int max, String field) {
        return (int) parseLong(s, min, max, field);
    }

    private static long parseLong(String s, long min, long max, String field) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CandidateFormatException(field + " must be a decimal number, got '" + abbreviate(s) + "'");
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw new CandidateFormatException(field + " " + v + " outside " + min + ".." + max);
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    public String foundation() {
        return foundation;
    }

    public int component() {
        return component;
    }

    public TransportProtocol transport() {
        return transport;
    }

    public long priority() {
        return priority;
    }

    public InetSocketAddress address() {
        return address;
    }

    public CandidateType type() {
        return type;
    }

    /** raddr/rport, or null. */
    public InetSocketAddress relatedAddress() {
        return relatedAddress;
    }

    public TcpType tcpType() {
        return tcpType;
    }

    /** For local candidates, the address we send from; null for remote candidates. */
    public InetSocketAddress base() {
        return base;
    }

    /** Unknown extension attributes as name, value, name, value... */
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Candidate c && c.component == component && c.transport == transport
                && c.priority == priority && c.address.equals(address) && c.type == type
                && c.foundation.equals(foundation) && Objects.equals(c.relatedAddress, relatedAddress)
                && c.tcpType == tcpType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(foundation, component, transport, priority, address, type);
    }

    @Override
    public String toString() {
        return toSdpString();
    }
}
