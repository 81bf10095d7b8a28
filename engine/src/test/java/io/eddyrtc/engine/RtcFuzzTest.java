package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.engine.demux.DatagramKind;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sdp.SdpOffer;
import io.eddyrtc.engine.sdp.SdpParseException;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import io.eddyrtc.ice.IceConnectionState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A connected call (ICE, DTLS-SRTP, audio, video and a data channel up) under fuzzed input: whatever comes in,
 * it is used or dropped and counted, nothing is thrown, no bug inside is met ({@link RtcDropReason#INTERNAL_ERROR}
 * stays 0), and — checked after every input — the call is still connected. An input that silently ends a call
 * is a finding. What reaches past authentication: RTP the peer protected with the real keys (the peer's
 * {@code writeRtp}), data channel messages and channels the peer opens, and descriptions the peer offers.
 * Seeds are committed under {@code RtcFuzzTestInputs}; {@link RtcHostileTrafficTest} runs the same checks
 * over long seeded runs of structured traffic.
 */
class RtcFuzzTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress NEAR_A = new InetSocketAddress("10.0.0.1", 5001);
    private static RtcPair pair;
    private static int channel = -1;

    /** One call for all inputs, as a server sees one peer's whole stream of datagrams. */
    private static synchronized RtcPair connected() {
        if (pair == null) {
            pair = RtcPair.forSdp(17, LinkConditions.perfect().withLatencyMillis(5), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                    b -> b);
            SdpSignalling.negotiate(pair.a().rtc(), pair.b().rtc(), api -> {
                api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
                api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
                api.addChannel("fuzz");
            });
            assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S), "the pair connects");
            assertTrue(pair.net().runUntil(() -> pair.a().eventsOf(pair.a().rtc()).stream().anyMatch(e -> e instanceof Event.ChannelOpen),
                    5 * S), "the channel opens");
            channel = pair.a().eventsOf(pair.a().rtc()).stream().filter(e -> e instanceof Event.ChannelOpen)
                    .mapToInt(e -> ((Event.ChannelOpen) e).id()).findFirst().orElseThrow();
        }
        return pair;
    }

    /** B took the input: nothing was thrown or met inside, and the call is as up as before it. */
    static void stillConnected(Rtc rtc) {
        assertNull(rtc.lastInternalError(), "no bug met");
        assertEquals(0, rtc.dropped(RtcDropReason.INTERNAL_ERROR));
        IceConnectionState ice = rtc.iceConnectionState();
        assertTrue(rtc.isAlive() && rtc.isConnected() && (ice == IceConnectionState.CONNECTED || ice == IceConnectionState.COMPLETED),
                "still connected: " + rtc + " " + ice);
    }

    /** Puts one datagram on the wire to B (B's node takes it as a single-peer loop does, without {@code accepts}). */
    private static void receive(RtcPair p, InetSocketAddress from, byte[] datagram) {
        p.net().send(from, RtcPair.B, datagram);
        p.net().runFor(6 * MS); // delivered over the 5 ms link, timers run, outputs drained
    }

    @FuzzTest(maxDuration = "10s")
    void anyDatagramFromThePeer(byte[] datagram) {
        RtcPair p = connected();
        receive(p, RtcPair.A, datagram);
        stillConnected(p.b().rtc());
    }

    @FuzzTest(maxDuration = "10s")
    void anyDatagramFromAStranger(byte[] datagram) {
        RtcPair p = connected();
        long dropped = p.b().rtc().dropped(RtcDropReason.NOT_FROM_PEER);
        receive(p, NEAR_A, datagram);
        stillConnected(p.b().rtc());
        DatagramKind kind = DatagramKind.classify(MemorySegment.ofArray(datagram));
        if (kind == DatagramKind.DTLS || kind == DatagramKind.RTP || kind == DatagramKind.RTCP) {
            assertEquals(dropped + 1, p.b().rtc().dropped(RtcDropReason.NOT_FROM_PEER), "never read");
        }
    }

    /** RTP of any content the peer sends with the call's own SRTP keys: it reaches every RTP reader in B. */
    @FuzzTest(maxDuration = "10s")
    void authenticatedRtpFromThePeer(byte[] packet) {
        RtcPair p = connected();
        if (packet.length < 12 || packet.length > 1100) {
            return;
        }
        packet[0] = (byte) (0x80 | packet[0] & 0x3F); // version 2, so B's demultiplexer takes it for RTP
        int pt = packet[1] & 0x7F;
        if (pt >= 64 && pt <= 95) {
            pt -= 32; // 64..95 would read as RTCP (RFC 5761)
        }
        packet[1] = (byte) (packet[1] & 0x80 | pt);
        p.a().rtc().writeRtp(MemorySegment.ofArray(packet), 0, packet.length);
        p.net().runFor(6 * MS);
        stillConnected(p.b().rtc());
    }

    /** Messages of any content and size on the open channel, and channels with any label, from the peer. */
    @FuzzTest(maxDuration = "10s")
    void channelTrafficFromThePeer(FuzzedDataProvider data) {
        RtcPair p = connected();
        Rtc a = p.a().rtc();
        int rounds = data.consumeInt(1, 8);
        for (int i = 0; i < rounds && data.remainingBytes() > 0; i++) {
            try {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> a.channel(channel).write(true, data.consumeBytes(data.consumeInt(0, 70_000)));
                    case 1 -> a.channel(channel).writeText(data.consumeString(data.consumeInt(0, 2_000)));
                    case 2 -> a.directApi().createDataChannel(data.consumeString(data.consumeInt(0, 300)), data.consumeBoolean(),
                            data.consumeInt(-1, 5), -1);
                    default -> a.channel(channel).write(false, data.consumeBytes(data.consumeInt(0, 2_000))); // maybe not UTF-8
                }
            } catch (IllegalArgumentException | IllegalStateException refusedByThePeersOwnApi) {
                // what the sending side's own API refuses never reaches B: not what this target tests
            }
        }
        p.net().runFor(50 * MS);
        stillConnected(p.b().rtc());
    }

    /**
     * A re-offer of any text to an Rtc that answered a real Chromium offer: refused with an
     * {@link SdpParseException}, or applied; nothing else comes out, and the Rtc can still be driven.
     */
    @FuzzTest(maxDuration = "10s")
    void reoffersFromThePeer(byte[] text) throws IOException {
        Rtc rtc = Rtc.builder().randomSeed(3).certificate(RtcDtlsTest.CERT_B).build();
        rtc.acceptOffer(SdpOffer.fromSdp(chromiumOffer()));
        try {
            rtc.acceptOffer(SdpOffer.fromSdp(new String(text, StandardCharsets.UTF_8)));
        } catch (SdpParseException refused) {
            // the description is malformed or cannot be negotiated: the session is left as it was
        }
        for (Output o = rtc.pollOutput(); !(o instanceof Output.Timeout); o = rtc.pollOutput()) {
            // events of what was applied
        }
        rtc.handleTimeout(1);
        assertNull(rtc.lastInternalError(), "no bug met");
    }

    private static String chromium;

    private static synchronized String chromiumOffer() throws IOException {
        if (chromium == null) {
            chromium = Files.readString(Path.of(System.getProperty("eddy.shared", "/work/shared"), "fixtures", "sdp",
                    "chrome-offer-av-dc.sdp"));
        }
        return chromium;
    }
}
