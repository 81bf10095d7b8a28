package io.eddyrtc.examples.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The examples' {@code --jfr FILE}: a JDK Flight Recorder recording of the whole run with the JDK's default settings
 * and {@code eddy.jfc} over them (eddy's events, allocation samples with stacks), written to {@code FILE} when the
 * JVM exits — Ctrl-C included. Servers call {@link #fromArgs} first thing in {@code main}.
 */
public final class FlightRecording {
    /** eddy's settings, laid over the JDK's default ones. */
    public static final String SETTINGS = "/io/eddyrtc/examples/eddy.jfc";
    private static final String OPTION = "--jfr";

    private FlightRecording() {
    }

    /** The usage of the option, for a command's usage line. */
    public static String usage() {
        return "[" + OPTION + " FILE]";
    }

    /**
     * Starts a recording to the file after {@code --jfr} if {@code args} has one, telling {@code out} so, and
     * returns the other arguments for the command's own parsing. For {@code main}: a {@code --jfr} without a file
     * is said on stderr and exits with code 2.
     */
    public static String[] fromArgs(String[] args, PrintStream out) {
        List<String> rest = new ArrayList<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals(OPTION)) {
                rest.add(args[i]);
            } else if (i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else {
                System.err.println(OPTION + " needs a file to write the recording to, e.g. --jfr eddy.jfr");
                System.exit(2);
            }
        }
        if (file != null) {
            start(file);
            out.printf("  JFR: recording eddy's events and allocation samples; written to %s when the server stops%n",
                    file.toAbsolutePath());
        }
        return rest.toArray(String[]::new);
    }

    /** Starts recording the whole JVM with {@link #settings()}; the recording is written to {@code file} at exit. */
    public static Recording start(Path file) {
        Recording recording = new Recording(settings());
        recording.setName("eddy");
        recording.setToDisk(true);
        try {
            recording.setDestination(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a flight recording to " + file + "; pass a writable path to --jfr", e);
        }
        recording.setDumpOnExit(true);
        recording.start();
        return recording;
    }

    /** The JDK's default settings with {@code eddy.jfc}'s over them. */
    public static Map<String, String> settings() {
        try (InputStream in = FlightRecording.class.getResourceAsStream(SETTINGS)) {
            if (in == null) {
                throw new IllegalStateException(SETTINGS + " is missing from the class path; rebuild the examples");
            }
            Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                settings.putAll(Configuration.create(reader).getSettings());
            }
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JFR settings " + SETTINGS, e);
        } catch (ParseException e) {
            throw new IllegalStateException("the JFR settings " + SETTINGS + " do not parse: " + e.getMessage(), e);
        }
    }
}
