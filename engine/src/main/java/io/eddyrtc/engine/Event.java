package io.eddyrtc.engine;

import io.eddyrtc.buffers.LentBytes;
import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsCipherSuite;
import io.eddyrtc.crypto.dtls.DtlsVersion;
import io.eddyrtc.crypto.dtls.NamedGroup;
import io.eddyrtc.engine.internal.ChannelDataLender;
import io.eddyrtc.engine.internal.media.RtpPacketLender;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.rtp.ExtensionMap;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.engine.stream.ReceiveStreamStats;
import io.eddyrtc.engine.stream.SendStreamStats;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceConnectionState;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What happened inside an {@link Rtc}, polled as an {@link Output}. Events are records, except the two that come
 * per packet and per message: {@link RtpPacket} and {@link ChannelData} are reused views, like
 * {@link Output.Transmit}. ({@link MediaData} comes per frame and carries its own copy of the bytes.)
 *
 * <p>Connection: {@link Connected}, {@link IceConnectionStateChange}, {@link SelectedPairChange},
 * {@link DtlsFailed}, {@link Disconnected}; what ICE needs or gathered: {@link ResolveMdns}, {@link CandidateGathered},
 * {@link RelayFailed}. Media: {@link MediaAdded}, {@link MediaChanged}, {@link MediaData} (or {@link RtpPacket}
 * in RTP mode), {@link KeyframeRequest}, {@link StreamPaused}. Channels: {@link ChannelOpen},
 * {@link ChannelData}, {@link ChannelClose}, {@link ChannelBufferedAmountLow}, {@link ChannelsClosed}.
 * Statistics: {@link PeerStats}, {@link MediaIngressStats}, {@link MediaEgressStats}. A bandwidth estimate
 * event comes with bandwidth estimation.
 */
public sealed interface Event extends Output {

    /**
     * ICE and DTLS are both up: SRTP keys exist (when the peers negotiated use_srtp) and application
     * data can flow. Comes once per connection.
     */
    record Connected() implements Event {}

    /** The DTLS handshake or connection failed for good (e.g. the certificate did not match the fingerprint). */
    record DtlsFailed(String reason) implements Event {}

    /**
     * The call ended: {@link Rtc#isAlive()} is false from here on, and {@code reason} says why — what a server
     * loop switches on to let the peer go. {@code detail} is a sentence for the log. After
     * {@link Reason#ICE_FAILED} an ICE restart may still bring the call back; the other reasons are final.
     */
    record Disconnected(Reason reason, String detail) implements Event {
        /** Why a call ended. */
        public enum Reason {
            /** {@link Rtc#disconnect()} was called here. */
            LOCAL_CLOSE,
            /** The peer closed the connection (an authenticated DTLS close_notify). */
            PEER_CLOSED,
            /** ICE found no path, or lost it and gave up ({@link IceConnectionState#FAILED}). */
            ICE_FAILED,
            /** The DTLS handshake or connection failed (see also {@link DtlsFailed}). */
            DTLS_FAILED
        }
    }

    /** A data channel opened (we created it and the peer acknowledged, or the peer created it). */
    record ChannelOpen(int id, String label) implements Event {}

    /**
     * A whole message on data channel {@link #id()}, binary or UTF-8 text: its {@link #length()} bytes are the start
     * of {@link #segment()}. A view the {@code Rtc} lends, like {@link RtpPacket}: the bytes lie in a pool slot (or,
     * for a message longer than a slot, on the heap), valid until the next call on the {@code Rtc}; {@link #copy()},
     * {@link #data()} or {@link #text()} keep them. Echoing it is one call, no copy of your own:
     * {@code rtc.channel(d.id()).write(d.binary(), d.segment(), 0, d.length())}. Messages made with the public
     * constructor are copies of their own and stay valid.
     */
    final class ChannelData implements Event {
        private int id;
        private boolean binary;
        private final LentBytes bytes;

        /** A message of its own: {@code data} as it is. */
        public ChannelData(int id, boolean binary, byte[] data) {
            this.id = id;
            this.binary = binary;
            this.bytes = LentBytes.of(data);
        }

        private ChannelData() {
            this.bytes = new LentBytes();
        }

        public int id() {
            return id;
        }

        /** False for UTF-8 text. */
        public boolean binary() {
            return binary;
        }

        /** The message's length in bytes. */
        public int length() {
            return bytes.length();
        }

        /** The bytes: the first {@link #length()} bytes of this read-only segment (it may be longer: a whole slot). */
        public MemorySegment segment() {
            return bytes.segment();
        }

        /** A copy of the bytes (allocates). */
        public byte[] data() {
            return bytes.copy();
        }

        /** The message as text (allocates). */
        public String text() {
            return new String(data(), StandardCharsets.UTF_8);
        }

        /** A message of its own with a copy of the bytes, valid for good (allocates). */
        public ChannelData copy() {
            return new ChannelData(id, binary, data());
        }

        @Override
        public String toString() {
            return "ChannelData[id=" + id + (binary ? ", binary, " : ", text, ") + length() + " bytes]";
        }

        /**
         * The views one {@code Rtc} lends: one the caller is done with is reused, so a message costs no view once a
         * few are in use. Pointing a view at a slot stays in this package.
         */
        static final class Lending implements ChannelDataLender {
            private static final int SPARE = 16;
            private final ArrayDeque<ChannelData> free = new ArrayDeque<>(4);

            @Override
            public ChannelData lend(int id, boolean binary, PacketBuffer slot, MemorySegment bytes, int length) {
                ChannelData view = free.poll();
                if (view == null) {
                    view = new ChannelData();
                }
                view.id = id;
                view.binary = binary;
                view.bytes.lend(slot, bytes, length);
                return view;
            }

            /** The caller is done with {@code view}: its hold on the slot goes, the view to reuse. */
            void recycle(ChannelData view) {
                PacketBuffer slot = view.bytes.endLoan();
                if (!slot.isNone()) {
                    slot.release();
                }
                if (free.size() < SPARE) {
                    free.add(view);
                }
            }

            /** Takes the views out of events that will never be polled, and recycles them (the {@code Rtc} is closing). */
            void recycleQueued(ArrayDeque<Event> queued) {
                for (Iterator<Event> pending = queued.iterator(); pending.hasNext(); ) {
                    if (pending.next() instanceof ChannelData view) { // the Rtc queues only views it lends
                        recycle(view);
                        pending.remove();
                    }
                }
            }
        }
    }

    /** Data channel {@code id} closed (by either side); its id may be used again. */
    record ChannelClose(int id) implements Event {}

    /** Data channel {@code id}'s unsent bytes fell to its low-water mark ({@link Channel#setBufferedAmountLowThreshold}). */
    record ChannelBufferedAmountLow(int id) implements Event {}

    /** The SCTP association under the data channels ended (ABORT, SHUTDOWN or an unreachable peer). */
    record ChannelsClosed(String reason) implements Event {}

    /**
     * A whole media sample from the peer: a video frame (depacketized, Annex B for H.264/H.265/H.266, a
     * low-overhead bitstream for AV1) or an audio packet's payload. {@code rtpTime} is the RTP timestamp
     * extended to 64 bits (no wrap) in the codec's clock rate ({@link #time()}); {@code rid} names the
     * simulcast layer (null without simulcast); {@code contiguous} is false when frames were lost before this
     * one (a decoder needs a keyframe then); {@code arrivedAtNanos} is the {@code now} of the packet that
     * completed the sample.
     */
    record MediaData(String mid, int payloadType, Codec codec, long ssrc, String rid, long rtpTime, byte[] data, boolean keyframe,
                     boolean contiguous, long arrivedAtNanos) implements Event {
        /** The sample's media time: {@link #rtpTime} in the codec's clock rate. */
        public MediaTime time() {
            return MediaTime.of(rtpTime, codec.clockRate());
        }
    }

    /**
     * The peer asks for a keyframe of the stream we send it on {@code mid} (layer {@code rid}, null without
     * simulcast) with SSRC {@code ssrc}: an RTCP PLI, or a FIR when {@code fir} (a retransmitted FIR, with
     * the same sequence number, is not repeated). {@code mid} and {@code rid} are null for an SSRC that no
     * declared stream has (RTP written raw with {@code writeRtp}). An SFU forwards it to the stream's
     * sender; a sender encodes a keyframe.
     */
    record KeyframeRequest(String mid, String rid, long ssrc, boolean fir) implements Event {}

    /**
     * An audio or video m-line was negotiated (by SDP or the {@link DirectApi}): {@link Rtc#media(String)}
     * gives its writer and codecs. {@code direction} is ours: SEND_ONLY means we send.
     */
    record MediaAdded(String mid, MediaKind kind, Direction direction) implements Event {}

    /** A renegotiation changed an m-line's direction (or stopped it: direction INACTIVE). */
    record MediaChanged(String mid, Direction direction) implements Event {}

    /**
     * A received stream stopped ({@code paused}: no packet for {@link MediaConfig#pauseAfterNanos()}) or
     * resumed. SFUs use it to stop forwarding a layer the sender dropped.
     */
    record StreamPaused(String mid, String rid, long ssrc, boolean paused) implements Event {}

    /** Statistics of one received stream, every {@link RtcConfig#statsIntervalNanos()}. */
    record MediaIngressStats(String mid, String rid, ReceiveStreamStats stats) implements Event {}

    /**
     * Statistics of one sent stream, every {@link RtcConfig#statsIntervalNanos()}: counters, RTX, the RTT
     * and the loss and jitter the peer reports.
     */
    record MediaEgressStats(String mid, String rid, SendStreamStats stats) implements Event {}

    /**
     * Send-side bandwidth estimation ({@link RtcConfig.Builder#enableBwe}): the rate in bits per second the path
     * to the peer carries for us, from its transport-wide feedback (and under its REMB). Emitted when it moved by
     * more than 5 % since the last one, or changed at all a second after it. Size the encoders (or pick the
     * simulcast layers, {@link io.eddyrtc.engine.bwe.LayerSelector}) to it, audio included.
     */
    record EgressBitrateEstimate(long bitsPerSecond) implements Event {}

    /** The ICE agent's state changed (checking, connected, disconnected on consent loss, failed, closed). */
    record IceConnectionStateChange(IceConnectionState state) implements Event {}

    /**
     * ICE gathered a local candidate of its own: a relayed one from a TURN server ({@link RtcConfig.Builder#turnServer}),
     * or the server-reflexive address that server saw. Trickle it to the peer ({@link Candidate#toSdpString()}); the
     * next offer or answer carries it too.
     */
    record CandidateGathered(Candidate candidate) implements Event {}

    /** A TURN allocation failed or was lost ({@code reason} says how); its relayed candidate is of no more use. */
    record RelayFailed(io.eddyrtc.ice.TurnServer server, String reason) implements Event {}

    /**
     * A remote candidate names an mDNS host name ({@code <uuid>.local}, as browsers hide their addresses): resolve it
     * (a multicast DNS query on the LAN, RFC 6762) and answer with {@link Rtc#mdnsResolved}, or
     * {@link Rtc#mdnsUnresolvable}. Asked once per name; its candidates wait until then.
     */
    record ResolveMdns(String hostname) implements Event {}

    /**
     * ICE selected the pair media and data now travel on: from {@code local}'s base to {@code remote}'s
     * address. A browser pairs all its interfaces, so this says which one won.
     */
    record SelectedPairChange(Candidate local, Candidate remote) implements Event {}

    /**
     * Transport statistics of one peer connection, every {@link RtcConfig#statsIntervalNanos()}: datagrams
     * and bytes through the socket each way (everything: STUN, DTLS, SRTP), authenticated media packets in,
     * media packets out, and every datagram dropped so far. Counters are totals since the Rtc was built.
     * {@code memoryInUse} and {@code memoryRefusals} are {@link Rtc#memoryInUse()} and {@link Rtc#memoryRefusals()}
     * at {@code atNanos}: what the peer holds of its budget now, and how often the budget said no so far, so a
     * server that logs or exports these events sees its peers' memory beside their traffic.
     * {@code dtlsVersion}, {@code dtlsCipherSuite} and {@code dtlsGroup} are what the DTLS handshake
     * negotiated (null before it completed): DTLS 1.3 with X25519MLKEM768 means the call's keys resist a
     * quantum computer recording it today. With send-side bandwidth estimation on, {@code egressEstimateBps} is
     * its estimate, {@code pacingBps} the rate the pacer lets repairs and video leave at, and
     * {@code pacerQueuedBytes} what it holds; all three are 0 with it off.
     */
    record PeerStats(long atNanos, long datagramsIn, long bytesIn, long datagramsOut, long bytesOut,
                     long mediaPacketsIn, long mediaPacketsOut, long dropped, long memoryInUse, long memoryRefusals,
                     DtlsVersion dtlsVersion, DtlsCipherSuite dtlsCipherSuite, NamedGroup dtlsGroup, long egressEstimateBps,
                     long pacingBps, long pacerQueuedBytes) implements Event {}

    /**
     * RTP mode ({@link MediaConfig#rtpMode()}): one received RTP packet, decrypted, RTX already unwrapped to
     * the packet it repairs, duplicates removed. A view the {@code Rtc} reuses: valid until the next call on
     * it; copy what you keep. An SFU passes it to another {@code Rtc}'s {@link Rtc#forwardRtp} with the SSRC,
     * payload type, sequence number and timestamp that {@code Rtc} sends (the slot is shared, not copied, while
     * it waits for NACKs), or rewrites its own copy for {@link Rtc#writeRtp}. Allocates nothing.
     */
    final class RtpPacket implements Event {
        private String mid;
        private String rid;
        private long sequence;
        private long timestamp;
        private long arrivedAtNanos;
        private PacketBuffer slot = PacketBuffer.NONE;
        private ExtensionMap extensions;
        private final RtpHeader header = new RtpHeader();

        RtpPacket() {
        }

        /** Points this view at {@code slot}'s packet (already validated as RTP), received under {@code extensions}. */
        RtpPacket set(String mid, String rid, long sequence, long timestamp, long arrivedAtNanos, ExtensionMap extensions,
                      PacketBuffer slot) {
            this.mid = mid;
            this.extensions = extensions;
            this.rid = rid;
            this.sequence = sequence;
            this.timestamp = timestamp;
            this.arrivedAtNanos = arrivedAtNanos;
            this.slot = slot;
            header.wrap(slot.segment(), 0, slot.length());
            return this;
        }

        /** The slot this view lends ({@code Rtc.forwardRtp} shares it), {@link PacketBuffer#NONE} once recycled. */
        PacketBuffer slot() {
            return slot;
        }

        /** Hands the slot back (the {@code Rtc} does this on its next call). */
        PacketBuffer release() {
            PacketBuffer s = slot;
            slot = PacketBuffer.NONE;
            header.unwrap();
            return s;
        }

        public String mid() {
            return mid;
        }

        /** The simulcast layer, or null. */
        public String rid() {
            return rid;
        }

        /**
         * The header extension ids of the m-line the packet came in on, to read its extensions with
         * ({@code extensions().parse(header(), values)}). {@link Rtc#forwardRtp} translates them to the ids of the
         * m-line it goes out on.
         */
        public ExtensionMap extensions() {
            return extensions;
        }

        /** The header, read in place (SSRC, payload type, marker, extensions...). */
        public RtpHeader header() {
            return header;
        }

        /** The sequence number extended to 64 bits (no wrap). */
        public long extendedSequence() {
            return sequence;
        }

        /** The RTP timestamp extended to 64 bits. */
        public long extendedTimestamp() {
            return timestamp;
        }

        public long arrivedAtNanos() {
            return arrivedAtNanos;
        }

        /**
         * The whole packet: {@link #length()} bytes at offset 0, read-only — other {@code Rtc}s may share the slot
         * ({@link Rtc#forwardRtp}), so a rewrite goes into a copy of your own.
         */
        public MemorySegment segment() {
            return slot.readOnlySegment();
        }

        public int length() {
            return slot.length();
        }

        @Override
        public String toString() {
            return "RtpPacket[mid=" + mid + ", ssrc=" + header.ssrc() + ", seq=" + sequence + ", ts=" + timestamp + "]";
        }

        /**
         * The views one {@code Rtc} lends: a view the caller is done with is reused, so RTP mode makes a view
         * per packet in flight, never one per packet. Pointing a view at a slot stays in this package.
         */
        static final class Lending implements RtpPacketLender {
            private final PacketPool pool;
            private final ArrayDeque<RtpPacket> free = new ArrayDeque<>();

            Lending(PacketPool pool) {
                this.pool = pool;
            }

            @Override
            public RtpPacket lend(String mid, String rid, long extendedSequence, long extendedTimestamp, long arrivedAtNanos,
                                  ExtensionMap extensions, PacketBuffer slot) {
                RtpPacket view = free.poll();
                return (view == null ? new RtpPacket() : view).set(mid, rid, extendedSequence, extendedTimestamp, arrivedAtNanos,
                        extensions, slot);
            }

            /** The caller is done with {@code view}: its slot goes back to the pool, the view to reuse. */
            void recycle(RtpPacket view) {
                PacketBuffer slot = view.release();
                if (!slot.isNone()) {
                    pool.release(slot);
                }
                free.add(view);
            }

            /** Takes the views out of events that will never be polled, and recycles them (the {@code Rtc} is closing). */
            void recycleQueued(ArrayDeque<Event> queued) {
                for (Iterator<Event> pending = queued.iterator(); pending.hasNext(); ) {
                    if (pending.next() instanceof RtpPacket view) {
                        recycle(view);
                        pending.remove();
                    }
                }
            }
        }
    }
}
