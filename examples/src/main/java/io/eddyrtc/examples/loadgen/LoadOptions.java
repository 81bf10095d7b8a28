package io.eddyrtc.examples.loadgen;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@code ./eddy loadgen} runs: against which server, how many rooms of one publisher and how many players, what
 * the publishers send, how long each phase lasts, and where the reports go.
 *
 * @param url                  the server's base URL: publishers POST to {@code URL/whip/ROOM}, players to {@code URL/whep/ROOM}
 * @param roomPrefix           rooms are named {@code PREFIX1}, {@code PREFIX2}, ...
 * @param rooms                rooms, each with one publisher
 * @param players              players per room
 * @param videoBitsPerSecond   video bitrate of the top layer
 * @param fps                  video frames per second
 * @param keyframeIntervalSecs seconds between keyframes (a keyframe asked for by the server comes at once too)
 * @param audioBitsPerSecond   Opus-shaped audio bitrate (a frame every 20 ms)
 * @param simulcast            three video layers (a quarter of the bitrate each step down) instead of one
 * @param rampUpSecs           the peers join spread over this time, publishers first
 * @param warmupSecs           after the last join, time not measured: every peer connected and both processes' JIT done
 * @param steadySecs           the measured window
 * @param rampDownSecs         the peers leave spread over this time, players first
 * @param threads              client threads the peers are spread over
 * @param token                the bearer token, or null
 * @param out                  the directory reports are written to
 * @param label                the run's name in file names and plots
 * @param sfuPid               the server's process id, whose CPU time is read from {@code /proc}; 0 for none
 * @param seed                 the seed of the frame sizes
 * @param heldPlayers          players per room whose way in passes a bottleneck (the first ones to join)
 * @param heldBitsPerSecond    the bottleneck's rate
 */
public record LoadOptions(URI url, String roomPrefix, int rooms, int players, long videoBitsPerSecond, int fps,
                          int keyframeIntervalSecs, long audioBitsPerSecond, boolean simulcast, int rampUpSecs, int warmupSecs, int steadySecs,
                          int rampDownSecs, int threads, String token, Path out, String label, long sfuPid, long seed, int heldPlayers,
                          long heldBitsPerSecond) {

    public LoadOptions {
        if (url == null || url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException("--url needs a server's base URL, e.g. http://127.0.0.1:3000\n" + usage());
        }
        if (rooms < 1 || players < 0 || fps < 1 || fps > 120 || threads < 1 || steadySecs < 1 || rampUpSecs < 0 || warmupSecs < 0 || rampDownSecs < 0
                || keyframeIntervalSecs < 1 || videoBitsPerSecond < 10_000 || audioBitsPerSecond < 6_000) {
            throw new IllegalArgumentException("rooms >= 1, players >= 0, fps 1-120, threads >= 1, steady >= 1 s, ramps and warm-up >= 0 s, "
                    + "keyframe interval >= 1 s, video >= 10 kbit/s, audio >= 6 kbit/s\n" + usage());
        }
        if (heldPlayers < 0 || heldPlayers > players || heldBitsPerSecond < 0) {
            throw new IllegalArgumentException("--held-players is 0 to --players, --held-kbps 0 or more\n" + usage());
        }
    }

    /**
     * One room, ten players, 1 Mbit/s at 30 fps, a keyframe every 2 s, 32 kbit/s audio, 5 s up, 5 s warm-up, 20 s steady,
     * 3 s down.
     */
    public static LoadOptions defaults(URI url) {
        return new LoadOptions(url, "room", 1, 10, 1_000_000, 30, 2, 32_000, false, 5, 5, 20, 3,
                Math.max(1, Runtime.getRuntime().availableProcessors()), null, Path.of("loadgen-results"), "run", 0, 1, 0, 0);
    }

    public static String usage() {
        return """
                usage: ./eddy loadgen --url http://HOST:PORT [--rooms 1] [--players 10] [--video-kbps 1000] [--fps 30]
                                      [--keyframe-interval 2] [--audio-kbps 32] [--simulcast] [--ramp-up 5] [--warmup 5]
                                      [--steady 20] [--ramp-down 3] [--threads CORES] [--token SECRET] [--room-prefix room] [--out DIR]
                                      [--label run] [--sfu-pid PID] [--seed 1] [--held-players 0 --held-kbps KBPS] [--jfr FILE]
                       ./eddy loadgen compare A.hgrm B.hgrm ... [--out plot.svg]""";
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming what is wrong, with the usage
     */
    public static LoadOptions parse(String[] args) {
        String url = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--url")) {
                url = args[i + 1];
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required\n" + usage());
        }
        LoadOptions o = defaults(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--simulcast")) {
                o = o.with(b -> b.simulcast = true);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + usage());
            }
            String v = args[++i];
            try {
                o = switch (option) {
                    case "--url" -> o;
                    case "--rooms" -> o.with(b -> b.rooms = Integer.parseInt(v));
                    case "--players" -> o.with(b -> b.players = Integer.parseInt(v));
                    case "--video-kbps" -> o.with(b -> b.video = Long.parseLong(v) * 1000);
                    case "--fps" -> o.with(b -> b.fps = Integer.parseInt(v));
                    case "--keyframe-interval" -> o.with(b -> b.keyframe = Integer.parseInt(v));
                    case "--audio-kbps" -> o.with(b -> b.audio = Long.parseLong(v) * 1000);
                    case "--ramp-up" -> o.with(b -> b.up = Integer.parseInt(v));
                    case "--warmup" -> o.with(b -> b.warmup = Integer.parseInt(v));
                    case "--steady" -> o.with(b -> b.steady = Integer.parseInt(v));
                    case "--ramp-down" -> o.with(b -> b.down = Integer.parseInt(v));
                    case "--threads" -> o.with(b -> b.threads = Integer.parseInt(v));
                    case "--token" -> o.with(b -> b.token = v);
                    case "--room-prefix" -> o.with(b -> b.prefix = v);
                    case "--out" -> o.with(b -> b.out = Path.of(v));
                    case "--label" -> o.with(b -> b.label = v);
                    case "--sfu-pid" -> o.with(b -> b.pid = Long.parseLong(v));
                    case "--seed" -> o.with(b -> b.seed = Long.parseLong(v));
                    case "--held-players" -> o.with(b -> b.held = Integer.parseInt(v));
                    case "--held-kbps" -> o.with(b -> b.heldRate = Long.parseLong(v) * 1000);
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + usage());
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a number: " + v + "\n" + usage());
            }
        }
        if (o.heldPlayers() > 0 && o.heldBitsPerSecond() < 10_000) {
            throw new IllegalArgumentException("held players need --held-kbps of 10 or more\n" + usage());
        }
        return o;
    }

    /** Every peer: one publisher and the players, per room. */
    public int peers() {
        return rooms * (1 + players);
    }

    /** A copy with what {@code change} sets. */
    public LoadOptions with(java.util.function.Consumer<Fields> change) {
        Fields b = new Fields(this);
        change.accept(b);
        return new LoadOptions(url, b.prefix, b.rooms, b.players, b.video, b.fps, b.keyframe, b.audio, b.simulcast, b.up, b.warmup, b.steady,
                b.down, b.threads, b.token, b.out, b.label, b.pid, b.seed, b.held, b.heldRate);
    }

    /** The settable fields of a copy ({@link #with}). */
    public static final class Fields {
        public String prefix;
        public int rooms;
        public int players;
        public long video;
        public int fps;
        public int keyframe;
        public long audio;
        public boolean simulcast;
        public int up;
        public int warmup;
        public int steady;
        public int down;
        public int threads;
        public String token;
        public Path out;
        public String label;
        public long pid;
        public long seed;
        public int held;
        public long heldRate;

        Fields(LoadOptions o) {
            prefix = o.roomPrefix;
            rooms = o.rooms;
            players = o.players;
            video = o.videoBitsPerSecond;
            fps = o.fps;
            keyframe = o.keyframeIntervalSecs;
            audio = o.audioBitsPerSecond;
            simulcast = o.simulcast;
            up = o.rampUpSecs;
            warmup = o.warmupSecs;
            steady = o.steadySecs;
            down = o.rampDownSecs;
            threads = o.threads;
            token = o.token;
            out = o.out;
            label = o.label;
            pid = o.sfuPid;
            seed = o.seed;
            held = o.heldPlayers;
            heldRate = o.heldBitsPerSecond;
        }
    }
}
