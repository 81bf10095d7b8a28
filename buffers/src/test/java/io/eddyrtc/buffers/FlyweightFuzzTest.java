package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Fuzzes the bounds logic every codec inherits: whatever window and declared lengths arrive, a wrap
 * either succeeds with a window inside the segment (and every field inside it is readable) or fails
 * and leaves nothing readable. Seeds live in {@code FlyweightFuzzTestInputs/} and run under plain
 * {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class FlyweightFuzzTest {

    /** TLV-ish format: u16 count of 4-byte items, then the items; validation trusts nothing. */
    static final class CountedItems extends Flyweight {
        @Override
        protected boolean validate() {
            return length() >= 2 && (long) u16(0) * 4 <= length() - 2;
        }

        long sum() {
            long sum = 0;
            for (int i = 0; i < u16(0); i++) {
                sum += u32(2 + 4 * i);
            }
            return sum;
        }
    }

    @FuzzTest(maxDuration = "30s")
    void wrapNeverAdmitsAnOutOfBoundsWindow(FuzzedDataProvider data) {
        long offset = data.consumeLong();
        int length = data.consumeInt();
        byte[] bytes = data.consumeRemainingAsBytes();
        MemorySegment segment = MemorySegment.ofArray(bytes);
        CountedItems items = new CountedItems();
        boolean inside = offset >= 0 && length >= 0 && offset + length <= bytes.length;
        if (items.wrap(segment, offset, length)) {
            assertTrue(inside, "wrap accepted a window outside the segment");
            items.sum(); // every declared item is readable without an exception
            for (int i = 0; i + 8 <= items.length(); i++) {
                items.u64(i);
            }
        } else {
            assertFalse(items.isWrapped());
            assertEquals(0, items.length());
        }
        if (items.wrap(segment)) {
            items.sum();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void sequenceExtensionKeepsTheLowBitsAndStaysNear(FuzzedDataProvider data) {
        long reference = data.consumeLong(0, Long.MAX_VALUE >> 2);
        int seq = data.consumeInt(0, 0xFFFF);
        long ts = data.consumeLong(0, 0xFFFF_FFFFL);
        long extended = SequenceNumbers.extend16(reference, seq);
        assertEquals(seq, extended & 0xFFFF);
        assertTrue(extended >= 0);
        assertTrue(Math.abs(extended - reference) <= 65536);
        long extendedTs = SequenceNumbers.extend32(reference, ts);
        assertEquals(ts, extendedTs & 0xFFFF_FFFFL);
        assertTrue(extendedTs >= 0);
    }
}
