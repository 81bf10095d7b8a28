package io.eddyrtc.buffers.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What the JVM holds, counted the way {@code jcmd GC.class_histogram} counts it: a full collection, then
 * the live objects per class. A later census minus an earlier one gives what was built in between, class by class —
 * memory is deterministic enough to assert on where time is not. Also reads glibc's count of bytes
 * {@code malloc} has handed out ({@link #mallocBytes()}), which covers off-heap {@code Arena} memory and
 * native libraries (OpenSSL) alike, along with the JVM's own (so only large differences mean something).
 *
 * <p>Test and benchmark code: it stops the world for a full GC.
 */
public final class HeapCensus {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final MethodHandle MALLINFO2 = mallinfo2();

    /** One class's live instances and bytes (negative in a difference when fewer remain). */
    public record Row(String className, long instances, long bytes) {
    }

    /** Set for a census as taken: the histogram's text, parsed only when subtracted (see {@link #minus}). */
    private final String histogram;
    /** Set for a difference. */
    private final Map<String, Row> rows;
    private final long mallocBytes;

    private HeapCensus(String histogram, Map<String, Row> rows, long mallocBytes) {
        this.histogram = histogram;
        this.rows = rows;
        this.mallocBytes = mallocBytes;
    }

    /**
     * Collects the heap fully and counts what is live, per class. The census keeps only the histogram's text
     * (one string), so a later census sees exactly that much of it, which {@link #minus} takes out again.
     */
    public static HeapCensus take() {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("the JVM's class histogram (jcmd GC.class_histogram) is not available", e);
        }
        return new HeapCensus(histogram, null, readMalloc());
    }

    /**
     * This census minus {@code before} (both as taken): what was built (or freed) in between, class by class,
     * without {@code before}'s own text.
     */
    public HeapCensus minus(HeapCensus before) {
        if (histogram == null || before.histogram == null) {
            throw new IllegalStateException("subtract censuses as taken, not differences");
        }
        Map<String, Row> now = parse(histogram);
        Map<String, Row> then = parse(before.histogram);
        Map<String, Row> diff = new HashMap<>();
        for (Row r : now.values()) {
            Row b = then.get(r.className());
            diff.put(r.className(), b == null ? r
                    : new Row(r.className(), r.instances() - b.instances(), r.bytes() - b.bytes()));
        }
        for (Row b : then.values()) {
            diff.putIfAbsent(b.className(), new Row(b.className(), -b.instances(), -b.bytes()));
        }
        // the earlier census's text was live at this one: a String and its Latin-1 byte array
        diff.computeIfPresent("java.lang.String", (k, r) -> new Row(k, r.instances() - 1, r.bytes() - 24));
        long text = (16 + before.histogram.length() + 7) & ~7L;
        diff.computeIfPresent("[B", (k, r) -> new Row(k, r.instances() - 1, r.bytes() - text));
        diff.values().removeIf(r -> r.instances() == 0 && r.bytes() == 0);
        return new HeapCensus(null, diff, mallocBytes - before.mallocBytes);
    }

    private static Map<String, Row> parse(String histogram) {
        Map<String, Row> rows = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                Row row = new Row(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                rows.merge(row.className(), row, (a, b) -> new Row(a.className(), a.instances() + b.instances(),
                        a.bytes() + b.bytes()));
            }
        }
        return rows;
    }

    /** Live heap bytes in all classes (of a difference). */
    public long heapBytes() {
        return heapBytes(c -> true);
    }

    /** Live heap bytes of the classes {@code counted} accepts (by the histogram's name, e.g. {@code [B}). */
    public long heapBytes(Predicate<String> counted) {
        differenceOnly();
        long sum = 0;
        for (Row r : rows.values()) {
            if (counted.test(r.className())) {
                sum += r.bytes();
            }
        }
        return sum;
    }

    /** Bytes glibc's allocator has handed out (all arenas, mmapped chunks included); 0 where it cannot be read. */
    public long mallocBytes() {
        return mallocBytes;
    }

    /** The {@code n} classes with the most bytes. */
    public List<Row> largest(int n) {
        differenceOnly();
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparingLong(Row::bytes).reversed());
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    private void differenceOnly() {
        if (rows == null) {
            throw new IllegalStateException("a census as taken counts everything in the JVM: subtract an earlier one first");
        }
    }

    private static MethodHandle mallinfo2() {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("mallinfo2")
                .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(MemoryLayout.structLayout(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG))))
                .orElse(null);
    }

    private static long readMalloc() {
        if (MALLINFO2 == null) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            long mmapped = info.getAtIndex(ValueLayout.JAVA_LONG, 4); // hblkhd
            long used = info.getAtIndex(ValueLayout.JAVA_LONG, 7); // uordblks
            return mmapped + used;
        } catch (Throwable t) {
            return 0;
        }
    }
}
