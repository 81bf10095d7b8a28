package io.eddyrtc.engine;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.ice.Transport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What {@link Rtc#pollOutput()} gives back: poll until a {@link Timeout}, sending every {@link Transmit}
 * and handling every {@link Event} on the way.
 *
 * <p>{@code Timeout} and {@code Transmit} are views the {@code Rtc} owns and reuses: they are valid until
 * the next call on that {@code Rtc}. Copy what you keep ({@link Transmit#copy()}).
 */
public sealed interface Output permits Output.Timeout, Output.Transmit, Event {

    /** Nothing more to do until a datagram arrives or time reaches {@link #atNanos()}. */
    final class Timeout implements Output {
        private long atNanos;

        Timeout() {
        }

        Timeout at(long nanos) {
            this.atNanos = nanos;
            return this;
        }

        /** When to call {@link Rtc#handleTimeout} if no datagram arrives first; {@code Long.MAX_VALUE} when no timer runs. */
        public long atNanos() {
            return atNanos;
        }

        @Override
        public String toString() {
            return atNanos == Long.MAX_VALUE ? "Timeout[never]" : "Timeout[" + atNanos + "]";
        }
    }

    /**
     * A datagram to send from {@link #source()} to {@link #destination()}: {@link #length()} bytes at {@link #offset()} of
     * {@link #segment()}, over {@link #transport()} — a UDP datagram (most), one RFC 4571 frame on an ICE-TCP
     * connection, or a message on the TCP connection to a TURN server. It is lent until the next call on the
     * {@code Rtc}; a loop that sends many peers' datagrams in one batch {@link #take()}s each instead, which keeps it
     * past that call.
     */
    final class Transmit implements Output {
        private Transport transport = Transport.UDP;
        private InetSocketAddress source;
        private InetSocketAddress destination;
        private MemorySegment segment = MemorySegment.NULL;
        private long offset;
        private int length;
        /** The pool slot the datagram lies in (media), {@code NONE} for memory the Rtc reuses (STUN, DTLS). */
        private PacketBuffer slot = PacketBuffer.NONE;
        private PacketPool pool;
        private boolean taken;

        Transmit() {
        }

        Transmit set(Transport transport, InetSocketAddress source, InetSocketAddress destination, MemorySegment segment, long offset,
                     int length, PacketBuffer slot, PacketPool pool) {
            this.transport = transport;
            this.source = source;
            this.destination = destination;
            this.segment = segment;
            this.offset = offset;
            this.length = length;
            this.slot = slot;
            this.pool = pool;
            this.taken = false;
            return this;
        }

        /** The Rtc's next call: a slot still lent goes back to its pool. */
        void recycle() {
            if (!slot.isNone()) {
                slot.release();
                slot = PacketBuffer.NONE;
            }
        }

        /**
         * Takes the datagram over, so it stays valid past the next call on the {@code Rtc}: a {@link PacketBuffer}
         * holding it in its first {@link PacketBuffer#length()} bytes, which the caller now owns and releases once
         * sent. A media datagram's pool slot is handed over as it is, without a copy; a STUN or DTLS datagram
         * (memory the {@code Rtc} reuses) is copied into a slot of the {@code Rtc}'s pool. Returns
         * {@link PacketBuffer#NONE}, taking nothing, when that pool has no free slot: send the view now or drop
         * it. Take a transmit once; allocates nothing.
         */
        public PacketBuffer take() {
            if (taken) {
                throw new IllegalStateException("this transmit was taken already; use the PacketBuffer the first take() gave");
            }
            if (!slot.isNone()) {
                taken = true;
                PacketBuffer taken = slot;
                slot = PacketBuffer.NONE;
                return taken;
            }
            PacketBuffer copy = pool.acquire();
            if (copy.isNone()) {
                return copy;
            }
            if (copy.capacity() < length) {
                copy.release();
                throw new IllegalStateException("a " + length + "-byte datagram does not fit the pool's " + copy.capacity()
                        + "-byte slots; give the Rtc a pool of 2048-byte slots");
            }
            MemorySegment.copy(segment, offset, copy.segment(), 0, length);
            taken = true;
            return copy.length(length);
        }

        /**
         * How to send it: {@link Transport#UDP} from the socket at {@link #source()}; {@link Transport#TCP} as an RFC 4571
         * frame (a two-byte length, then the bytes) on the ICE-TCP connection between source and destination (opened
         * by the caller first when the source is an active candidate, {@code ip:9}); {@link Transport#TURN_TCP} as-is
         * on the TCP connection from the source to that TURN server (opened by the caller on the first one).
         */
        public Transport transport() {
            return transport;
        }

        /** The local address (our candidate's base) to send from. */
        public InetSocketAddress source() {
            return source;
        }

        /** The remote address to send to. */
        public InetSocketAddress destination() {
            return destination;
        }

        /** The memory holding the datagram; read {@link #length()} bytes from {@link #offset()}. */
        public MemorySegment segment() {
            return segment;
        }

        public long offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /** The datagram as a slice (allocates a small segment object; hot loops use segment/offset/length). */
        public MemorySegment contents() {
            return segment.asSlice(offset, length);
        }

        /**
         * Copies the datagram into {@code target} at its position and advances it. A heap buffer costs no
         * allocation; a direct one a small segment wrapper.
         */
        public void copyTo(ByteBuffer target) {
            if (target.remaining() < length) {
                throw new IllegalArgumentException("target has " + target.remaining() + " bytes left, the datagram needs "
                        + length + "; pass a buffer of at least 2048 bytes");
            }
            int position = target.position();
            if (target.hasArray()) {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, target.array(), target.arrayOffset() + position, length);
            } else {
                MemorySegment.copy(segment, offset, MemorySegment.ofBuffer(target), 0, length);
            }
            target.position(position + length);
        }

        /** A detached copy of the datagram's bytes. */
        public byte[] copy() {
            return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public String toString() {
            return "Transmit[" + (transport == Transport.UDP ? "" : transport + " ") + source + " -> " + destination + ", " + length + " bytes]";
        }
    }
}
