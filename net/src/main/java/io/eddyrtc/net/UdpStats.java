package io.eddyrtc.net;

import io.eddyrtc.buffers.DropCounter;

/**
 * What a {@link UdpTransport} has done: datagrams in and out, the system calls it took for them, the
 * batches the kernel coalesced, and drops by reason. A live view the transport's thread updates; read it
 * from that thread (or accept slightly stale figures from another).
 */
public final class UdpStats {
    private final DropCounter<UdpDropReason> drops;
    long datagramsReceived;
    long datagramsSent;
    long receiveCalls;
    long sendCalls;
    long groReceives;
    long gsoSends;
    long gsoFallbacks;

    /** Drops are logged (gated, at {@code DEBUG}) to the transport's own logger. */
    UdpStats(System.Logger log) {
        this.drops = new DropCounter<>(UdpDropReason.class, log, "UDP transport");
    }

    /** Datagrams handed to the caller (a GRO read counts every datagram in it). */
    public long datagramsReceived() {
        return datagramsReceived;
    }

    /** Datagrams the kernel took for sending (a GSO send counts every datagram in it). */
    public long datagramsSent() {
        return datagramsSent;
    }

    /** Receive system calls that returned data or an error ({@code recvmmsg}, or one {@code receive} each). */
    public long receiveCalls() {
        return receiveCalls;
    }

    /** Send system calls ({@code sendmmsg}, or one {@code send} per datagram). */
    public long sendCalls() {
        return sendCalls;
    }

    /** Reads that held more than one datagram, coalesced by GRO. */
    public long groReceives() {
        return groReceives;
    }

    /** Messages that went out as one GSO send of several datagrams. */
    public long gsoSends() {
        return gsoSends;
    }

    /** Times the kernel refused a GSO send and its datagrams went out one by one instead. */
    public long gsoFallbacks() {
        return gsoFallbacks;
    }

    public long drops(UdpDropReason reason) {
        return drops.dropped(reason);
    }

    public long totalDrops() {
        return drops.total();
    }

    /** Counts {@code count} drops for one reason, {@code detail} (or null) for the log line. */
    void drop(UdpDropReason reason, int count, Object detail) {
        for (int i = 0; i < count; i++) {
            drops.count(reason, detail);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("UdpStats[received=").append(datagramsReceived).append(", sent=").append(datagramsSent)
                .append(", receiveCalls=").append(receiveCalls).append(", sendCalls=").append(sendCalls)
                .append(", groReceives=").append(groReceives).append(", gsoSends=").append(gsoSends)
                .append(", gsoFallbacks=").append(gsoFallbacks);
        for (UdpDropReason r : UdpDropReason.values()) {
            s.append(", ").append(r).append('=').append(drops.dropped(r));
        }
        return s.append(']').toString();
    }
}
