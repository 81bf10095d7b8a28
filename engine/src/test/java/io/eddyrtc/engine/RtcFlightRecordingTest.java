package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.FlightRecordings;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.packet.Vp8CaptureFrames;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A call on the virtual network recorded with JDK Flight Recorder, read back from the recording file: ICE states and
 * the selected pair, the DTLS handshake with what it negotiated, streams added and paused, a PLI each way, NACKs and
 * RTX over a lossy link, and duplicated SRTP packets dropped as replays — each event on the {@code Rtc} it is about
 * ({@link Rtc#id()}), stamped with that {@code Rtc}'s virtual clock, and the drop summaries adding up to the counters.
 */
@ExtendWith(SeedExtension.class)
class RtcFlightRecordingTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final String[] EDDY_EVENTS = {"io.eddyrtc.IceState", "io.eddyrtc.SelectedPair", "io.eddyrtc.DtlsHandshake",
            "io.eddyrtc.PacketsDropped", "io.eddyrtc.NacksSent", "io.eddyrtc.NacksReceived", "io.eddyrtc.KeyframeRequest",
            "io.eddyrtc.StreamAdded", "io.eddyrtc.StreamPaused", "io.eddyrtc.StreamRemoved", "io.eddyrtc.InternalError"};

    @Test
    void aLossyCallPutsWhatHappenedOnTheTimeline(@Seed long seed) throws IOException {
        List<RecordedEvent> recorded;
        Rtc a;
        Rtc b;
        String video;
        long start;
        long end;
        try (FlightRecordings recording = FlightRecordings.start(EDDY_EVENTS)) {
            // 4 % loss for NACKs, 4 % duplicates for SRTP's replay check
            RtcPair pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(20).withLoss(0.04).withDuplicate(0.04),
                    RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B, UnaryOperator.identity());
            VirtualNetwork net = pair.net();
            a = pair.a().rtc();
            b = pair.b().rtc();
            start = net.now();
            List<Mid> mids = new ArrayList<>();
            assertTrue(SdpSignalling.negotiate(a, b, api -> mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV))));
            video = mids.getFirst().value();
            assertTrue(net.runUntil(pair::bothConnected, 10 * S), "connected");

            Media media = a.media(video);
            MediaWriter writer = media.writer(media.payloadParams().stream().filter(p -> p.codec() == Codec.VP8).findFirst()
                    .orElseThrow().pt());
            long ticks = 0;
            for (Vp8CaptureFrames.Frame f : Vp8CaptureFrames.frames()) {
                assertTrue(writer.write(net.now(), MediaTime.of(ticks, 90_000), f.data()));
                ticks += 3000;
                net.runFor(33 * MS);
            }
            b.media(video).requestKeyframe();
            net.runFor(3 * S); // the stream falls silent: paused
            end = net.now();
            a.disconnect();
            b.disconnect(); // each reports what it counted since its last summary
            recorded = recording.stop();
        }
        assertEquals(0, a.dropped(RtcDropReason.INTERNAL_ERROR) + b.dropped(RtcDropReason.INTERNAL_ERROR));
        assertTrue(b.dropped(RtcDropReason.SRTP_REJECTED) > 0, "the duplicates were dropped as replays");
        long ssrc = a.media(video) == null ? -1 : a.media(video).sendStreams().getFirst().ssrc();

        for (Rtc rtc : List.of(a, b)) {
            List<RecordedEvent> own = recorded.stream().filter(e -> e.getLong("rtc") == rtc.id()).toList();
            for (RecordedEvent e : own) {
                long at = e.getLong("rtcNanos");
                assertTrue(at >= start && at <= end, e.getEventType().getName() + " stamped with the Rtc's clock: " + at);
            }
            List<String> states = named(own, "io.eddyrtc.IceState").stream().map(e -> e.getString("state")).toList();
            assertEquals("CHECKING", states.getFirst(), states.toString());
            assertTrue(states.contains("CONNECTED"), states.toString());
            assertEquals("NEW", named(own, "io.eddyrtc.IceState").getFirst().getString("previous"));
            RecordedEvent pairEvent = named(own, "io.eddyrtc.SelectedPair").getLast();
            String us = rtc == a ? "10.0.0.1:5000" : "10.0.1.1:6000";
            String them = rtc == a ? "10.0.1.1:6000" : "10.0.0.1:5000";
            assertTrue(pairEvent.getString("local").contains(us) && pairEvent.getString("remote").contains(them), pairEvent.toString());

            RecordedEvent handshake = only(named(own, "io.eddyrtc.DtlsHandshake"));
            assertEquals("connected", handshake.getString("outcome"));
            assertEquals(rtc.isDtlsClient() ? "client" : "server", handshake.getString("role"));
            assertEquals(rtc.dtlsVersion().name(), handshake.getString("version"));
            assertEquals(rtc.dtlsCipherSuite().name(), handshake.getString("cipherSuite"));
            assertEquals(rtc.dtlsGroup().name(), handshake.getString("group"));
            assertEquals(rtc.srtpProfile().name(), handshake.getString("srtpProfile"));
            long took = handshake.getLong("rtcDuration");
            assertTrue(took >= 20 * MS && took < 10 * S, "a round trip or more of the virtual clock: " + took);
        }
        assertFalse(a.isDtlsClient() == b.isDtlsClient(), "one client, one server");

        List<RecordedEvent> ofA = recorded.stream().filter(e -> e.getLong("rtc") == a.id()).toList();
        List<RecordedEvent> ofB = recorded.stream().filter(e -> e.getLong("rtc") == b.id()).toList();
        assertTrue(named(ofA, "io.eddyrtc.StreamAdded").stream().anyMatch(e -> e.getString("direction").equals("send")
                && e.getString("mid").equals(video) && e.getLong("ssrc") == ssrc && e.getBoolean("declared")), ofA.toString());
        assertTrue(named(ofB, "io.eddyrtc.StreamAdded").stream().anyMatch(e -> e.getString("direction").equals("receive")
                && e.getString("mid").equals(video) && e.getLong("ssrc") == ssrc), ofB.toString());
        assertTrue(named(ofB, "io.eddyrtc.StreamPaused").stream().anyMatch(e -> e.getBoolean("paused") && e.getLong("ssrc") == ssrc),
                "the silent stream is paused at the receiver");

        Predicate<RecordedEvent> pli = e -> e.getString("kind").equals("PLI") && e.getString("mid").equals(video);
        assertTrue(named(ofB, "io.eddyrtc.KeyframeRequest").stream().anyMatch(pli.and(e -> e.getString("direction").equals("sent"))),
                "B sent the PLI");
        assertTrue(named(ofA, "io.eddyrtc.KeyframeRequest").stream().anyMatch(pli.and(e -> e.getString("direction").equals("received"))),
                "A received it");

        long nacked = named(ofB, "io.eddyrtc.NacksSent").stream().mapToLong(e -> e.getLong("sequences")).sum();
        long repaired = named(ofB, "io.eddyrtc.NacksSent").stream().mapToLong(e -> e.getLong("repaired")).sum();
        long asked = named(ofA, "io.eddyrtc.NacksReceived").stream().mapToLong(e -> e.getLong("sequences")).sum();
        long resent = named(ofA, "io.eddyrtc.NacksReceived").stream().mapToLong(e -> e.getLong("rtxSent")).sum();
        assertTrue(nacked > 0 && repaired > 0, "B asked for " + nacked + " and " + repaired + " came");
        assertTrue(asked > 0 && resent > 0 && resent <= asked, "A was asked for " + asked + " and resent " + resent);
        assertTrue(asked <= nacked, "lost NACKs are not received: " + asked + " of " + nacked);

        // the summaries add up to the counters, and the SRTP ones say why
        assertEquals(b.dropped(RtcDropReason.SRTP_REJECTED), dropped(ofB, "Rtc", "SRTP_REJECTED"));
        assertEquals(b.dropped(RtcDropReason.SRTP_REJECTED), dropped(ofB, "SRTP", null));
        assertTrue(dropped(ofB, "SRTP", "REPLAYED") > 0, "duplicated SRTP is a replay");
        assertTrue(named(recorded, "io.eddyrtc.InternalError").isEmpty());
    }

    @Test
    void aStoppedMLineTakesItsStreamsOffTheTimeline(@Seed long seed) {
        List<RecordedEvent> recorded;
        Rtc a;
        Rtc b;
        long ssrc;
        String video;
        try (FlightRecordings recording = FlightRecordings.start("io.eddyrtc.StreamAdded", "io.eddyrtc.StreamRemoved")) {
            RtcPair pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(20), RtcDtlsTest.CERT_A,
                    RtcDtlsTest.CERT_B, UnaryOperator.identity());
            a = pair.a().rtc();
            b = pair.b().rtc();
            List<Mid> mids = new ArrayList<>();
            assertTrue(SdpSignalling.negotiate(a, b, api -> mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_ONLY))));
            video = mids.getFirst().value();
            assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S), "connected");
            ssrc = a.media(video).sendStreams().getFirst().ssrc();
            assertTrue(SdpSignalling.negotiate(a, b, api -> api.removeMedia(mids.getFirst())));
            pair.net().runFor(100 * MS);
            recorded = recording.stop();
        }
        for (Rtc rtc : List.of(a, b)) {
            String direction = rtc == a ? "send" : "receive";
            List<RecordedEvent> own = recorded.stream().filter(e -> e.getLong("rtc") == rtc.id()
                    && e.getString("direction").equals(direction) && e.getLong("ssrc") == ssrc && e.getString("mid").equals(video)).toList();
            assertEquals(List.of("io.eddyrtc.StreamAdded", "io.eddyrtc.StreamRemoved"),
                    own.stream().map(e -> e.getEventType().getName()).toList(), direction + " stream of " + rtc);
        }
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return FlightRecordings.named(events, name);
    }

    static RecordedEvent only(List<RecordedEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.getFirst();
    }

    /** What the summaries of {@code layer} say was dropped for {@code reason} (null: every reason). */
    static long dropped(List<RecordedEvent> events, String layer, String reason) {
        return named(events, "io.eddyrtc.PacketsDropped").stream()
                .filter(e -> e.getString("layer").equals(layer) && (reason == null || e.getString("reason").equals(reason)))
                .mapToLong(e -> {
                    assertNotNull(e.getString("reason"));
                    return e.getLong("count");
                }).sum();
    }
}
