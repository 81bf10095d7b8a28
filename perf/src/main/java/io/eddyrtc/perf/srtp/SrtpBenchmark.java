package io.eddyrtc.perf.srtp;

import io.eddyrtc.crypto.srtp.LibSrtp;
import io.eddyrtc.crypto.srtp.SrtpConfig;
import io.eddyrtc.crypto.srtp.SrtpContext;
import io.eddyrtc.crypto.srtp.SrtpProfile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * SRTP protect and unprotect per profile and payload size, eddy side by side with libsrtp2 (through FFM)
 * on the same bytes. Every op first copies the plain (or protected) packet into a native slot — a
 * {@code PacketBuffer}-like segment — because both transforms work in place; {@code copyOnly} is that
 * copy alone, to subtract.
 *
 * <p>Unprotect needs a fresh index each time: the packets of one pass are protected in advance
 * ({@value #RING} of them), and between passes the receivers forget the stream, which costs one small
 * allocation per pass (≈ 0.05 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    static final int RING = 4096;
    static final long SSRC = 0x11223344L;

    @Param({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES128_CM_HMAC_SHA1_80", "AES128_CM_HMAC_SHA1_32"})
    public String profile;

    @Param({"200", "1200"})
    public int payload;

    private SrtpProfile srtpProfile;
    private byte[] key;
    private byte[] salt;
    private Arena arena;
    private MemorySegment slot;
    private byte[] plain;
    private byte[][] protectedByEddy;
    private int[] protectedLength;
    private SrtpContext eddyOut;
    private SrtpContext eddyIn;
    private LibSrtp libOut;
    private LibSrtp libIn;
    private int seq;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        Random r = new Random(1);
        srtpProfile = p;
        key = new byte[p.masterKeyLength()];
        salt = new byte[p.masterSaltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        arena = Arena.ofShared();
        slot = arena.allocate(2048, 64);
        eddyOut = new SrtpContext(p, key, salt, SrtpConfig.defaults());
        eddyIn = new SrtpContext(p, key, salt, SrtpConfig.defaults());
        libOut = new LibSrtp(p, key, salt, true, 1024);
        libIn = new LibSrtp(p, key, salt, false, 1024);
        plain = new byte[12 + payload];
        r.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 111;
        for (int i = 0; i < 4; i++) {
            plain[8 + i] = (byte) (SSRC >>> (24 - 8 * i));
        }
        SrtpContext ringSender = new SrtpContext(p, key, salt, SrtpConfig.defaults());
        protectedByEddy = new byte[RING][];
        protectedLength = new int[RING];
        for (int i = 0; i < RING; i++) {
            setSeq(plain, i);
            MemorySegment.copy(plain, 0, slot, ValueLayout.JAVA_BYTE, 0, plain.length);
            int n = ringSender.protectRtp(slot, 0, plain.length, 2048);
            protectedByEddy[i] = slot.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            protectedLength[i] = n;
        }
        ringSender.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        eddyOut.close();
        eddyIn.close();
        libOut.close();
        libIn.close();
        arena.close();
    }

    private static void setSeq(byte[] packet, int seq) {
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
    }

    private void loadPlain() {
        setSeq(plain, seq++);
        MemorySegment.copy(plain, 0, slot, ValueLayout.JAVA_BYTE, 0, plain.length);
    }

    private int loadProtected(boolean forLibsrtp) {
        if (next == RING) { // a new pass: the receiver must forget the indices of the last one first
            next = 0;
            if (forLibsrtp) {
                libIn.close();
                libIn = new LibSrtp(srtpProfile, key, salt, false, 1024);
            } else {
                eddyIn.removeStream(SSRC);
            }
        }
        int i = next++;
        MemorySegment.copy(protectedByEddy[i], 0, slot, ValueLayout.JAVA_BYTE, 0, protectedLength[i]);
        return protectedLength[i];
    }

    @Benchmark
    public int copyOnly() {
        loadPlain();
        return plain.length;
    }

    @Benchmark
    public int eddyProtect() {
        loadPlain();
        return eddyOut.protectRtp(slot, 0, plain.length, 2048);
    }

    @Benchmark
    public int libsrtpProtect() {
        loadPlain();
        return libOut.protectRtp(slot, plain.length);
    }

    @Benchmark
    public int eddyUnprotect() {
        int n = loadProtected(false);
        return eddyIn.unprotectRtp(slot, 0, n);
    }

    @Benchmark
    public int libsrtpUnprotect() {
        int n = loadProtected(true);
        return libIn.unprotectRtp(slot, n);
    }
}
