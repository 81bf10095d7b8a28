package io.eddyrtc.crypto.srtp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libsrtp2 (Debian's {@code libsrtp2-1}, the library Chromium's SRTP comes from) called through the FFM
 * linker: an independent SRTP implementation for cross-checks and benchmarks. Test and benchmark code
 * only; the struct offsets follow {@code srtp_policy_t} of libsrtp 2.x on 64-bit Linux.
 */
public final class LibSrtp implements AutoCloseable {
    private static final int POLICY_SIZE = 128;
    private static final int POLICY_RTP = 8;
    private static final int POLICY_RTCP = 32;
    private static final int POLICY_KEY = 56;
    private static final int POLICY_WINDOW = 88;
    private static final int SSRC_ANY_INBOUND = 2;
    private static final int SSRC_ANY_OUTBOUND = 3;
    /** Room libsrtp may write after a packet (SRTP_MAX_TRAILER_LEN). */
    public static final int MAX_TRAILER = 16 + 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB;
    private static final MethodHandle CREATE;
    private static final MethodHandle DEALLOC;
    private static final MethodHandle PROTECT;
    private static final MethodHandle UNPROTECT;
    private static final MethodHandle PROTECT_RTCP;
    private static final MethodHandle UNPROTECT_RTCP;

    static {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("libsrtp2.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("libsrtp2.so.1 is not installed: the SRTP cross-check needs Debian's libsrtp2-1 "
                    + "(ci/prereqs.sh installs it; or apt-get install libsrtp2-1)", e);
        }
        LIB = lib;
        try {
            int status = (int) handle("srtp_init", FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (status != 0) {
                throw new IllegalStateException("srtp_init failed: " + status);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        CREATE = handle("srtp_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        DEALLOC = handle("srtp_dealloc", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor packet = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS); // (srtp_t, void *, int *)
        PROTECT = handle("srtp_protect", packet);
        UNPROTECT = handle("srtp_unprotect", packet);
        PROTECT_RTCP = handle("srtp_protect_rtcp", packet);
        UNPROTECT_RTCP = handle("srtp_unprotect_rtcp", packet);
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIB.find(name).orElseThrow(() -> new IllegalStateException("libsrtp2 has no " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment session;
    private final MemorySegment length;

    /** A libsrtp session for {@code profile}: {@code outbound} protects, otherwise it unprotects. */
    public LibSrtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean outbound, int replayWindow) {
        MemorySegment policy = arena.allocate(POLICY_SIZE, 8);
        policy.set(JAVA_INT, 0, outbound ? SSRC_ANY_OUTBOUND : SSRC_ANY_INBOUND);
        String rtp = switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> "srtp_crypto_policy_set_rtp_default";
            case AES128_CM_HMAC_SHA1_32 -> "srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32";
            case AEAD_AES_128_GCM -> "srtp_crypto_policy_set_aes_gcm_128_16_auth";
            case AEAD_AES_256_GCM -> "srtp_crypto_policy_set_aes_gcm_256_16_auth";
        };
        String rtcp = profile.isAead() ? rtp : "srtp_crypto_policy_set_rtcp_default";
        try {
            handle(rtp, FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(policy.asSlice(POLICY_RTP));
            handle(rtcp, FunctionDescriptor.ofVoid(ADDRESS)).invokeExact(policy.asSlice(POLICY_RTCP));
            MemorySegment key = arena.allocate(masterKey.length + masterSalt.length);
            MemorySegment.copy(masterKey, 0, key, ValueLayout.JAVA_BYTE, 0, masterKey.length);
            MemorySegment.copy(masterSalt, 0, key, ValueLayout.JAVA_BYTE, masterKey.length, masterSalt.length);
            policy.set(ADDRESS, POLICY_KEY, key);
            policy.set(JAVA_LONG, POLICY_WINDOW, replayWindow);
            MemorySegment holder = arena.allocate(ADDRESS);
            int status = (int) CREATE.invokeExact(holder, policy);
            if (status != 0) {
                throw new IllegalStateException("srtp_create failed for " + profile + ": status " + status);
            }
            session = holder.get(ADDRESS, 0);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        length = arena.allocate(JAVA_INT);
    }

    /** Protects RTP in place in {@code packet} (native, with {@link #MAX_TRAILER} spare); new length or -status. */
    public int protectRtp(MemorySegment packet, int packetLength) {
        return call(PROTECT, packet, packetLength);
    }

    public int unprotectRtp(MemorySegment packet, int packetLength) {
        return call(UNPROTECT, packet, packetLength);
    }

    public int protectRtcp(MemorySegment packet, int packetLength) {
        return call(PROTECT_RTCP, packet, packetLength);
    }

    public int unprotectRtcp(MemorySegment packet, int packetLength) {
        return call(UNPROTECT_RTCP, packet, packetLength);
    }

    private int call(MethodHandle function, MemorySegment packet, int packetLength) {
        length.set(JAVA_INT, 0, packetLength);
        try {
            int status = (int) function.invokeExact(session, packet, length);
            return status == 0 ? length.get(JAVA_INT, 0) : -status;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) DEALLOC.invokeExact(session);
        } catch (Throwable ignored) {
            // best effort
        }
        arena.close();
    }
}
