package io.eddyrtc.perf.ice;

import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConfig;
import io.eddyrtc.ice.StunTransmit;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunMessage;
import io.eddyrtc.ice.stun.StunWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a connectivity check costs the answering side: parse, check USERNAME, MESSAGE-INTEGRITY and
 * FINGERPRINT, and build the success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT).
 * {@code codec} uses the flyweight and writer directly; {@code agent} goes through the whole
 * {@link IceAgent} receive path and drains the response. Both should show 0 B/op with -prof gc.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StunBenchmark {
    static final byte[] UFRAG = "locl".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PWD = "localpasswordlocalpassword".getBytes(StandardCharsets.US_ASCII);
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.0.2", 6000);

    private final Arena arena = Arena.ofAuto();
    private MemorySegment request;
    private int requestLength;
    private MemorySegment response;
    private final StunMessage message = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final HmacSha1 mac = new HmacSha1();
    private final byte[] remoteIp = REMOTE.getAddress().getAddress();
    private IceAgent agent;

    @Setup
    public void setUp() {
        request = arena.allocate(1500);
        response = arena.allocate(1500);
        StunWriter w = new StunWriter();
        w.begin(request, 0, 1500, Stun.BINDING_REQUEST, 0x01020304, 0x05060708090a0b0cL)
                .addUsername(UFRAG, "remo".getBytes(StandardCharsets.US_ASCII))
                .addPriority(0x6e0001ffL)
                .addIceControlling(0x1234567890L)
                .addUseCandidate()
                .addMessageIntegrity(mac, PWD)
                .addFingerprint();
        requestLength = w.length();
        agent = new IceAgent(IceConfig.defaults(), false, new Random(1), new Random(2));
        agent.setLocalCredentials("locl", "localpasswordlocalpassword");
        agent.setRemoteCredentials("remo", "remotepasswordremotepassword");
        agent.addLocalCandidate(Candidate.host(LOCAL));
        agent.addRemoteCandidate(Candidate.host(REMOTE));
    }

    @Benchmark
    public int codec() {
        if (!message.wrap(request, 0, requestLength) || !message.usernameStartsWith(UFRAG)
                || !message.verifyFingerprint() || !message.verifyIntegrity(mac, PWD)) {
            throw new AssertionError("check rejected");
        }
        writer.begin(response, 0, 1500, Stun.BINDING_SUCCESS, message.transactionHigh(), message.transactionLow())
                .addXorMappedAddress(remoteIp, REMOTE.getPort())
                .addMessageIntegrity(mac, PWD)
                .addFingerprint();
        return writer.length();
    }

    @Benchmark
    public int agent() {
        agent.handleReceive(1_000_000L, REMOTE, LOCAL, request, 0, requestLength);
        int total = 0;
        StunTransmit t;
        while ((t = agent.pollTransmit()) != null) {
            total += t.length();
        }
        while (agent.pollEvent() != null) {
            total++;
        }
        return total;
    }
}
