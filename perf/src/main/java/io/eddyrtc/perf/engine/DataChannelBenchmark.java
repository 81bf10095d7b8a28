package io.eddyrtc.perf.engine;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.sdp.SdpAnswer;
import io.eddyrtc.engine.sdp.SdpApi;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.ice.Candidate;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A data channel message's round trip between two {@code Rtc}s in one thread: A writes it (SCTP DATA in a DTLS
 * record), B receives it as a lent {@link Event.ChannelData} and echoes it from that view, A receives the echo; the
 * SACKs go with the flow. Datagrams go straight from one {@code Rtc}'s {@code Transmit} view to the other's
 * {@code handleReceive}. B/op is what the whole stack allocates per round trip: SCTP none, DTLS a record's arrays
 * and its application data event each way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DataChannelBenchmark {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6000);

    @Param({"1024"})
    public int size;

    private Rtc a;
    private Rtc b;
    private final long[] deadlines = new long[2];
    private MemorySegment message;
    private int channel = -1;
    private long echoes;
    private long now = 1_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() {
        PacketPool pool = PacketPool.builder().debug(false).build();
        a = Rtc.builder().randomSeed(1).pool(pool).build();
        b = Rtc.builder().randomSeed(2).pool(pool).build();
        a.addLocalCandidate(Candidate.host(A));
        b.addLocalCandidate(Candidate.host(B));
        SdpApi api = a.sdpApi();
        api.addChannel("bench");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = b.acceptOffer(SdpOffer.fromSdp(offer.offer().toSdp()));
        a.acceptAnswer(offer.pending(), answer);
        for (int round = 0; round < 4000 && channel < 0; round++) {
            step(5_000_000L);
        }
        if (channel < 0) {
            throw new IllegalStateException("the data channel did not open");
        }
        message = Arena.ofAuto().allocate(size);
    }

    /** Advances time by {@code nanos}, fires due timers and delivers everything until both are quiet. */
    private void step(long nanos) {
        now += nanos;
        if (now >= deadlines[0]) {
            a.handleTimeout(now);
        }
        if (now >= deadlines[1]) {
            b.handleTimeout(now);
        }
        boolean moved = true;
        while (moved) {
            moved = drain(a, 0, b) | drain(b, 1, a);
        }
    }

    /** Polls {@code from} until its timeout; datagrams go straight to {@code to}, B echoes what it receives. */
    private boolean drain(Rtc from, int index, Rtc to) {
        boolean moved = false;
        while (true) {
            Output out = from.pollOutput();
            if (out instanceof Output.Timeout t) {
                deadlines[index] = t.atNanos();
                return moved;
            }
            moved = true;
            switch (out) {
                case Output.Transmit x -> to.handleReceive(now, x.source(), x.destination(), x.segment(), x.offset(), x.length());
                case Event.ChannelOpen o when from == a -> channel = o.id();
                case Event.ChannelData d when from == b -> b.channel(d.id()).write(d.binary(), d.segment(), 0, d.length());
                case Event.ChannelData d -> echoes++;
                default -> { }
            }
        }
    }

    @Benchmark
    public long roundTrip() {
        a.channel(channel).write(true, message, 0, size);
        step(1_000_000L); // a message a millisecond: delayed SACKs and timers see time pass
        return echoes;
    }
}
