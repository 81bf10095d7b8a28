package io.eddyrtc.examples.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * {@code --jfr FILE}: a JFR recording for the life of the process, written to {@code FILE} when it ends. The settings
 * are eddy's ({@value #SETTINGS} on the class path) where they exist, else JFR's own "profile".
 */
public final class FlightRecording implements AutoCloseable {
    static final String SETTINGS = "/io/eddyrtc/examples/eddy.jfc";

    private final Recording recording;
    private final Path file;
    private final String settings;

    private FlightRecording(Recording recording, Path file, String settings) {
        this.recording = recording;
        this.file = file;
        this.settings = settings;
    }

    /** Starts recording into {@code file} (written on {@link #close()}). */
    public static FlightRecording start(Path file) throws IOException, ParseException {
        Configuration configuration;
        String settings;
        try (InputStream in = FlightRecording.class.getResourceAsStream(SETTINGS)) {
            if (in != null) {
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    configuration = Configuration.create(reader);
                }
                settings = "eddy.jfc";
            } else {
                configuration = Configuration.getConfiguration("profile");
                settings = "JFR's profile settings";
            }
        }
        Recording recording = new Recording(configuration);
        recording.setName("eddy");
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
        return new FlightRecording(recording, file, settings);
    }

    /** Starts a recording that is written when the JVM exits, and says so on standard output. */
    public static void untilExit(Path file) throws IOException, ParseException {
        FlightRecording recording = start(file);
        System.out.println("  recording JFR (" + recording.settings + ") to " + file + " on exit");
        Runtime.getRuntime().addShutdownHook(new Thread(recording::close, "jfr-dump"));
    }

    /** Stops the recording and writes the file. */
    @Override
    public void close() {
        if (recording.getState() == RecordingState.RUNNING) {
            recording.stop(); // with a destination set, stop writes the file
        } // else the JVM is exiting and JFR's own hook stopped it first, which wrote it too
        recording.close();
        System.out.println("JFR recording written to " + file);
    }
}
