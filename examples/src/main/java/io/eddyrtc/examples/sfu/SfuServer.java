package io.eddyrtc.examples.sfu;

import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.RtcConfig;
import io.eddyrtc.engine.bwe.LayerForwarding;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.Rid;
import io.eddyrtc.engine.sdp.SdpConfig;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.examples.httppost.SignalingServer;
import io.eddyrtc.examples.httppost.SignalingServer.Refusal;
import io.eddyrtc.examples.jfr.FlightRecording;
import io.eddyrtc.examples.sfu.WhipServer.Created;
import io.eddyrtc.examples.sfu.WhipServer.Role;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.net.RtcLoop;
import io.eddyrtc.net.RtcLoopConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code ./eddy sfu}: a selective forwarding unit that the tools of the field can drive — WHIP (RFC 9725) publishes
 * into a room, WHEP plays it ({@link WhipServer} for the HTTP side). A room has one publisher and any number of
 * players; each player gets the publisher's audio and the video layer its own send-side bandwidth estimate holds
 * ({@link Room}; congestion control is on for players, off for publishers, which only receive). Every peer runs on one UDP
 * socket and one thread (an {@link RtcLoop}), in RTP mode: packets are forwarded with SSRC, payload type, sequence
 * number and timestamp rewritten, without depacketizing and without allocating. A player that connects gets a
 * keyframe asked of the publisher for it. One DTLS certificate serves every peer.
 */
public final class SfuServer implements AutoCloseable {
    /** Every player's estimate starts here (as str0m's and libwebrtc's), and probes find more. */
    static final long INITIAL_ESTIMATE_BPS = 300_000;

    private final SfuOptions options;
    private final PrintStream log;
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
    private final SecureRandom ids = new SecureRandom();
    private final RtcLoop<Session> loop;
    private final WhipServer http;
    // touched only on the loop thread
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private long forwardedByGoneRooms;
    private int joined;

    private SfuServer(SfuOptions options, PrintStream log) throws IOException {
        this.options = options;
        this.log = log;
        this.loop = RtcLoop.start(RtcLoopConfig.builder(new InetSocketAddress(options.server().hostIp(), 0)).name("sfu-loop")
                .limits(options.server().limits()).tcp(options.server().tcp()).build(), new RtcLoop.Peers<>() {
                    @Override
                    public void onEvent(Session s, Event e) {
                        SfuServer.this.onEvent(s, e);
                    }

                    @Override
                    public void onRemoved(Session s, RtcLoop.Departure departure) {
                        leave(s, departure);
                    }
                });
        try {
            this.http = WhipServer.start(options.server().http(), options.server().tls(), options.token(), new WhipServer.Sessions() {
                @Override
                public Created create(Role role, String room, SdpOffer offer) throws Exception {
                    return loop.call(() -> join(role, room, offer));
                }

                @Override
                public boolean end(String room, String id) throws Exception {
                    return loop.call(() -> SfuServer.this.end(room, id));
                }

                @Override
                public void trickle(String room, String id, TrickleFragment fragment) throws Exception {
                    loop.call(() -> {
                        SfuServer.this.trickle(room, id, fragment);
                        return null;
                    });
                }
            });
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    public static SfuServer start(SfuOptions options, PrintStream log) throws IOException {
        return new SfuServer(options, log);
    }

    /** {@code http://HOST:PORT}: publish to {@code /whip/ROOM}, play {@code /whep/ROOM}. */
    public String url() {
        return http.url();
    }

    /** The loop every peer runs on, for its counters. */
    public RtcLoop<?> loop() {
        return loop;
    }

    /** Peers on the loop, publishers and players. */
    public int peers() {
        return loop.size();
    }

    /** RTP packets written to players since the start. */
    public long forwarded() throws Exception {
        return loop.call(() -> {
            long sum = forwardedByGoneRooms;
            for (Room r : rooms.values()) {
                sum += r.forwarded();
            }
            return sum;
        });
    }

    private Created join(Role role, String roomName, SdpOffer offer) throws Refusal {
        if (!loop.hasRoom()) {
            throw new Refusal(503, "the server is full (" + options.server().limits().maxPeers() + " peers); try again later");
        }
        Room room = rooms.computeIfAbsent(roomName, Room::new);
        if (role == Role.PUBLISH && room.publisher != null) {
            throw new Refusal(409, "room " + roomName + " has a publisher; DELETE its session first or publish to another room");
        }
        String id = HexFormat.of().formatHex(randomId());
        String ufrag = iceUfrag(offer.toSdp());
        Session[] made = new Session[1];
        String answer;
        try {
            RtcConfig.Builder builder = Rtc.builder().certificate(certificate).ice(options.server().ice()).rtpMode(true)
                    .sdp(new SdpConfig().answerPassive(true));
            if (role == Role.PLAY) {
                builder.enableBwe(INITIAL_ESTIMATE_BPS);
            }
            answer = loop.join(builder, offer, rtc -> {
                        made[0] = new Session(id, ++joined, role, room, rtc, ufrag);
                        return made[0];
                    }).toSdp();
        } catch (RuntimeException e) {
            if (room.isEmpty()) {
                rooms.remove(roomName);
            }
            throw e;
        }
        Session s = made[0];
        sessions.put(id, s);
        if (role == Role.PUBLISH) {
            room.publish(s);
        } else {
            room.players.add(s);
        }
        log.printf("[sfu] %s joined (%d peers)%n", s, loop.size());
        return new Created(id, answer);
    }

    private byte[] randomId() {
        byte[] id = new byte[16];
        ids.nextBytes(id);
        return id;
    }

    private boolean end(String roomName, String id) {
        Session s = sessions.get(id);
        if (s == null || !s.room.name.equals(roomName)) {
            return false;
        }
        loop.remove(s, "its client ended the session (DELETE)");
        return true;
    }

    private void trickle(String roomName, String id, TrickleFragment fragment) throws Refusal {
        Session s = sessions.get(id);
        if (s == null || !s.room.name.equals(roomName)) {
            throw new Refusal(404, "no session " + id + " in room " + roomName);
        }
        if (fragment.ufrag() != null && !fragment.ufrag().equals(s.remoteUfrag)) {
            throw new Refusal(422, "the fragment's ICE credentials differ from the session's: ICE restarts are not supported, "
                    + "start a new session instead");
        }
        for (Candidate c : fragment.candidates()) {
            s.rtc.addRemoteCandidate(c);
        }
        if (fragment.end()) {
            s.rtc.endOfRemoteCandidates();
        }
    }

    private void onEvent(Session s, Event e) {
        switch (e) {
            case Event.RtpPacket p -> {
                if (s.room.publisher == s) {
                    s.room.forward(p, p.arrivedAtNanos());
                }
            }
            case Event.MediaAdded a -> added(s, a);
            case Event.Connected c -> {
                s.connected = true;
                log.printf("[sfu] %s connected%n", s);
                if (s.role == Role.PLAY) {
                    s.room.requestKeyframe(System.nanoTime(), -1, true);
                }
            }
            case Event.EgressBitrateEstimate b when s.role == Role.PLAY -> {
                s.budget.setEstimate(b.bitsPerSecond());
                s.shareBudget(System.nanoTime());
            }
            case Event.KeyframeRequest k -> {
                if (s.role == Role.PLAY) { // of the layer it gets (every layer before it has one)
                    LayerForwarding layers = s.video != null ? s.video.layers() : null;
                    s.room.requestKeyframe(System.nanoTime(), layers != null ? layers.current() : -1, false);
                }
            }
            default -> { }
        }
    }

    /** An m-line of the session's: what a publisher sends on, or what a player receives the room's tracks on. */
    private void added(Session s, Event.MediaAdded a) {
        if (s.role == Role.PUBLISH && a.direction().isReceiving()) {
            if (a.kind() == MediaKind.VIDEO && s.videoMid == null) {
                s.videoMid = a.mid();
                List<String> rids = s.rtc.media(a.mid()).receiveRids().stream().map(Rid::value).toList();
                s.room.publishVideo(rids);
                if (!rids.isEmpty()) {
                    log.printf("[sfu] %s sends video as simulcast layers %s%n", s, String.join(" ", rids));
                }
            } else if (a.kind() == MediaKind.AUDIO && s.audioMid == null) {
                s.audioMid = a.mid();
            }
        } else if (s.role == Role.PLAY && a.direction() == Direction.SEND_ONLY) {
            Outbound out = new Outbound(s.rtc.media(a.mid()));
            if (a.kind() == MediaKind.VIDEO && s.video == null) {
                s.video = out;
            } else if (a.kind() == MediaKind.AUDIO && s.audio == null) {
                s.audio = out;
            }
        }
    }

    private void leave(Session s, RtcLoop.Departure departure) {
        sessions.remove(s.id);
        Room room = s.room;
        if (room.publisher == s) {
            room.publisher = null;
        }
        room.players.remove(s);
        if (room.isEmpty()) {
            forwardedByGoneRooms += room.forwarded();
            rooms.remove(room.name);
        }
        log.printf("[sfu] %s left: %s%s (%d peers)%n", s, departure.reason(),
                departure.sendErrors() > 0 ? ", " + departure.sendErrors() + " datagrams could not be sent" : "", sessions.size());
    }

    /** Stops serving; every peer is removed. */
    @Override
    public void close() {
        http.close();
        try {
            log.println("[sfu] socket: " + loop.udpStats());
        } catch (Exception e) {
            log.println("[sfu] socket counters unavailable: " + e);
        }
        loop.close();
    }

    /** The {@code a=ice-ufrag} of a description (session level or the first m-line), or null. */
    static String iceUfrag(String sdp) {
        int at = sdp.indexOf("a=ice-ufrag:");
        if (at < 0) {
            return null;
        }
        int end = at;
        while (end < sdp.length() && sdp.charAt(end) != '\r' && sdp.charAt(end) != '\n') {
            end++;
        }
        return sdp.substring(at + "a=ice-ufrag:".length(), end).strip();
    }

    public static void main(String[] args) throws Exception {
        SfuOptions options;
        try {
            options = SfuOptions.parse(FlightRecording.fromArgs(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SignalingServer.limitConnections();
        SfuServer server = start(options, System.out);
        String base = server.url();
        System.out.printf("eddy sfu: publish by WHIP to %s/whip/ROOM, play by WHEP from %s/whep/ROOM (a page at %s/)%n", base,
                base, base);
        System.out.print(options.server().describe());
        System.out.println("  " + (options.token() == null ? "no token: anyone who reaches the port may publish and play"
                : "every request must carry 'Authorization: Bearer " + "<the --token>'"));
        System.out.println("  pid " + ProcessHandle.current().pid() + " (loadgen --sfu-pid reads its CPU time)");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
