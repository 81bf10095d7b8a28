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
}
