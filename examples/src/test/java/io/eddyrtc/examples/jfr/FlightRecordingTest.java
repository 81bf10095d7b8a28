package io.eddyrtc.examples.jfr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --jfr FILE}: a recording that JFR's own reader opens, written when it is closed. */
class FlightRecordingTest {

    @Test
    void closingWritesARecordingJfrCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jfr");
        try (FlightRecording recording = FlightRecording.start(file)) {
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < 64; i++) {
                garbage[i] = new byte[64 * 1024]; // something to record
            }
            assertTrue(garbage[63].length > 0);
        }
        assertTrue(Files.size(file) > 0, "written on close");
        assertTrue(RecordingFile.readAllEvents(file).size() > 0, "JFR reads its events back");
    }
}
