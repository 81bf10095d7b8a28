package io.eddyrtc.crypto.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * GnuPG's libgcrypt (Debian's {@code libgcrypt20}, 1.8 or later) for the FFM linker: the cipher and MAC calls
 * the SRTP engines make, bound once. Handles and buffers are passed as raw addresses; every call returns a
 * {@code gcry_error_t}, 0 for success. The per-packet calls are bound {@code critical}: short, and they never call
 * back into Java.
 */
public final class LibGcrypt {
    public static final int CIPHER_AES128 = 7;
    public static final int CIPHER_AES256 = 9;
    public static final int MODE_CTR = 6;
    public static final int MODE_GCM = 9;
    public static final int MAC_HMAC_SHA1 = 105;
    private static final int CTL_RESET = 4;

    private static final String UNAVAILABLE;
    // one static final field each, not an array: the JIT inlines a downcall only through a constant handle
    private static final MethodHandle CIPHER_OPEN;
    private static final MethodHandle CIPHER_CLOSE;
    private static final MethodHandle CIPHER_SETKEY;
    private static final MethodHandle CIPHER_SETIV;
    private static final MethodHandle CIPHER_SETCTR;
    private static final MethodHandle CIPHER_AUTHENTICATE;
    private static final MethodHandle CIPHER_ENCRYPT;
    private static final MethodHandle CIPHER_DECRYPT;
    private static final MethodHandle CIPHER_GETTAG;
    private static final MethodHandle CIPHER_CHECKTAG;
    private static final MethodHandle MAC_OPEN;
    private static final MethodHandle MAC_CLOSE;
    private static final MethodHandle MAC_SETKEY;
    private static final MethodHandle MAC_CTL;
    private static final MethodHandle MAC_WRITE;
    private static final MethodHandle MAC_READ;
    private static final MethodHandle MAC_VERIFY;

    static {
        String why = null;
        MethodHandle[] calls = new MethodHandle[17];
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = load();
            Linker.Option critical = Linker.Option.critical(false);
            FunctionDescriptor buffer = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor crypt = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor open = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
            String[] names = {"gcry_cipher_open", "gcry_cipher_close", "gcry_cipher_setkey", "gcry_cipher_setiv", "gcry_cipher_setctr",
                "gcry_cipher_authenticate", "gcry_cipher_encrypt", "gcry_cipher_decrypt", "gcry_cipher_gettag", "gcry_cipher_checktag",
                "gcry_mac_open", "gcry_mac_close", "gcry_mac_setkey", "gcry_mac_ctl", "gcry_mac_write", "gcry_mac_read", "gcry_mac_verify"};
            FunctionDescriptor[] shapes = {
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT), FunctionDescriptor.ofVoid(JAVA_LONG), buffer,
                buffer, buffer, buffer, crypt, crypt, buffer, buffer,
                open, FunctionDescriptor.ofVoid(JAVA_LONG), buffer, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG),
                buffer, buffer, buffer};
            for (int i = 0; i < names.length; i++) {
                MemorySegment symbol = lib.find(names[i]).orElseThrow(() -> new IllegalStateException("libgcrypt lacks a call"));
                boolean perPacket = i >= 3 && i <= 9 || i >= 13;
                calls[i] = perPacket ? linker.downcallHandle(symbol, shapes[i], critical) : linker.downcallHandle(symbol, shapes[i]);
            }
            MethodHandle checkVersion = linker.downcallHandle(lib.find("gcry_check_version").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
            try (Arena a = Arena.ofConfined()) {
                // the library's own initialisation, and a version with the AES-NI, PCLMUL and SHA-NI code (NULL when older)
                if ((long) checkVersion.invokeExact(a.allocateFrom("1.8.0").address()) == 0) {
                    why = "libgcrypt is older than 1.8.0";
                }
            }
        } catch (Throwable e) {
            why = e.toString();
        }
        UNAVAILABLE = why;
        CIPHER_OPEN = calls[0];
        CIPHER_CLOSE = calls[1];
        CIPHER_SETKEY = calls[2];
        CIPHER_SETIV = calls[3];
        CIPHER_SETCTR = calls[4];
        CIPHER_AUTHENTICATE = calls[5];
        CIPHER_ENCRYPT = calls[6];
        CIPHER_DECRYPT = calls[7];
        CIPHER_GETTAG = calls[8];
        CIPHER_CHECKTAG = calls[9];
        MAC_OPEN = calls[10];
        MAC_CLOSE = calls[11];
        MAC_SETKEY = calls[12];
        MAC_CTL = calls[13];
        MAC_WRITE = calls[14];
        MAC_READ = calls[15];
        MAC_VERIFY = calls[16];
    }

    private LibGcrypt() {
    }

    private static SymbolLookup load() {
        try {
            return SymbolLookup.libraryLookup("libgcrypt.so.20", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("libgcrypt.so.20 not found (Debian package libgcrypt20)", e);
        }
    }

    /** Null when the library is loaded and new enough, else why not. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** A cipher handle for {@code algo} in {@code mode} with {@code key} set (copied through {@code arena}, then zeroed). */
    public static long openCipher(int algo, int mode, byte[] key, Arena arena) {
        MemorySegment cell = arena.allocate(JAVA_LONG);
        check(invoke(() -> (int) CIPHER_OPEN.invokeExact(cell.address(), algo, mode, 0)), "gcry_cipher_open");
        long handle = cell.get(JAVA_LONG, 0);
        MemorySegment k = arena.allocateFrom(ValueLayout.JAVA_BYTE, key);
        int set = invoke(() -> (int) CIPHER_SETKEY.invokeExact(handle, k.address(), (long) key.length));
        k.fill((byte) 0);
        if (set != 0) {
            closeCipher(handle);
            check(set, "gcry_cipher_setkey");
        }
        return handle;
    }

    public static void closeCipher(long handle) {
        invoke(() -> {
            CIPHER_CLOSE.invokeExact(handle);
            return 0;
        });
    }

    /** A MAC handle for {@code algo} with {@code key} set (copied through {@code arena}, then zeroed). */
    public static long openMac(int algo, byte[] key, Arena arena) {
        MemorySegment cell = arena.allocate(JAVA_LONG);
        int opened = invoke(() -> (int) MAC_OPEN.invokeExact(cell.address(), algo, 0, 0L));
        check(opened, "gcry_mac_open");
        long handle = cell.get(JAVA_LONG, 0);
        MemorySegment k = arena.allocateFrom(ValueLayout.JAVA_BYTE, key);
        int set = invoke(() -> (int) MAC_SETKEY.invokeExact(handle, k.address(), (long) key.length));
        k.fill((byte) 0);
        if (set != 0) {
            closeMac(handle);
            check(set, "gcry_mac_setkey");
        }
        return handle;
    }

    public static void closeMac(long handle) {
        invoke(() -> {
            MAC_CLOSE.invokeExact(handle);
            return 0;
        });
    }

    // Per packet: each call checks its own result, so a caller reads as the steps it takes.

    public static void setIv(long handle, long iv, long length) {
        int error;
        try {
            error = (int) CIPHER_SETIV.invokeExact(handle, iv, length);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_cipher_setiv");
    }

    public static void setCounter(long handle, long counter, long length) {
        int error;
        try {
            error = (int) CIPHER_SETCTR.invokeExact(handle, counter, length);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_cipher_setctr");
    }

    /** Feeds {@code length} bytes at {@code data} to the AEAD's additional authenticated data; nothing for none. */
    public static void authenticate(long handle, long data, int length) {
        if (length == 0) {
            return;
        }
        int error;
        try {
            error = (int) CIPHER_AUTHENTICATE.invokeExact(handle, data, (long) length);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_cipher_authenticate");
    }

    /** Encrypts ({@code encrypt}) or decrypts {@code length} bytes at {@code data} in place; nothing for none. */
    public static void crypt(long handle, long data, int length, boolean encrypt) {
        if (length == 0) {
            return;
        }
        int error;
        try {
            error = encrypt ? (int) CIPHER_ENCRYPT.invokeExact(handle, data, (long) length, 0L, 0L)
                    : (int) CIPHER_DECRYPT.invokeExact(handle, data, (long) length, 0L, 0L);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, encrypt ? "gcry_cipher_encrypt" : "gcry_cipher_decrypt");
    }

    public static void getTag(long handle, long tag, long length) {
        int error;
        try {
            error = (int) CIPHER_GETTAG.invokeExact(handle, tag, length);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_cipher_gettag");
    }

    /** Whether the first {@code length} bytes of the tag match, compared in constant time (else GPG_ERR_CHECKSUM). */
    public static boolean checkTag(long handle, long tag, long length) {
        try {
            return (int) CIPHER_CHECKTAG.invokeExact(handle, tag, length) == 0;
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Back to the state right after the key was set (HMAC: its padded keys already hashed). */
    public static void macReset(long handle) {
        int error;
        try {
            error = (int) MAC_CTL.invokeExact(handle, CTL_RESET, 0L, 0L);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_mac_reset");
    }

    public static void macWrite(long handle, long data, long length) {
        int error;
        try {
            error = (int) MAC_WRITE.invokeExact(handle, data, length);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_mac_write");
    }

    /** Writes the MAC's first {@code *lengthCell} bytes at {@code out} (a truncated MAC when that is shorter). */
    public static void macRead(long handle, long out, long lengthCell) {
        int error;
        try {
            error = (int) MAC_READ.invokeExact(handle, out, lengthCell);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        check(error, "gcry_mac_read");
    }

    /** Whether {@code length} bytes at {@code expected} match the MAC's first bytes, compared in constant time. */
    public static boolean macVerify(long handle, long expected, long length) {
        try {
            return (int) MAC_VERIFY.invokeExact(handle, expected, length) == 0;
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    /** Throws, naming the call, when {@code error} is not 0. */
    private static void check(int error, String call) {
        if (error != 0) {
            throw new IllegalStateException(call + " failed (gpg error 0x" + Integer.toHexString(error) + ")");
        }
    }

    @FunctionalInterface
    private interface NativeCall {
        int run() throws Throwable;
    }

    /** For the set-up calls, which may allocate: a Throwable from the linker becomes an unchecked one. */
    private static int invoke(NativeCall call) {
        try {
            return call.run();
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }
}
