package io.eddyrtc.buffers.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder recording of the named events for a test: started on creation, and read back (dumped to
 * a temporary file, parsed, the file deleted) by {@link #stop()}, so a test asserts on what a recording of a real
 * run holds. Events committed on the test's own thread are all in it once it stops.
 */
public final class FlightRecordings implements AutoCloseable {
    private final Recording recording = new Recording();
    private final List<String> eventNames;

    private FlightRecordings(List<String> eventNames) {
        this.eventNames = eventNames;
        for (String name : eventNames) {
            recording.enable(name); // by name: an event class need not be loaded yet
        }
        recording.start();
    }

    /** Records the events named (such as {@code io.eddyrtc.IceState}) from now on. */
    public static FlightRecordings start(String... eventNames) {
        return new FlightRecordings(List.of(eventNames));
    }

    /**
     * Stops the recording and gives its events of the types named at the start (JFR adds its own), in the order of
     * the file (by time within each thread).
     */
    public List<RecordedEvent> stop() {
        recording.stop();
        try {
            Path file = Files.createTempFile("eddy-test", ".jfr");
            try {
                recording.dump(file);
                return RecordingFile.readAllEvents(file).stream()
                        .filter(e -> eventNames.contains(e.getEventType().getName())).toList();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not dump or read the test's flight recording", e);
        }
    }

    /** The events of {@code events} named {@code name}. */
    public static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Override
    public void close() {
        recording.close();
    }
}
