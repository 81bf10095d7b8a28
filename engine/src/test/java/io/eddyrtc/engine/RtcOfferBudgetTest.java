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

    /**
     * A peer that stops its m-lines and recycles their slots with new mids, again and again (each round two
     * offers), leaves the Rtc with the live m-lines only: stopped ones are forgotten.
     */
    @org.junit.jupiter.api.Test
    void stoppingAndRecyclingMlinesInALoopDoesNotGrowTheRtc() throws IOException {
        String chrome = chromiumOfferDeclaring(0);
        Rtc rtc = Rtc.builder().randomSeed(5).build();
        rtc.acceptOffer(SdpOffer.fromSdp(chrome));
        String audioMid = "0";
        String videoMid = "1";
        for (int round = 1; round <= 100; round++) {
            String live = chrome.replace("a=mid:0\r\n", "a=mid:" + audioMid + "\r\n").replace("a=mid:1\r\n", "a=mid:" + videoMid + "\r\n")
                    .replace("BUNDLE 0 1 2", "BUNDLE " + audioMid + " " + videoMid + " 2");
            String stopped = live.replace("m=audio 57054", "m=audio 0").replace("m=video 48697", "m=video 0")
                    .replace("BUNDLE " + audioMid + " " + videoMid + " 2", "BUNDLE 2");
            rtc.acceptOffer(SdpOffer.fromSdp(stopped));
            audioMid = "a" + round;
            videoMid = "v" + round;
            rtc.acceptOffer(SdpOffer.fromSdp(chrome.replace("a=mid:0\r\n", "a=mid:" + audioMid + "\r\n")
                    .replace("a=mid:1\r\n", "a=mid:" + videoMid + "\r\n").replace("BUNDLE 0 1 2", "BUNDLE " + audioMid + " " + videoMid + " 2")));
            for (Output o = rtc.pollOutput(); !(o instanceof Output.Timeout); o = rtc.pollOutput()) {
                // the MediaAdded and MediaChanged of each round
            }
        }
        assertEquals(List.of("a100", "v100"), rtc.media().stream().map(Media::mid).toList(), "only the live m-lines are kept");
        assertEquals(null, rtc.media("0"), "a stopped m-line is gone");
    }
}
