package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.rtp.RtpExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random renegotiations between two sessions, from either side, with rollbacks, checked after every
 * round against what must always hold: the same mids in the same order, mirrored directions, one PT per
 * format across the session, the SSRCs one side sends being the ones the other expects, and mids, PTs
 * and SSRCs of surviving m-lines never changing.
 */
class SdpScenarioTest {
    private static final Direction[] DIRECTIONS = Direction.values();

    @Test
    void randomRenegotiationsKeepBothSidesConsistent() {
        for (long seed = 1; seed <= 100; seed++) {
            try {
                run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void run(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        SdpSession a = Peers.session(seed * 2);
        SdpSession b = Peers.session(seed * 2 + 1);
        Map<Mid, NegotiatedMedia> seenA = new HashMap<>();
        for (int round = 0; round < 12; round++) {
            boolean fromA = r.nextBoolean();
            SdpSession offerer = fromA ? a : b;
            SdpSession answerer = fromA ? b : a;
            SdpApi api = offerer.sdpApi();
            List<NegotiatedMedia> live = offerer.media();
            int ops = 1 + r.nextInt(3);
            for (int k = 0; k < ops; k++) {
                switch (r.nextInt(6)) {
                    case 0, 1 -> {
                        boolean video = r.nextBoolean();
                        List<Rid> rids = video && r.nextInt(4) == 0 ? List.of(Rid.of("a"), Rid.of("b"), Rid.of("c")) : List.of();
                        api.addMedia(video ? MediaKind.VIDEO : MediaKind.AUDIO, DIRECTIONS[r.nextInt(4)], null, null, rids);
                    }
                    case 2 -> {
                        if (!live.isEmpty()) {
                            try {
                                api.setDirection(live.get(r.nextInt(live.size())).mid(), DIRECTIONS[r.nextInt(4)]);
                            } catch (IllegalArgumentException removed) {
                                // removed by an earlier step of this transaction
                            }
                        }
                    }
                    case 3 -> {
                        if (!live.isEmpty()) {
                            Mid mid = live.get(r.nextInt(live.size())).mid();
                            try {
                                api.removeMedia(mid);
                            } catch (IllegalArgumentException alreadyRemoved) {
                                // removed by an earlier step of this transaction
                            }
                        }
                    }
                    case 4 -> {
                        if (offerer.media().size() + live.size() > 0) {
                            api.iceRestart();
                        }
                    }
                    default -> api.addChannel("c" + round);
                }
            }
            var offer = api.apply();
            if (offer.isEmpty()) {
                continue;
            }
            if (r.nextInt(5) == 0) {
                offerer.rollback(offer.get().pending());
                continue;
            }
            SdpAnswer answer = answerer.acceptOffer(SdpOffer.fromSdp(offer.get().offer().toSdp()));
            offerer.acceptAnswer(offer.get().pending(), SdpAnswer.fromSdp(answer.toSdp()));
            check(a, b, seenA);
        }
    }

    private static void check(SdpSession a, SdpSession b, Map<Mid, NegotiatedMedia> seenA) {
        while (a.pollChange() != null) {
            // drained
        }
        while (b.pollChange() != null) {
            // drained
        }
        List<NegotiatedMedia> ma = a.media();
        List<NegotiatedMedia> mb = b.media();
        assertEquals(ma.stream().map(NegotiatedMedia::mid).toList(), mb.stream().map(NegotiatedMedia::mid).toList());
        Map<Integer, Object> formatOfPt = new HashMap<>();
        for (int i = 0; i < ma.size(); i++) {
            NegotiatedMedia x = ma.get(i);
            NegotiatedMedia y = mb.get(i);
            assertEquals(x.kind(), y.kind());
            assertEquals(x.direction(), y.direction().reverse(), x.mid() + " directions mirror");
            assertEquals(x.codecs().stream().map(PayloadParams::pt).toList(), y.codecs().stream().map(PayloadParams::pt).toList());
            for (PayloadParams p : x.codecs()) {
                Object before = formatOfPt.putIfAbsent(p.pt(), p.codec());
                assertTrue(before == null || before == p.codec(), "PT " + p.pt() + " means one format in the session");
            }
            for (RtpExtension e : RtpExtension.values()) {
                assertEquals(x.extensions().idOf(e), y.extensions().idOf(e));
            }
            if (x.direction().isSending()) {
                assertEquals(x.sendRids(), y.receiveRids());
                if (x.sendRids().isEmpty()) {
                    assertEquals(List.of(new StreamIds(x.sendStreams().getFirst().ssrc(), x.sendStreams().getFirst().rtxSsrc(), null)),
                            y.receiveStreams());
                }
            }
            if (y.direction().isSending() && y.sendRids().isEmpty()) {
                assertEquals(y.sendStreams().getFirst().ssrc(), x.receiveStreams().getFirst().ssrc());
            }
            NegotiatedMedia old = seenA.put(x.mid(), x);
            if (old != null) {
                assertEquals(old.codecs().stream().map(PayloadParams::pt).toList(), x.codecs().stream().map(PayloadParams::pt).toList(),
                        "PTs stay");
                if (!old.sendStreams().isEmpty() && !x.sendStreams().isEmpty()) {
                    assertEquals(old.sendStreams().getFirst().ssrc(), x.sendStreams().getFirst().ssrc(), "SSRCs stay");
                }
            }
        }
        assertEquals(Set.copyOf(ma.stream().map(NegotiatedMedia::mid).toList()).size(), ma.size(), "mids are unique");
        List<Mid> all = new ArrayList<>(ma.stream().map(NegotiatedMedia::mid).toList());
        assertEquals(all.size(), Set.copyOf(all).size());
    }
}
