package io.eddyrtc.crypto.srtp;

import io.eddyrtc.crypto.internal.LibGcrypt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * AES-GCM from libgcrypt ({@link LibGcrypt}: AES-NI, PCLMUL and VAES code paths): one cipher handle per engine with
 * the key schedule set up once, and per packet four plain C calls — set the IV, authenticate the AAD, encrypt or
 * decrypt in place, get or check the tag — on the packet's own native memory, with no allocation. OpenSSL 3's EVP
 * layer costs about 75 ns more per packet for the same work (its IV re-init and its tag call look parameters up by
 * name: {@code perf/results/srtp.md}), which is why this engine comes first.
 *
 * <p>A libgcrypt that fails a known-answer test at load (a FIPS-mode one refuses an IV it did not make) counts as
 * unavailable, and the next engine serves.
 */
final class GcryptAesGcm extends NativeAesGcm {
    /** NIST's GCM test case 2: key and IV zero, sixteen zero bytes of text: the ciphertext, then the tag. */
    private static final byte[] KNOWN_ANSWER = HexFormat.of().parseHex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
    private static final String UNAVAILABLE = LibGcrypt.unavailableReason() != null ? LibGcrypt.unavailableReason() : knownAnswerFailure();

    /** Null when libgcrypt seals NIST's test case 2 as it should, else what went wrong. */
    private static String knownAnswerFailure() {
        try (GcryptAesGcm gcm = new GcryptAesGcm(new byte[16], false); Arena a = Arena.ofConfined()) {
            MemorySegment packet = a.allocate(32);
            gcm.seal(new byte[IV_LENGTH], packet, 0, 0, 0, 0, 0, 16, 16);
            byte[] sealed = packet.toArray(ValueLayout.JAVA_BYTE);
            return Arrays.equals(sealed, KNOWN_ANSWER) ? null
                    : "libgcrypt's AES-GCM gave " + HexFormat.of().formatHex(sealed) + " for NIST's test case 2";
        } catch (RuntimeException e) {
            return "libgcrypt's AES-GCM failed its known-answer test: " + e.getMessage();
        }
    }

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "available" : UNAVAILABLE;
    }

    private final long handle;
    private final MemorySegment ivSegment;
    private final long ivAddress;

    GcryptAesGcm(byte[] key) {
        this(key, true);
    }

    private GcryptAesGcm(byte[] key, boolean checked) {
        if (checked && !isAvailable() || key.length != 16 && key.length != 32) {
            arena.close();
            throw checked && !isAvailable() ? new IllegalStateException("libgcrypt's AES-GCM is not available: " + UNAVAILABLE)
                    : new IllegalArgumentException("AES-GCM keys are 16 or 32 bytes, not " + key.length);
        }
        try {
            this.handle = LibGcrypt.openCipher(key.length == 32 ? LibGcrypt.CIPHER_AES256 : LibGcrypt.CIPHER_AES128, LibGcrypt.MODE_GCM,
                    key, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.ivSegment = arena.allocate(IV_LENGTH);
        this.ivAddress = ivSegment.address();
        long h = handle;
        freeOnClose(() -> LibGcrypt.closeCipher(h));
    }

    @Override
    void sealAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset, int dataLength,
                long tagOffset) {
        start(iv, base, aad1Offset, aad1Length, aad2Offset, aad2Length);
        LibGcrypt.crypt(handle, base + dataOffset, dataLength, true);
        LibGcrypt.getTag(handle, base + tagOffset, TAG_LENGTH);
    }

    @Override
    boolean openAt(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset, int dataLength,
                   long tagOffset) {
        start(iv, base, aad1Offset, aad1Length, aad2Offset, aad2Length);
        LibGcrypt.crypt(handle, base + dataOffset, dataLength, false);
        return LibGcrypt.checkTag(handle, base + tagOffset, TAG_LENGTH);
    }

    /** A message begins: its IV, then its additional authenticated data (in up to two pieces). */
    private void start(byte[] iv, long base, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length) {
        MemorySegment.copy(iv, 0, ivSegment, ValueLayout.JAVA_BYTE, 0, IV_LENGTH);
        LibGcrypt.setIv(handle, ivAddress, IV_LENGTH);
        LibGcrypt.authenticate(handle, base + aad1Offset, aad1Length);
        LibGcrypt.authenticate(handle, base + aad2Offset, aad2Length);
    }

    @Override
    public String engine() {
        return "gcrypt";
    }

}
