package io.eddyrtc.perf.net;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.IceCredentials;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.route.RtcRouter;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.stun.HmacSha1;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import io.eddyrtc.net.UdpAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the {@link RtcRouter} costs per datagram with {@code peers} {@code Rtc}s behind one socket: an SRTP
 * datagram routed by its source address, and an ICE check routed by the ufrag in its USERNAME, each from a
 * peer picked at random, the source held as net's {@link UdpAddress} (the kernel's {@code sockaddr} in native
 * memory, as a receive batch holds it). O(1): the figure should not grow with the number of peers. 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouterBenchmark {
    private static final int ORDER = 4096; // a random visiting order, so the tables are read as traffic reads them

    @Param({"10", "1000", "10000"})
    public int peers;

    private RtcRouter router;
    private UdpAddress[] sources;
    private MemorySegment[] checks;
    private int[] checkLengths;
    private int[] order;
    private final MemorySegment srtp = Arena.ofAuto().allocate(1200);
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
        PacketPool pool = PacketPool.builder().debug(false).build();
        InetSocketAddress local = new InetSocketAddress("192.0.2.1", 5000);
        router = new RtcRouter();
        sources = new UdpAddress[peers];
        checks = new MemorySegment[peers];
        checkLengths = new int[peers];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < peers; i++) {
            Rtc rtc = Rtc.builder().randomSeed(random.nextLong()).certificate(certificate).pool(pool).build();
            rtc.addLocalCandidate(Candidate.host(local));
            rtc.directApi().setRemoteIceCredentials(new IceCredentials("remo", "remotepasswordremotepassword"));
            InetSocketAddress remote = new InetSocketAddress("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF),
                    10_000 + random.nextInt(50_000));
            rtc.addRemoteCandidate(Candidate.host(remote));
            router.add(rtc);
            sources[i] = UdpAddress.of(remote);
            byte[] ufrag = rtc.directApi().localIceCredentials().ufrag().getBytes(StandardCharsets.US_ASCII);
            checks[i] = Arena.ofAuto().allocate(256);
            checkLengths[i] = new StunWriter().begin(checks[i], 0, 256, Stun.BINDING_REQUEST, i, i)
                    .addUsername(ufrag, "remo".getBytes(StandardCharsets.US_ASCII)).addPriority(1).addIceControlling(5)
                    .addMessageIntegrity(new HmacSha1(), "remotepasswordremotepassword".getBytes(StandardCharsets.US_ASCII))
                    .addFingerprint().length();
        }
        srtp.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        srtp.set(ValueLayout.JAVA_BYTE, 1, (byte) 96);
        order = new int[ORDER];
        for (int i = 0; i < ORDER; i++) {
            order[i] = random.nextInt(peers);
        }
    }

    @Benchmark
    public int mediaByAddress() {
        int peer = order[next++ & (ORDER - 1)];
        return router.route(sources[peer], srtp, 0, 1200);
    }

    @Benchmark
    public int checkByUfrag() {
        int peer = order[next++ & (ORDER - 1)];
        return router.route(sources[peer], checks[peer], 0, checkLengths[peer]);
    }
}
