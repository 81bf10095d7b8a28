package io.eddyrtc.buffers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Network-byte-order (big-endian) unsigned field access on a {@link MemorySegment}.
 *
 * <p>Every wire format eddy speaks is big-endian and packed, so these helpers use unaligned layouts.
 * They do not check bounds beyond what {@code MemorySegment} itself enforces: callers (normally a
 * {@link Flyweight}) validate lengths once and then read fields freely. Values come back widened so
 * that they are unsigned: a 16-bit field as an {@code int}, a 32-bit field as a {@code long}.
 *
 * <p>The {@code byte[]} overloads serve codecs whose messages live on the heap (SCTP chunks, DCEP); an index
 * outside the array throws {@code ArrayIndexOutOfBoundsException}.
 */
public final class BigEndian {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BigEndian() {
    }

    public static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    public static int u16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xFFFF;
    }

    public static int u24(MemorySegment s, long at) {
        return (u8(s, at) << 16) | u16(s, at + 1);
    }

    public static long u32(MemorySegment s, long at) {
        return s.get(U32, at) & 0xFFFF_FFFFL;
    }

    /** The 32-bit field as Java's signed int, for callers that only compare or store the bits. */
    public static int i32(MemorySegment s, long at) {
        return s.get(U32, at);
    }

    public static long u48(MemorySegment s, long at) {
        return ((long) u16(s, at) << 32) | u32(s, at + 2);
    }

    /** The 64-bit field's bits; Java has no unsigned long, so use {@code Long.compareUnsigned} to order them. */
    public static long u64(MemorySegment s, long at) {
        return s.get(U64, at);
    }

    public static void putU8(MemorySegment s, long at, int value) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    public static void putU16(MemorySegment s, long at, int value) {
        s.set(U16, at, (short) value);
    }

    public static void putU24(MemorySegment s, long at, int value) {
        putU8(s, at, value >>> 16);
        putU16(s, at + 1, value);
    }

    public static void putU32(MemorySegment s, long at, long value) {
        s.set(U32, at, (int) value);
    }

    public static void putU48(MemorySegment s, long at, long value) {
        putU16(s, at, (int) (value >>> 32));
        putU32(s, at + 2, value);
    }

    public static void putU64(MemorySegment s, long at, long value) {
        s.set(U64, at, value);
    }

    public static int u16(byte[] b, int at) {
        return (short) ARRAY_U16.get(b, at) & 0xFFFF;
    }

    public static long u32(byte[] b, int at) {
        return (int) ARRAY_U32.get(b, at) & 0xFFFF_FFFFL;
    }

    /** The 64-bit field's bits, as {@link #u64(MemorySegment, long)}. */
    public static long u64(byte[] b, int at) {
        return (long) ARRAY_U64.get(b, at);
    }

    public static void putU16(byte[] b, int at, int value) {
        ARRAY_U16.set(b, at, (short) value);
    }

    public static void putU32(byte[] b, int at, long value) {
        ARRAY_U32.set(b, at, (int) value);
    }

    public static void putU64(byte[] b, int at, long value) {
        ARRAY_U64.set(b, at, value);
    }
}
