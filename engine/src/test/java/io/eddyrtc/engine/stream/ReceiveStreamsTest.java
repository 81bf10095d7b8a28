package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eddyrtc.engine.rtp.RtpExtensionValues;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceiveStreamsTest {
    @Test
    void findsStreamsByMediaAndRtxSsrc() {
        ReceiveStreams streams = new ReceiveStreams();
        ReceiveStream a = new ReceiveStream(0xFFFF_FFFFL, ReceiveStreamConfig.defaults(90_000));
        a.setRtxSsrc(5);
        streams.add(a);
        ReceiveStream[] many = new ReceiveStream[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = new ReceiveStream(1000 + i, ReceiveStreamConfig.defaults(48_000));
            streams.add(many[i]);
        }
        assertSame(a, streams.media(0xFFFF_FFFFL));
        assertSame(a, streams.repairedBy(5));
        assertNull(streams.media(5), "an RTX SSRC is not a media stream");
        assertNull(streams.repairedBy(0xFFFF_FFFFL));
        for (int i = 0; i < many.length; i++) {
            assertSame(many[i], streams.media(1000 + i));
        }
        assertNull(streams.media(999));
        assertEquals(102, streams.size());
    }

    @Test
    void learnsRtxFromRepairedRid() {
        ReceiveStreams streams = new ReceiveStreams();
        ReceiveStream low = new ReceiveStream(10, ReceiveStreamConfig.defaults(90_000));
        ReceiveStream high = new ReceiveStream(20, ReceiveStreamConfig.defaults(90_000));
        low.setRid("l".getBytes(StandardCharsets.US_ASCII));
        high.setRid("h".getBytes(StandardCharsets.US_ASCII));
        streams.add(low);
        streams.add(high);
        byte[] scratch = new byte[RtpExtensionValues.MAX_ID_BYTES];
        RtpExtensionValues v = new RtpExtensionValues();
        assertNull(streams.associateByRepairedRid(77, v, scratch), "no repaired-rid, no association");
        v.setRepairedRid("h".getBytes(StandardCharsets.US_ASCII));
        assertSame(high, streams.associateByRepairedRid(77, v, scratch));
        assertSame(high, streams.repairedBy(77));
        assertEquals(77, high.rtxSsrc());
        v.clear().setRepairedRid("m".getBytes(StandardCharsets.US_ASCII));
        assertNull(streams.associateByRepairedRid(78, v, scratch));
    }

    /** Removal keeps every other stream findable, whatever collisions the probing made (seeded random SSRCs). */
    @Test
    void removedStreamsAreGoneAndTheRestStayFindable() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        ReceiveStreams streams = new ReceiveStreams();
        java.util.List<ReceiveStream> live = new java.util.ArrayList<>();
        for (int round = 0; round < 2000; round++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                long ssrc = random.nextInt(64); // a small key space: many collisions and reuse
                if (streams.media(ssrc) == null && streams.repairedBy(ssrc) == null) {
                    ReceiveStream s = new ReceiveStream(ssrc, ReceiveStreamConfig.defaults(90_000));
                    long rtx = 1000 + random.nextInt(64);
                    if (streams.media(rtx) == null && streams.repairedBy(rtx) == null) {
                        s.setRtxSsrc(rtx);
                    }
                    streams.add(s);
                    live.add(s);
                }
            } else {
                ReceiveStream gone = live.remove(random.nextInt(live.size()));
                streams.remove(gone);
                assertNull(streams.media(gone.ssrc()), "removed: " + gone.ssrc());
                if (gone.rtxSsrc() >= 0) {
                    assertNull(streams.repairedBy(gone.rtxSsrc()));
                }
            }
            for (ReceiveStream s : live) {
                assertSame(s, streams.media(s.ssrc()), "round " + round + ": " + s.ssrc() + " still found");
                if (s.rtxSsrc() >= 0) {
                    assertSame(s, streams.repairedBy(s.rtxSsrc()));
                }
            }
        }
    }
}
