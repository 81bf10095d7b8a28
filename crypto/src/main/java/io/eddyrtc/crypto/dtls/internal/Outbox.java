package io.eddyrtc.crypto.dtls.internal;

import java.util.ArrayDeque;

/** Datagrams a DTLS connection has made and its caller has not yet taken, oldest first. */
public final class Outbox {
    private final ArrayDeque<byte[]> datagrams = new ArrayDeque<>();

    public void add(byte[] datagram) {
        datagrams.add(datagram);
    }

    /** The oldest datagram, or null. */
    public byte[] poll() {
        return datagrams.poll();
    }
}
