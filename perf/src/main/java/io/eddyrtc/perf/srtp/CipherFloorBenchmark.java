package io.eddyrtc.perf.srtp;

import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor for {@link SrtpBenchmark}: the bare JDK ciphers doing the same bytes an SRTP packet needs,
 * the way a straightforward implementation calls them (a {@code Cipher.init} per packet for the IV):
 * AES-GCM over a 12-byte header and the payload, and AES-CTR plus HMAC-SHA1 over the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CipherFloorBenchmark {
    @Param({"200", "1200"})
    public int payload;

    private byte[] packet;
    private byte[] out;
    private byte[] iv12 = new byte[12];
    private byte[] iv16 = new byte[16];
    private Cipher gcm;
    private Cipher ctr;
    private Mac hmac;
    private SecretKeySpec key;
    private int counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Random r = new Random(1);
        byte[] k = new byte[16];
        r.nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        packet = new byte[12 + payload];
        r.nextBytes(packet);
        out = new byte[packet.length + 64];
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        hmac = Mac.getInstance("HmacSHA1");
        byte[] a = new byte[20];
        r.nextBytes(a);
        hmac.init(new SecretKeySpec(a, "HmacSHA1"));
    }

    @Benchmark
    public int jdkAesGcm() throws GeneralSecurityException {
        iv12[11] = (byte) counter++; // a new IV per packet, as SRTP has
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv12));
        gcm.updateAAD(packet, 0, 12);
        return gcm.doFinal(packet, 12, payload, out, 12);
    }

    @Benchmark
    public int jdkAesCtrHmacSha1() throws GeneralSecurityException {
        iv16[13] = (byte) counter++;
        ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv16));
        int n = ctr.doFinal(packet, 12, payload, out, 12);
        hmac.update(out, 0, 12 + payload);
        hmac.doFinal(out, 12 + payload);
        return n;
    }
}
