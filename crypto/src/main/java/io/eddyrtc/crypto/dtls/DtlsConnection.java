package io.eddyrtc.crypto.dtls;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * What the {@code Rtc} needs from a DTLS implementation ({@link DtlsEndpoint}, DTLS 1.3 and 1.2): datagrams
 * and time in, datagrams and {@link DtlsEvent}s out, application data both ways.
 */
public sealed interface DtlsConnection permits DtlsEndpoint {

    /** The peer's signalled fingerprint; its certificate must match before any key is released. */
    void setRemoteFingerprint(Fingerprint fingerprint);

    /** A client sends its first flight; a server waits. */
    void start(long now);

    void handleReceive(long now, InetSocketAddress source, MemorySegment segment, long offset, int length);

    void handleTimeout(long now);

    long nextDeadline();

    byte[] pollTransmit();

    DtlsEvent pollEvent();

    /** Application data (one record) after {@link DtlsEvent.Connected}. */
    void send(long now, byte[] data, int offset, int length);

    void close();

    boolean isConnected();

    /** Closed or failed: nothing more will happen. */
    boolean isDone();
}
