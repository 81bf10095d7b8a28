package io.eddyrtc.perf.engine;

import io.eddyrtc.buffers.BigEndian;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
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
 * {@link ForwardBenchmark}'s SFU chain of four {@code Rtc}s with a JDK Flight Recorder recording running in the
 * benchmark's JVM from before the peers connect: none ({@code off}), the JDK's {@code default} settings (eddy's
 * events are on by their own defaults; allocation sampling at 150/s), or its {@code profile} settings (more
 * sampling, more stacks). The claim it checks: 0 B/op holds with eddy's events on, since nothing on the packet path
 * makes one. So that the once-a-second summaries have something to report in steady state, every 100th operation
 * also hands the SFU's inbound peer a forged SRTP packet on the publisher's SSRC (dropped as {@code AUTH_FAILED}),
 * in every variant alike. The recording is written when the benchmark's fork exits, to the file it names at the
 * start; {@code jfr summary FILE} there shows how many eddy events it holds, so "on" is seen to mean something.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardJfrBenchmark {
    private static final int FORGED_LENGTH = 200;

    @Param({"off", "default", "profile"})
    public String recording;

    private final ForwardBenchmark chain = new ForwardBenchmark();
    private final MemorySegment forged = Arena.ofAuto().allocate(FORGED_LENGTH);
    private long operations;

    @Setup(Level.Trial)
    public void setUp() throws IOException, ParseException {
        if (!recording.equals("off")) {
            Path file = Files.createTempFile("eddy-forward-" + recording + "-", ".jfr");
            Recording jfr = new Recording(Configuration.getConfiguration(recording)); // the recorder keeps it until exit
            jfr.setToDisk(true);
            jfr.setDestination(file);
            jfr.setDumpOnExit(true); // written when the fork exits: reading it here would count in the last iteration's B/op
            jfr.start();
            System.out.printf("%n[%s recording to %s; 'jfr summary' it after the run]%n", recording, file);
        }
        chain.payloadBytes = 1000;
        chain.setUp();
        forged.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        forged.set(ValueLayout.JAVA_BYTE, 1, (byte) 96);
        BigEndian.putU32(forged, 8, chain.wire.peer(0).media().getFirst().sendStreams().getFirst().ssrc());
    }

    @Benchmark
    public long publishForwardReceive() {
        if (++operations % 100 == 0) {
            BigEndian.putU16(forged, 2, (int) operations & 0xFFFF);
            chain.wire.peer(1).handleReceive(chain.wire.now(), ForwardBenchmark.P, ForwardBenchmark.SFU_IN, forged, 0, FORGED_LENGTH);
        }
        return chain.publishForwardReceive();
    }
}
