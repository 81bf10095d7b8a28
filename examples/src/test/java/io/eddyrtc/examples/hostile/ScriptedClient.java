package io.eddyrtc.examples.hostile;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.crypto.dtls.DtlsConfig;
import io.eddyrtc.crypto.dtls.DtlsEndpoint;
import io.eddyrtc.crypto.dtls.DtlsEvent;
import io.eddyrtc.crypto.dtls.Fingerprint;
import io.eddyrtc.examples.httppost.ExampleServer;
import io.eddyrtc.examples.httppost.Json;
import io.eddyrtc.ice.Candidate;
import io.eddyrtc.ice.IceAgent;
import io.eddyrtc.ice.IceConfig;
import io.eddyrtc.ice.IceConnectionState;
import io.eddyrtc.ice.IceEvent;
import io.eddyrtc.ice.StunTransmit;
import io.eddyrtc.sctp.DataChannelEvent;
import io.eddyrtc.sctp.DataChannels;
import io.eddyrtc.sctp.SctpAssociation;
import io.eddyrtc.sctp.SctpConfig;
import io.eddyrtc.sctp.SctpEvent;
import io.eddyrtc.sctp.SctpTransmit;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A WebRTC client assembled from eddy's own layers — an {@link IceAgent}, a {@link DtlsEndpoint} and an
 * {@link SctpAssociation} with {@link DataChannels} — on a loopback socket of its own. It joins an example
 * server as a browser does (its own SDP offer, POSTed; ICE-controlling, the DTLS client, the one that sends
 * SCTP INIT), and since it holds the keys and the association's tags it can then send what no browser
 * would, inside real DTLS records: a DCEP OPEN on a channel that is already open, DATA chunks without user
 * data.
 *
 * <p>Its layers run on a thread of its own; tests hand it work with {@link #call} and read what it saw
 * through the thread-safe accessors.
 */
final class ScriptedClient implements AutoCloseable {
    private static final int SCTP_PORT = 5000;
    private static final int PPID_DCEP = 50;
    private static final int DCEP_OPEN = 0x03;
    private static final long MAX_WAIT_MILLIS = 20;

    private final DatagramChannel socket;
    private final Selector selector;
    private final InetSocketAddress local;
    private final IceAgent ice = new IceAgent(IceConfig.defaults(), true, new SecureRandom(), new SplittableRandom(11));
    private final DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom());
    private final DtlsEndpoint dtls = new DtlsEndpoint(DtlsConfig.defaults(), certificate, true, new SecureRandom(), new SplittableRandom(12));
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(2048);
    private final MemorySegment receiveSegment = MemorySegment.ofBuffer(receiveBuffer);
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private SctpAssociation sctp;
    private DataChannels channels;
    private boolean dtlsStarted;
    private long peerTag = -1;   // the server's verification tag, read from the packets our association sends
    private long lastTsn = -1;   // the last TSN our association gave a DATA chunk
    private Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    private ScriptedClient() throws IOException {
        socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        socket.configureBlocking(false);
        local = (InetSocketAddress) socket.getLocalAddress();
        selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        ice.addLocalCandidate(Candidate.host(local));
    }

    /**
     * POSTs this client's offer (one data channel m-line) to {@code server}, applies the answer and starts
     * connecting. Fails when the server does not answer 200.
     */
    static ScriptedClient join(HttpClient http, ExampleServer server) throws Exception {
        ScriptedClient client = new ScriptedClient();
        try {
            HttpResponse<String> response = server.post(http, client.offerJson());
            if (response.statusCode() != 200) {
                throw new AssertionError("the server refused the scripted client's offer: " + response.statusCode() + " " + response.body());
            }
            client.applyAnswer(Json.string(response.body(), "sdp"));
            client.thread = Thread.ofPlatform().name("scripted-client").start(client::run);
            return client;
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** The offer a browser with one data channel would send: our ICE credentials, fingerprint and one host candidate. */
    private String offerJson() {
        String sdp = String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + ice.localUfrag(),
                "a=ice-pwd:" + ice.localPassword(),
                "a=fingerprint:" + certificate.fingerprint().toSdpValue(),
                "a=setup:actpass",
                "a=mid:0",
                "a=sctp-port:" + SCTP_PORT,
                "a=max-message-size:262144",
                "a=" + Candidate.host(local).toSdpString(),
                "a=end-of-candidates",
                "");
        return "{\"type\":\"offer\",\"sdp\":\"" + sdp.replace("\r\n", "\\r\\n") + "\"}";
    }

    /** The server's ICE credentials, candidates and fingerprint; it must answer DTLS-passive, as both examples do. */
    private void applyAnswer(String sdp) {
        String ufrag = null;
        String pwd = null;
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring("a=ice-pwd:".length());
            } else if (line.startsWith("a=fingerprint:")) {
                dtls.setRemoteFingerprint(Fingerprint.parse(line.substring("a=fingerprint:".length())));
            } else if (line.startsWith("a=candidate:")) {
                ice.addRemoteCandidate(Candidate.parse(line));
            } else if (line.equals("a=ice-lite")) {
                ice.setRemoteLite(true);
            } else if (line.startsWith("a=setup:") && !line.equals("a=setup:passive")) {
                throw new AssertionError("the scripted client is the DTLS client; the server answered " + line);
            }
        }
        if (ufrag == null || pwd == null) {
            throw new AssertionError("the answer has no ICE credentials:\n" + sdp);
        }
        ice.setRemoteCredentials(ufrag, pwd);
        ice.endOfRemoteCandidates();
    }

    // ---------------------------------------------------------------- what the test sees

    /** ICE, DTLS and SCTP are up. */
    boolean connected() {
        return events.stream().anyMatch(e -> e instanceof SctpEvent.Connected);
    }

    /** The channels the server acknowledged (DCEP ACK) or opened, in order. */
    List<DataChannelEvent.Open> opened() {
        return events.stream().filter(e -> e instanceof DataChannelEvent.Open).map(e -> (DataChannelEvent.Open) e).toList();
    }

    /** Messages received on data channels, in order. */
    List<DataChannelEvent.Message> messages() {
        return events.stream().filter(e -> e instanceof DataChannelEvent.Message).map(e -> (DataChannelEvent.Message) e).toList();
    }

    /** The association ended (ABORT, SHUTDOWN or too many retransmissions), or null while it is up. */
    SctpEvent.Closed sctpClosed() {
        return events.stream().filter(e -> e instanceof SctpEvent.Closed).map(e -> (SctpEvent.Closed) e).findFirst().orElse(null);
    }

    /** Everything the layers reported, for failure messages. */
    String transcript() {
        return events + (failure == null ? "" : " failure: " + failure);
    }

    /** What went wrong on the client's thread, or null. */
    Throwable failure() {
        return failure;
    }

    // ---------------------------------------------------------------- what the test makes it do (on its thread)

    /** Runs {@code task} on the client's thread (which owns every layer) and returns its result. */
    <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        tasks.add(future);
        selector.wakeup();
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Something to do on the client's thread. */
    interface Step {
        void run() throws Exception;
    }

    /** Does {@code step} on the client's thread and waits until it is done. */
    void run(Step step) throws Exception {
        call(() -> {
            step.run();
            return null;
        });
    }

    /** Opens a data channel the way a browser does (DCEP OPEN, waits for the ACK); returns its id. On the client's thread. */
    int openChannel(String label) {
        int id = channels.open(System.nanoTime(), label, "", true);
        flush(System.nanoTime());
        return id;
    }

    /** Sends {@code text} on channel {@code id}. On the client's thread. */
    void sendText(int id, String text) {
        channels.sendText(System.nanoTime(), id, text);
        flush(System.nanoTime());
    }

    /**
     * Sends a DATA_CHANNEL_OPEN for {@code label} on stream {@code id} as an ordinary SCTP message, whatever
     * the stream's state: on an open channel it is a re-OPEN no browser sends. On the client's thread.
     */
    void sendDcepOpen(int id, String label) {
        byte[] name = label.getBytes(StandardCharsets.UTF_8);
        byte[] open = new byte[12 + name.length];
        open[0] = DCEP_OPEN;          // channel type 0 (reliable, ordered), priority 0, reliability parameter 0
        BigEndian.putU16(open, 8, name.length);
        System.arraycopy(name, 0, open, 12, name.length);
        sctp.send(System.nanoTime(), id, PPID_DCEP, open, true);
        flush(System.nanoTime());
    }

    /**
     * Sends {@code datagrams} SCTP packets of {@code chunksEach} DATA chunks without user data (RFC 9260
     * §6.2 says to abort on one), on stream {@code stream}, under the server's verification tag and with
     * the TSNs that follow our association's, each packet in a DTLS record of its own. On the client's thread.
     */
    void floodZeroLengthData(int datagrams, int chunksEach, int stream) throws IOException {
        if (peerTag < 0 || lastTsn < 0) {
            throw new IllegalStateException("open a channel first: the association's tag and TSN are read from what it sent");
        }
        long tsn = lastTsn;
        for (int d = 0; d < datagrams; d++) {
            byte[] packet = new byte[12 + 16 * chunksEach];
            BigEndian.putU16(packet, 0, SCTP_PORT);
            BigEndian.putU16(packet, 2, SCTP_PORT);
            BigEndian.putU32(packet, 4, peerTag);
            for (int c = 0; c < chunksEach; c++) {
                int at = 12 + 16 * c;
                tsn = (tsn + 1) & 0xFFFF_FFFFL;
                packet[at] = 0;                               // DATA
                packet[at + 1] = 0x03;                        // B and E: a whole message...
                BigEndian.putU16(packet, at + 2, 16);         // ...of no bytes: the header alone
                BigEndian.putU32(packet, at + 4, tsn);
                BigEndian.putU16(packet, at + 8, stream);
                BigEndian.putU32(packet, at + 12, 53);        // binary
            }
            CRC32C crc = new CRC32C();
            crc.update(packet, 0, packet.length);
            long sum = crc.getValue();
            for (int i = 0; i < 4; i++) {
                packet[8 + i] = (byte) (sum >>> (8 * i));    // SCTP writes its CRC32c least significant byte first
            }
            dtls.send(System.nanoTime(), packet, 0, packet.length);
            sendDtls();
        }
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        try {
            while (!stop) {
                for (FutureTask<?> task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                long now = System.nanoTime();
                runTimers(now);
                flush(now);
                receiveBuffer.clear();
                InetSocketAddress from = (InetSocketAddress) socket.receive(receiveBuffer);
                if (from == null && selector.select(waitMillis(System.nanoTime())) > 0) {
                    selector.selectedKeys().clear();
                    from = (InetSocketAddress) socket.receive(receiveBuffer);
                }
                if (from != null) {
                    receive(System.nanoTime(), from);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private long waitMillis(long now) {
        long deadline = Math.min(ice.nextDeadline(), dtls.nextDeadline());
        if (sctp != null) {
            deadline = Math.min(deadline, sctp.nextDeadline());
        }
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
        return left <= 0 ? 1 : Math.min(MAX_WAIT_MILLIS, (left + 999_999) / 1_000_000);
    }

    private void runTimers(long now) {
        if (now >= ice.nextDeadline()) {
            ice.handleTimeout(now);
        }
        if (dtlsStarted && now >= dtls.nextDeadline()) {
            dtls.handleTimeout(now);
        }
        if (sctp != null && now >= sctp.nextDeadline()) {
            sctp.handleTimeout(now);
        }
    }

    private void receive(long now, InetSocketAddress from) {
        int length = receiveBuffer.position();
        if (!ice.handleReceive(now, from, local, receiveSegment, 0, length)) {
            int first = Byte.toUnsignedInt(receiveBuffer.get(0));
            if (first >= 20 && first <= 63 && dtlsStarted) {   // RFC 7983: DTLS
                byte[] bytes = new byte[length];
                receiveBuffer.get(0, bytes);
                dtls.handleReceive(now, from, bytes);
            }
        }
        flush(now);
    }

    /** Moves every layer's output on: ICE datagrams out, DTLS started once ICE is up, SCTP in and out of DTLS records. */
    private void flush(long now) {
        for (StunTransmit t; (t = ice.pollTransmit()) != null; ) {
            send(t.segment().asSlice(0, t.length()).asByteBuffer(), t.destination());
        }
        for (IceEvent e; (e = ice.pollEvent()) != null; ) {
            events.add(e);
            if (e instanceof IceEvent.StateChanged s && !dtlsStarted
                    && (s.state() == IceConnectionState.CONNECTED || s.state() == IceConnectionState.COMPLETED)) {
                dtlsStarted = true;
                dtls.start(now);
            }
        }
        for (DtlsEvent e; (e = dtls.pollEvent()) != null; ) {
            switch (e) {
                case DtlsEvent.Connected c -> {
                    events.add(e);
                    if (c.srtp() != null) {
                        c.srtp().destroy(); // no media here
                    }
                    sctp = new SctpAssociation(SctpConfig.defaults().withMtu(DtlsConfig.defaults().mtu() - 13 - 24), new SecureRandom());
                    channels = new DataChannels(sctp, true);
                    sctp.connect(now);
                }
                case DtlsEvent.ApplicationData d -> {
                    if (sctp != null) {
                        sctp.handleReceive(now, d.data());
                    }
                }
                default -> events.add(e);
            }
        }
        if (sctp != null) {
            for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
                switch (e) {
                    case SctpEvent.Message m -> channels.handle(now, m);
                    case SctpEvent.StreamsReset r -> channels.handle(now, r);
                    case SctpEvent.OutgoingStreamsReset r -> channels.handle(now, r);
                    case SctpEvent.BufferedAmountLow low -> channels.handle(low);
                    default -> events.add(e);
                }
            }
            for (DataChannelEvent e; (e = channels.pollEvent()) != null; ) {
                events.add(e instanceof DataChannelEvent.Message m ? m.copy() : e); // messages are lent: keep a copy
            }
            for (SctpTransmit t; (t = sctp.pollTransmit()) != null; ) {
                byte[] packet = t.toByteArray();
                remember(packet);
                if (dtls.isConnected()) {
                    dtls.send(now, packet, 0, packet.length);
                }
            }
        }
        sendDtls();
    }

    private void sendDtls() {
        InetSocketAddress to = ice.dataDestination();
        for (byte[] d; (d = dtls.pollTransmit()) != null; ) {
            if (to != null) {
                send(ByteBuffer.wrap(d), to);
            }
        }
    }

    /** The server's verification tag (on everything but INIT) and our last DATA chunk's TSN, for hand-made packets. */
    private void remember(byte[] packet) {
        long tag = BigEndian.u32(packet, 4);
        if (tag != 0) {
            peerTag = tag;
        }
        for (int at = 12; at + 4 <= packet.length; ) {
            int chunkLength = BigEndian.u16(packet, at + 2);
            if (packet[at] == 0 && at + 8 <= packet.length) {
                lastTsn = BigEndian.u32(packet, at + 4);
            }
            at += Math.max(4, (chunkLength + 3) & ~3);
        }
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            socket.send(datagram, to);
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws Exception {
        stop = true;
        selector.wakeup();
        if (thread != null) {
            thread.join(5_000);
        }
        selector.close();
        socket.close();
    }
}
