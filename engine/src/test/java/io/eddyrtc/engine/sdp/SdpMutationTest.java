package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.fail;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Structure-aware mutations of the real fixtures (lines dropped, duplicated, moved, numbers and tokens
 * replaced), offered and answered to sessions: only {@link SdpParseException} may come out. Complements
 * the Jazzer targets, whose byte-level mutations rarely keep an SDP plausible enough to reach negotiation.
 */
class SdpMutationTest {
    private static final String[] TOKENS = {"0", "9", "65536", "-1", "127", "128", "255", "4294967296", "", " ", "x",
        "a=mid:0", "a=setup:actpass", "a=setup:passive", "a=rtcp-mux", "a=group:BUNDLE 0 1 2 3", "a=inactive", "a=recvonly",
        "a=ssrc-group:FID 1", "a=ssrc-group:SIM 1 2 3", "a=simulcast:recv a;b", "a=rid:a recv", "a=rid:b send pt=96",
        "a=extmap:15 urn:ietf:params:rtp-hdrext:sdes:mid", "a=fmtp:97 apt=97", "a=fmtp:96 apt=200", "a=rtpmap:97 rtx/90000",
        "m=video 0 UDP/TLS/RTP/SAVPF 96", "m=text 9 RTP/AVP 0", "a=ice-lite", "a=max-message-size:0", "a=sctp-port:99999"};

    @Test
    void mutatedFixturesOnlyEverFailAsParseExceptions() {
        long seed = Long.getLong("eddy.sdp.mutationSeed", 0x5D9L);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> names = Fixtures.all();
        for (int i = 0; i < 3000; i++) {
            String name = names.get(random.nextInt(names.size()));
            String text = mutate(Fixtures.read(name), random);
            try {
                if (i % 2 == 0) {
                    SdpSession s = Peers.session(i);
                    s.acceptOffer(SdpOffer.fromSdp(text));
                    s.acceptOffer(SdpOffer.fromSdp(text)); // the same offer again is a renegotiation
                } else {
                    SdpSession s = Peers.session(i);
                    SdpApi api = s.sdpApi();
                    api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
                    api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
                    api.addChannel("m");
                    s.acceptAnswer(api.apply().orElseThrow().pending(), SdpAnswer.fromSdp(text));
                    SdpApi again = s.sdpApi();
                    again.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY);
                    again.apply();
                }
            } catch (SdpParseException expected) {
                // the documented refusal
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " (" + name + ") threw " + e + " for:\n" + text, e);
            }
        }
    }

    private static String mutate(String text, SplittableRandom r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && !lines.isEmpty(); k++) {
            int i = r.nextInt(lines.size());
            switch (r.nextInt(6)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(r.nextInt(lines.size()), lines.get(i));
                case 2 -> lines.add(i, TOKENS[r.nextInt(TOKENS.length)]);
                case 3 -> lines.set(i, lines.get(i).replaceAll("[0-9]+", TOKENS[r.nextInt(11)]));
                case 4 -> {
                    String[] words = (lines.get(i) + " x").split(" ");
                    words[r.nextInt(words.length)] = TOKENS[r.nextInt(TOKENS.length)];
                    lines.set(i, String.join(" ", words));
                }
                default -> lines.set(i, lines.get(i).substring(0, r.nextInt(lines.get(i).length() + 1)));
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }
}
