package io.eddyrtc.perf.engine;

import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Output;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the {@code Rtc} facade adds on top of its layers, per datagram: {@code answerCheck} routes a
 * consent check with {@code accepts}, hands it to ICE through {@code handleReceive} and drains the
 * response with {@code pollOutput} — compare with {@code StunBenchmark.agent}, the bare ICE agent.
 * {@code pollIdle} is the cost of one empty output loop (just the Timeout). Both should be 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcBenchmark {
    static final String LOCAL_PWD = "localpasswordlocalpassword";
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.2", 6000);

    private Rtc rtc;
    private MemorySegment request;
    private int length;
    private long now = 1_000_000L;

    @Setup
    public void setUp() {
        rtc = Rtc.builder().randomSeed(7).iceLite(true).build();
        rtc.directApi().setLocalIceCredentials(new IceCredentials("locl", LOCAL_PWD));
        rtc.directApi().setRemoteIceCredentials(new IceCredentials("remo", "remotepasswordremotepassword"));
        rtc.addLocalCandidate(Candidate.host(LOCAL));
        rtc.addRemoteCandidate(Candidate.host(REMOTE));
        request = Arena.ofAuto().allocate(256);
        length = new StunWriter().begin(request, 0, 256, Stun.BINDING_REQUEST, 1, 2)
                .addUsername("locl".getBytes(StandardCharsets.US_ASCII), "remo".getBytes(StandardCharsets.US_ASCII))
                .addPriority(0x6e0001ffL)
                .addIceControlling(99)
                .addUseCandidate()
                .addMessageIntegrity(new HmacSha1(), LOCAL_PWD.getBytes(StandardCharsets.US_ASCII))
                .addFingerprint()
                .length();
    }

    @Benchmark
    public long answerCheck() {
        now += 1_000L;
        long sent = 0;
        if (rtc.accepts(REMOTE, request, 0, length)) {
            rtc.handleReceive(now, REMOTE, LOCAL, request, 0, length);
        }
        for (Output out = rtc.pollOutput(); !(out instanceof Output.Timeout); out = rtc.pollOutput()) {
            if (out instanceof Output.Transmit x) {
                sent += x.length();
            }
        }
        return sent;
    }

    @Benchmark
    public long pollIdle() {
        return ((Output.Timeout) rtc.pollOutput()).atNanos();
    }
}
