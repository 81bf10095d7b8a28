package io.eddyrtc.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadParamsTest {
    private final PayloadParams opus = CodecConfig.opus(111);
    private final PayloadParams vp8 = CodecConfig.video(96, 97, Codec.VP8, FormatParams.NONE);

    @Test
    void findsAnEntryByItsPayloadTypeAndNothingForAnotherOne() {
        List<PayloadParams> codecs = List.of(opus, vp8);
        assertSame(vp8, PayloadParams.find(codecs, 96));
        assertSame(opus, PayloadParams.find(codecs, 111));
        assertNull(PayloadParams.find(codecs, 97), "an RTX payload type is not an entry of its own");
    }

    @Test
    void renumbersByCodecForAPeerThatNegotiatedOtherNumbers() {
        List<PayloadParams> theirs = List.of(opus, vp8);
        List<PayloadParams> ours = List.of(CodecConfig.video(100, 101, Codec.VP8, FormatParams.NONE), CodecConfig.opus(109));
        assertEquals(100, PayloadParams.samePayloadType(theirs, 96, ours));
        assertEquals(109, PayloadParams.samePayloadType(theirs, 111, ours));
        assertEquals(-1, PayloadParams.samePayloadType(theirs, 97, ours), "RTX is not forwarded by number");
        assertEquals(-1, PayloadParams.samePayloadType(theirs, 96, List.of(CodecConfig.opus(109))), "a codec they did not accept");
    }
}
