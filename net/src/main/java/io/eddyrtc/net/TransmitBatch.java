package io.eddyrtc.net;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.engine.Output;
import java.net.InetSocketAddress;

/**
 * The datagrams one {@code Rtc} gives out, gathered for its own {@link UdpTransport}: each {@link Output.Transmit} is
 * taken over ({@link Output.Transmit#take()}: a media datagram's slot without a copy), so it outlives the next call
 * on the {@code Rtc}, and the lot goes out in one system call when the batch is full or {@link #send} is called; the
 * slots go back to their pool once sent. The destination's {@link UdpAddress} is set again only when the {@code Rtc}
 * names another. For a client or a tool that runs an {@code Rtc} on a socket of its own; a server's many peers on one
 * socket are {@link RtcLoop}'s job. Allocates nothing per datagram.
 */
public final class TransmitBatch {
    private final SendBatch out;
    private final PacketBuffer[] slots;
    private final UdpAddress destination = new UdpAddress();
    private InetSocketAddress destinationOf;

    /** A batch of up to {@code capacity} datagrams per system call (1 to {@value SendBatch#MAX_CAPACITY}). */
    public TransmitBatch(int capacity) {
        this.out = new SendBatch(capacity);
        this.slots = new PacketBuffer[capacity];
    }

    /**
     * Takes {@code x} over into the batch, first sending the batch through {@code via} when it is full. Returns false,
     * leaving the datagram unsent, when the {@code Rtc}'s pool had no free slot for it.
     */
    public boolean add(Output.Transmit x, UdpTransport via) {
        if (out.isFull()) {
            send(via);
        }
        PacketBuffer slot = x.take();
        if (slot.isNone()) {
            return false;
        }
        if (x.destination() != destinationOf) { // an Rtc hands out the same address object per pair
            destination.set(x.destination());
            destinationOf = x.destination();
        }
        slots[out.count()] = slot;
        out.add(slot, destination);
        return true;
    }

    /** Sends what the batch holds through {@code via} and gives the slots back; how many datagrams the kernel took. */
    public int send(UdpTransport via) {
        int count = out.count();
        if (count == 0) {
            return 0;
        }
        int sent = via.send(out);
        for (int i = 0; i < count; i++) {
            slots[i].release();
            slots[i] = null;
        }
        return sent;
    }
}
