package io.eddyrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.ice.stun.Stun;
import io.eddyrtc.ice.stun.StunWriter;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A TCP connection's bytes cut back into datagrams: RFC 4571 frames and TURN's own framing, however the bytes arrive. */
@ExtendWith(SeedExtension.class)
class StreamDeframerTest {

    /** Feeds {@code stream} in seeded pieces of 1..{@code maxPiece} bytes, as reads return them, collecting each datagram. */
    static List<byte[]> feed(StreamDeframer d, byte[] stream, Random random, int maxPiece) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, 1 + random.nextInt(maxPiece));
            n = Math.min(n, d.buffer().remaining());
            d.buffer().put(stream, at, n); // as SocketChannel.read(d.buffer()) would
            at += n;
            while (d.next()) {
                out.add(d.segment().asSlice(d.frameOffset(), d.frameLength()).toArray(ValueLayout.JAVA_BYTE));
            }
            if (d.error() != StreamDeframer.Error.NONE) {
                break;
            }
        }
        return out;
    }

    @Test
    void rfc4571FramesComeBackWholeHoweverTheBytesArrive(@Seed long seed) {
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            byte[] datagram = new byte[random.nextInt(1500 + 1)]; // empty ones too: RFC 4571 allows them
            random.nextBytes(datagram);
            sent.add(datagram);
            byte[] header = new byte[2];
            StreamDeframer.writeRfc4571Header(MemorySegment.ofArray(header), 0, datagram.length);
            stream.writeBytes(header);
            stream.writeBytes(datagram);
        }
        StreamDeframer d = StreamDeframer.of(Transport.TCP, 1500);
        List<byte[]> got = feed(d, stream.toByteArray(), random, 3000);
        assertEquals(StreamDeframer.Error.NONE, d.error());
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
        }
    }

    @Test
    void aFrameLongerThanTheLimitBreaksTheStreamForGood() {
        StreamDeframer d = StreamDeframer.of(Transport.TCP, 1500);
        byte[] stream = new byte[2 + 10 + 2];
        BigEndian.putU16(MemorySegment.ofArray(stream), 0, 10);
        BigEndian.putU16(MemorySegment.ofArray(stream), 12, 1501);
        List<byte[]> got = feed(d, stream, new Random(1), 100);
        assertEquals(1, got.size(), "the frame before it still counts");
        assertEquals(StreamDeframer.Error.FRAME_TOO_LONG, d.error());
        assertTrue(d.push(MemorySegment.ofArray(new byte[] {0, 1, 7}), 0, 3));
        assertFalse(d.next(), "nothing more comes out of a broken stream");
    }

    @Test
    void turnStreamsCarrySelfDelimitedStunAndPaddedChannelData(@Seed long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] message;
            if (random.nextBoolean()) {
                byte[] buf = new byte[256];
                StunWriter w = new StunWriter();
                w.begin(MemorySegment.ofArray(buf), 0, buf.length, Stun.typeOf(Stun.METHOD_DATA, Stun.CLASS_INDICATION), i, i)
                        .addBytes(Stun.DATA, new byte[random.nextInt(200)]).addFingerprint();
                message = Arrays.copyOf(buf, w.length());
                stream.writeBytes(message);
            } else {
                int length = random.nextInt(1200);
                message = new byte[4 + length];
                random.nextBytes(message);
                BigEndian.putU16(MemorySegment.ofArray(message), 0, 0x4000 + random.nextInt(0x1000));
                BigEndian.putU16(MemorySegment.ofArray(message), 2, length);
                stream.writeBytes(message);
                stream.writeBytes(new byte[((length + 3) & ~3) - length]); // RFC 8656 §12.5: padded on a stream
            }
            sent.add(message);
        }
        StreamDeframer d = StreamDeframer.of(Transport.TURN_TCP, 1500);
        List<byte[]> got = feed(d, stream.toByteArray(), random, 2000);
        assertEquals(StreamDeframer.Error.NONE, d.error());
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "message " + i);
        }
    }

    @Test
    void bytesNoTurnMessageStartsWithBreakATurnStream() {
        StreamDeframer d = StreamDeframer.of(Transport.TURN_TCP, 1500);
        List<byte[]> got = feed(d, new byte[] {(byte) 0x80, 0, 0, 4, 1, 2, 3, 4}, new Random(2), 8);
        assertTrue(got.isEmpty());
        assertEquals(StreamDeframer.Error.NOT_TURN, d.error());
    }

    @Test
    void misuseIsRefusedWithWhatToDo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamDeframer.of(Transport.UDP, 1500))
                .getMessage().contains("TCP"));
        assertThrows(IllegalArgumentException.class, () -> StreamDeframer.of(Transport.TCP, 70_000));
        assertThrows(IllegalArgumentException.class,
                () -> StreamDeframer.writeRfc4571Header(MemorySegment.ofArray(new byte[2]), 0, 65_536));
    }
}
