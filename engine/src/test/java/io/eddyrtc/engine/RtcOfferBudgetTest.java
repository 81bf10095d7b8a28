package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpLimits;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sdp.SdpParseException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an offer can make an {@code Rtc} allocate is bounded. The attack this started from: POSTs of a
 * 0.5 MB offer declaring 20,000 SSRCs on its video m-line left about 520 MB of heap per request after a full
 * GC. The SDP limits refuse such an offer by name; and when a server loosens them, the media layer still
 * sets up no more streams than {@link MediaConfig#maxReceiveStreams()}, so the heap stays small.
 */
class RtcOfferBudgetTest {
    static final long MB = 1 << 20;

    /** Chromium's audio, video and data offer with {@code ssrcs} more {@code a=ssrc} lines on its video m-line. */
    static String chromiumOfferDeclaring(int ssrcs) throws IOException {
        String offer = Files.readString(Path.of(System.getProperty("eddy.shared", "/work/shared"), "fixtures", "sdp",
                "chrome-offer-av-dc.sdp"));
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < ssrcs; i++) {
            extra.append("a=ssrc:").append(100_000 + i).append(" cname:attacker\r\n");
        }
        int application = offer.indexOf("m=application");
        return offer.substring(0, application) + extra + offer.substring(application);
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest
    @ValueSource(ints = {10_000, 20_000})
    void anOfferDeclaringThousandsOfSsrcsIsRefusedNamingTheCap(int ssrcs) throws IOException {
        String text = chromiumOfferDeclaring(ssrcs);
        SdpParseException refused = assertThrows(SdpParseException.class,
                () -> Rtc.builder().build().acceptOffer(SdpOffer.fromSdp(text)));
        assertTrue(refused.getMessage().contains("(SdpLimits.max"), "names the cap: " + refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {10_000, 20_000})
    void withTheSdpLimitsLiftedTheMediaBudgetStillHolds(int ssrcs) throws IOException {
        SdpLimits lifted = SdpLimits.defaults().withMaxLength(4 << 20).withMaxAttributesPerSection(ssrcs + 1000)
                .withMaxSsrcsPerMedia(ssrcs + 10);
        String text = chromiumOfferDeclaring(ssrcs);
        long before = usedHeapAfterGc();
        List<Rtc> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Rtc rtc = Rtc.builder().sdp(new SdpConfig().limits(lifted)).build();
            rtc.acceptOffer(SdpOffer.fromSdp(text, lifted));
            kept.add(rtc);
        }
        long retained = usedHeapAfterGc() - before;
        for (Rtc rtc : kept) {
            assertEquals(ssrcs + 2 - MediaConfig.defaults().maxReceiveStreams(), rtc.dropped(RtcDropReason.STREAM_LIMIT),
                    "each declared stream past the budget is counted, so exactly the budget's worth was set up");
        }
        assertTrue(retained < 3 * 16 * MB, "three Rtcs hold " + retained / MB + " MB after a full GC");
    }
}
