package io.eddyrtc.perf.dtls;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * {@link EcOperationsBenchmark}'s operations by CPU time of one thread, for a machine too busy for JMH's wall
 * time to mean much: each operation run in rounds of 200, interleaved with the others, and the lowest round's
 * average per operation reported (the round the machine disturbed least). BouncyCastle's own verification
 * reuses one public key, whose precomputed multiples it keeps on the point; eddy's without libcrypto makes the
 * point from the certificate's key each time, as a handshake does.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar io.eddyrtc.perf.dtls.EcOperationsCpu [rounds]}
 */
public final class EcOperationsCpu {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private interface Operation {
        Object run() throws Exception;
    }

    /** {@code fallback}: run with {@code -Deddy.dtls.ec=bouncycastle}, as eddy runs where libcrypto is missing. */
    private record Named(String name, Operation operation, boolean fallback) {
        Named(String name, Operation operation) {
            this(name, operation, false);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        EcOperationsBenchmark b = new EcOperationsBenchmark();
        b.setUp();
        List<Named> operations = List.of(
                new Named("ECDSA P-256 sign, JDK", b::jdkSign),
                new Named("ECDSA P-256 sign, BouncyCastle", b::bcSign),
                new Named("ECDSA P-256 sign, eddy (libcrypto k·G)", b::eddySignWithLibcrypto),
                new Named("ECDSA P-256 verify, JDK", b::jdkVerify),
                new Named("ECDSA P-256 verify, BouncyCastle", b::bcVerify),
                new Named("ECDSA P-256 verify, eddy (libcrypto)", b::eddyVerifyOnLibcrypto),
                new Named("ECDSA P-256 verify, eddy without libcrypto (a new point)", b::eddyVerifyOnLibcrypto, true),
                new Named("X25519 key pair + agreement, JDK", b::jdkX25519KeyPairAndAgreement),
                new Named("X25519 key pair + agreement, BouncyCastle", b::bcX25519KeyPairAndAgreement),
                new Named("X25519 key pair + agreement, eddy (libcrypto agreement)", b::eddyX25519KeyPairAndAgreementWithLibcrypto),
                new Named("ML-KEM-768 key pair + decapsulation, JDK", b::jdkMlKemKeyPairAndDecapsulation),
                new Named("ML-KEM-768 key pair + decapsulation, BouncyCastle", b::bcMlKemKeyPairAndDecapsulation),
                new Named("ML-KEM-768 encapsulation, JDK", b::jdkMlKemEncapsulation),
                new Named("ML-KEM-768 encapsulation, BouncyCastle", b::bcMlKemEncapsulation));
        double[] best = new double[operations.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        int perRound = 200;
        for (int round = -2; round < rounds; round++) { // two rounds of warm-up
            for (int i = 0; i < operations.size(); i++) {
                if (operations.get(i).fallback()) {
                    System.setProperty("eddy.dtls.ec", "bouncycastle");
                }
                long t = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < perRound; k++) {
                    operations.get(i).operation().run();
                }
                double micros = (THREADS.getCurrentThreadCpuTime() - t) / 1e3 / perRound;
                System.clearProperty("eddy.dtls.ec");
                if (round >= 0) {
                    best[i] = Math.min(best[i], micros);
                }
            }
        }
        for (int i = 0; i < operations.size(); i++) {
            System.out.printf("%-58s %8.1f µs CPU%n", operations.get(i).name(), best[i]);
        }
    }
}
