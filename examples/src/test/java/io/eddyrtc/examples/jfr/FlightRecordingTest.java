package io.eddyrtc.examples.jfr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.JoiningPeer;
import io.eddyrtc.examples.httppost.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers' {@code --jfr FILE}: eddy.jfc turns on every eddy event there is and allocation sampling with stacks,
 * over the JDK's defaults; the option is taken out of the command line before the server's own parsing; and a
 * recording started by it, around an eddy client's call to http-post, holds the call's eddy events and allocation
 * samples in the file it names.
 */
class FlightRecordingTest {

    @Test
    void eddyJfcTurnsOnEveryEddyEventAndAllocationSamplingOverTheDefaults() {
        Rtc.builder().build(); // loads (and so registers) the engine's event types
        try (PacketPool pool = PacketPool.builder().slotsPerSlab(1).maxSlots(1).debug(false).build()) {
            pool.acquire();
            pool.acquire(); // refused: the pool's event type is loaded too, with a recording on or off
        }
        Set<String> eddyEvents = FlightRecorder.getFlightRecorder().getEventTypes().stream().map(EventType::getName)
                .filter(n -> n.startsWith("io.eddyrtc.")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(13, eddyEvents.size(), "the event types of the engine and the buffers: " + eddyEvents);
        Map<String, String> settings = FlightRecording.settings();
        for (String event : eddyEvents) {
            assertEquals("true", settings.get(event + "#enabled"), event + " is on in " + FlightRecording.SETTINGS);
        }
        assertEquals("true", settings.get("jdk.ObjectAllocationSample#enabled"));
        assertEquals("true", settings.get("jdk.ObjectAllocationSample#stackTrace"));
        assertEquals("300/s", settings.get("jdk.ObjectAllocationSample#throttle"), "eddy.jfc's, not default.jfc's 150/s");
        assertEquals("10 s", settings.get("jdk.ThreadAllocationStatistics#period"), "each thread's allocation every 10 s");
        assertEquals("true", settings.get("jdk.GarbageCollection#enabled"), "the JDK's defaults stay");
    }

    @Test
    void theOptionIsTakenOutOfTheCommandLine(@TempDir Path dir) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Path file = dir.resolve("run.jfr");
        String[] rest = FlightRecording.fromArgs(new String[] {"--port", "3001", "--jfr", file.toString(), "--tcp", "0"},
                new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            assertArrayEquals(new String[] {"--port", "3001", "--tcp", "0"}, rest);
            assertTrue(said.toString(StandardCharsets.UTF_8).contains(file.toAbsolutePath().toString()), said.toString());
            assertTrue(FlightRecorder.getFlightRecorder().getRecordings().stream()
                    .anyMatch(r -> r.getName().equals("eddy") && file.equals(r.getDestination())), "a recording to " + file + " runs");
            assertArrayEquals(new String[] {"--port", "3001"}, FlightRecording.fromArgs(new String[] {"--port", "3001"}, System.out));
        } finally {
            FlightRecorder.getFlightRecorder().getRecordings().stream().filter(r -> file.equals(r.getDestination()))
                    .forEach(Recording::close);
        }
    }

    @Test
    void aRecordingAroundACallHoldsItsEventsAndAllocationSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("call.jfr");
        Recording recording = FlightRecording.start(file);
        try (ExampleServer server = ExampleServer.Kind.HTTP_POST.start(ServerOptions.loopback());
             HttpClient http = HttpClient.newHttpClient();
             JoiningPeer peer = JoiningPeer.withChannel()) {
            assertEquals(200, peer.join(http, server.url()).statusCode(), server.printed());
            assertTrue(JoiningPeer.await(() -> peer.connected() && peer.channelsOpen() == 1, Duration.ofSeconds(30)),
                    server.printed());
        }
        recording.stop(); // writes the destination, as the JVM's exit does for a server
        recording.close();
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> handshakes = events.stream().filter(e -> e.getEventType().getName().equals("io.eddyrtc.DtlsHandshake"))
                .toList();
        assertEquals(Set.of("client", "server"), handshakes.stream().map(e -> e.getString("role")).collect(Collectors.toSet()),
                "the client's and the server's handshake: " + handshakes);
        assertTrue(handshakes.stream().allMatch(e -> e.getString("outcome").equals("connected")), handshakes.toString());
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.eddyrtc.IceState")
                && e.getString("state").equals("CONNECTED")));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample")
                && e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty()), "allocation samples with stacks");
        assertTrue(Files.size(file) > 0);
    }
}
