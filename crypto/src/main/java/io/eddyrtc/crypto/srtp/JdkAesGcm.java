package io.eddyrtc.crypto.srtp;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;

/**
 * The portable AES-GCM engine: {@code javax.crypto}'s {@code AES/GCM/NoPadding} on heap copies of the
 * packet. GCM in the JDK takes its IV only through {@code Cipher.init}, which allocates (about 900 bytes
 * per packet); that is the price of portability, measured in perf/results/srtp.md.
 */
final class JdkAesGcm implements AesGcm {
    private final Cipher cipher;
    private final SecretKeySpec key;
    private byte[] aad = new byte[64];
    private byte[] in = new byte[2048];
    private byte[] out = new byte[2048 + TAG_LENGTH];

    JdkAesGcm(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding, which SRTP's AEAD profiles need", e);
        }
    }

    @Override
    public void seal(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                     long dataOffset, int dataLength, long tagOffset) {
        int aadLength = load(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength);
        try {
            start(Cipher.ENCRYPT_MODE, iv, aadLength);
            cipher.doFinal(in, 0, dataLength, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        MemorySegment.copy(out, 0, packet, ValueLayout.JAVA_BYTE, dataOffset, dataLength);
        MemorySegment.copy(out, dataLength, packet, ValueLayout.JAVA_BYTE, tagOffset, TAG_LENGTH);
    }

    @Override
    public boolean open(byte[] iv, MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length,
                        long dataOffset, int dataLength, long tagOffset) {
        int aadLength = load(packet, aad1Offset, aad1Length, aad2Offset, aad2Length, dataOffset, dataLength);
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, tagOffset, in, dataLength, TAG_LENGTH);
        try {
            start(Cipher.DECRYPT_MODE, iv, aadLength);
            cipher.doFinal(in, 0, dataLength + TAG_LENGTH, out, 0);
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        MemorySegment.copy(out, 0, packet, ValueLayout.JAVA_BYTE, dataOffset, dataLength);
        return true;
    }

    /** Starts one packet: its IV (the JDK takes one only through {@code Cipher.init}) and the gathered AAD. */
    private void start(int mode, byte[] iv, int aadLength) throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
        cipher.updateAAD(aad, 0, aadLength);
    }

    /** Copies the packet's AAD (both parts, gathered) and text to the heap arrays the cipher reads; returns the AAD length. */
    private int load(MemorySegment packet, long aad1Offset, int aad1Length, long aad2Offset, int aad2Length, long dataOffset, int dataLength) {
        int total = aad1Length + aad2Length;
        if (aad.length < total) {
            aad = new byte[Integer.highestOneBit(total) << 1];
        }
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, aad1Offset, aad, 0, aad1Length);
        if (aad2Length > 0) {
            MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, aad2Offset, aad, aad1Length, aad2Length);
        }
        ensure(dataLength + TAG_LENGTH);
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, dataOffset, in, 0, dataLength);
        return total;
    }

    private void ensure(int bytes) {
        if (in.length < bytes) {
            int size = Integer.highestOneBit(bytes) << 1;
            in = new byte[size];
            out = new byte[size + TAG_LENGTH];
        }
    }

    @Override
    public String engine() {
        return "jdk";
    }

    @Override
    public void close() {
        // nothing native to free
    }
}
