package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.BigEndian;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.MediaTime;
import io.eddyrtc.engine.media.Mid;
import io.eddyrtc.engine.media.PayloadParams;
import io.eddyrtc.engine.rtp.RtpExtension;
import io.eddyrtc.engine.sdp.StreamIds;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.engine.sim.RtcPair;
import io.eddyrtc.engine.sim.SdpSignalling;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long seeded runs of a hostile peer against a connected call: the peer is a real {@code Rtc}, so what it
 * sends is authenticated and reaches every reader — RTP with any header, extension block, CSRC list, padding,
 * payload type and SSRC it likes (through {@code writeRtp}), samples, data channel messages of any size,
 * channels opened and closed, garbage from its own address and from a stranger's. After every input the
 * other side must still be connected with no bug met; at the end a message still gets through. A structured
 * complement to {@link RtcFuzzTest}, whose Jazzer runs cannot steer by coverage on Java 25 class files.
 */
@ExtendWith(SeedExtension.class)
class RtcHostileTrafficTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress STRANGER = new InetSocketAddress("10.0.0.1", 5001);
    /** Inputs per run; {@code -Deddy.hostile.inputs=N} runs longer. */
    static final int INPUTS = Integer.getInteger("eddy.hostile.inputs", 6_000);

    RtcPair pair;
    Random random;
    final List<Integer> channels = new ArrayList<>();
    final List<Long> ssrcs = new ArrayList<>();
    final List<Integer> pts = new ArrayList<>();
    final List<Integer> extensionIds = new ArrayList<>();
    final int[] sequence = new int[8];

    @ParameterizedTest(name = "rtpMode={0}")
    @ValueSource(booleans = {false, true})
    void aConnectedCallSurvivesEverythingItsPeerSends(boolean rtpMode, @Seed long seed) {
        random = new Random(seed);
        pair = RtcPair.forSdp(seed, LinkConditions.perfect().withLatencyMillis(5), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                b -> b.rtpMode(rtpMode));
        List<Mid> mids = new ArrayList<>();
        assertTrue(SdpSignalling.negotiate(pair.a().rtc(), pair.b().rtc(), api -> {
            mids.add(api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV));
            mids.add(api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV));
            api.addChannel("hostile");
        }));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        assertTrue(pair.net().runUntil(() -> !openChannels(pair.a()).isEmpty(), 5 * S));
        channels.addAll(openChannels(pair.a()));
        for (Mid mid : mids) {
            Media m = pair.a().rtc().media(mid.value());
            for (StreamIds s : m.sendStreams()) {
                ssrcs.add(s.ssrc());
                ssrcs.add(s.rtxSsrc());
            }
            for (PayloadParams p : m.payloadParams()) {
                pts.add(p.pt());
                if (p.rtxPt() >= 0) {
                    pts.add(p.rtxPt());
                }
            }
            for (RtpExtension e : RtpExtension.values()) {
                if (m.extensions().idOf(e) > 0) {
                    extensionIds.add(m.extensions().idOf(e));
                }
            }
        }
        ssrcs.add(random.nextLong(1L << 32)); // and a few SSRCs no description named
        ssrcs.add(random.nextLong(1L << 32));

        for (int i = 0; i < INPUTS; i++) {
            hostileInput(mids);
            pair.net().runFor(random.nextInt(4) * MS);
            RtcFuzzTest.stillConnected(pair.b().rtc());
        }
        Rtc a = pair.a().rtc();
        a.channel(channels.getFirst()).writeText("the last word");
        assertTrue(pair.net().runUntil(() -> pair.b().eventsOf(pair.b().rtc()).stream()
                .anyMatch(e -> e instanceof Event.ChannelData d && d.text().equals("the last word")), pair.net().now() + 5 * S),
                "a message still gets through");
        RtcFuzzTest.stillConnected(pair.b().rtc());
    }

    static List<Integer> openChannels(RtcNode node) {
        return node.eventsOf(node.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).map(e -> ((Event.ChannelOpen) e).id())
                .toList();
    }

    void hostileInput(List<Mid> mids) {
        Rtc a = pair.a().rtc();
        int what = random.nextInt(100);
        try {
            if (what < 55) {
                byte[] packet = rtp();
                a.writeRtp(MemorySegment.ofArray(packet), 0, packet.length);
            } else if (what < 65) {
                Media m = a.media(mids.get(random.nextInt(mids.size())).value());
                byte[] sample = new byte[random.nextInt(m.kind() == MediaKind.VIDEO ? 20_000 : 200)];
                random.nextBytes(sample);
                m.writer(m.pt()).write(pair.net().now(), MediaTime.of(random.nextLong(1L << 40), m.kind() == MediaKind.VIDEO ? 90_000 : 48_000),
                        sample);
            } else if (what < 78) {
                byte[] message = new byte[random.nextInt(10) == 0 ? random.nextInt(200_000) : random.nextInt(1_500)];
                random.nextBytes(message);
                a.channel(channels.get(random.nextInt(channels.size()))).write(random.nextBoolean(), message);
            } else if (what < 81) {
                byte[] label = new byte[random.nextInt(40)];
                random.nextBytes(label);
                a.directApi().createDataChannel(new String(label, StandardCharsets.ISO_8859_1), random.nextBoolean(),
                        random.nextInt(3) - 1, -1);
            } else if (what < 83 && channels.size() > 1) {
                a.channel(channels.remove(channels.size() - 1)).close();
            } else if (what < 91) {
                pair.net().send(RtcPair.A, RtcPair.B, garbage());
            } else if (what < 97) {
                pair.net().send(STRANGER, RtcPair.B, garbage());
            } else {
                a.media(mids.get(random.nextInt(mids.size())).value()).requestKeyframe();
                a.setReceiveBitrate(random.nextInt(3_000_000));
            }
        } catch (IllegalArgumentException | IllegalStateException refusedByThePeersOwnApi) {
            // what the sending side's API refuses never reaches B: not what this test is about
        }
        for (int id : openChannels(pair.a())) {
            if (!channels.contains(id) && channels.size() < 8) {
                channels.add(id);
            }
        }
    }

    /** Bytes whose first byte falls in each protocol's range of RFC 7983 (or none), the rest random. */
    byte[] garbage() {
        byte[] d = new byte[random.nextInt(300)];
        random.nextBytes(d);
        if (d.length > 0) {
            int[] firsts = {0, 1, 20, 22, 23, 64, 128, 0x90, 0xA0, 200, 255};
            d[0] = (byte) firsts[random.nextInt(firsts.length)];
        }
        return d;
    }

    /** An RTP packet with a random but mostly well-formed shape, some fields out of range on purpose. */
    byte[] rtp() {
        int csrcs = random.nextInt(10) == 0 ? random.nextInt(16) : 0;
        boolean extension = random.nextInt(3) == 0;
        boolean padding = random.nextInt(10) == 0;
        byte[] extensionBlock = extension ? extensionBlock() : new byte[0];
        int payload = random.nextInt(8) == 0 ? 0 : random.nextInt(1_000);
        int padLength = padding ? 1 + random.nextInt(20) : 0;
        byte[] p = new byte[12 + 4 * csrcs + extensionBlock.length + payload + padLength];
        MemorySegment s = MemorySegment.ofArray(p);
        BigEndian.putU8(s, 0, 0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs);
        int pt = random.nextInt(5) == 0 ? random.nextInt(64) : pts.get(random.nextInt(pts.size()));
        BigEndian.putU8(s, 1, (random.nextBoolean() ? 0x80 : 0) | pt);
        int stream = random.nextInt(ssrcs.size());
        int step = random.nextInt(20) == 0 ? random.nextInt(65_536) : random.nextInt(10) == 0 ? 0 : 1;
        sequence[stream % sequence.length] = sequence[stream % sequence.length] + step & 0xFFFF;
        BigEndian.putU16(s, 2, sequence[stream % sequence.length]);
        BigEndian.putU32(s, 4, random.nextLong(1L << 32));
        BigEndian.putU32(s, 8, ssrcs.get(stream));
        int at = 12 + 4 * csrcs;
        System.arraycopy(extensionBlock, 0, p, at, extensionBlock.length);
        at += extensionBlock.length;
        for (int i = 0; i < payload; i++) {
            p[at + i] = (byte) random.nextInt(256);
        }
        if (payload > 0 && random.nextBoolean()) {
            p[at] = (byte) (random.nextBoolean() ? 0x10 : 0x90); // a VP8 descriptor's start bit, with or without X
        }
        if (padding) {
            p[p.length - 1] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : padLength); // sometimes a lie
        }
        return p;
    }

    /** An RFC 8285 block, one-byte or two-byte form, with negotiated and random ids and lengths. */
    byte[] extensionBlock() {
        boolean twoByte = random.nextInt(4) == 0;
        List<Byte> body = new ArrayList<>();
        int elements = random.nextInt(5);
        for (int e = 0; e < elements; e++) {
            int id = random.nextInt(3) == 0 ? random.nextInt(16) : extensionIds.get(random.nextInt(extensionIds.size()));
            int length = random.nextInt(4) == 0 ? random.nextInt(17) : 1 + random.nextInt(4);
            if (twoByte) {
                body.add((byte) id);
                body.add((byte) length);
            } else {
                body.add((byte) ((id & 0x0F) << 4 | Math.max(0, length - 1) & 0x0F));
            }
            for (int i = 0; i < length; i++) {
                body.add(random.nextInt(3) == 0 ? (byte) ('0' + random.nextInt(3)) : (byte) random.nextInt(256));
            }
        }
        int words = (body.size() + 3) / 4;
        if (random.nextInt(20) == 0) {
            words += 1 + random.nextInt(3); // a length that runs past the data
        }
        byte[] block = new byte[4 + 4 * ((body.size() + 3) / 4)];
        block[0] = (byte) (twoByte ? 0x10 : 0xBE);
        block[1] = (byte) (twoByte ? 0x00 : 0xDE);
        block[2] = (byte) (words >> 8);
        block[3] = (byte) words;
        for (int i = 0; i < body.size(); i++) {
            block[4 + i] = body.get(i);
        }
        return block;
    }
}
