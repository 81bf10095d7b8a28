package io.eddyrtc.engine.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.crypto.dtls.DtlsCertificate;
import io.eddyrtc.engine.Event;
import io.eddyrtc.engine.Rtc;
import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecConfig;
import io.eddyrtc.engine.media.Direction;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.sim.RtcNode;
import io.eddyrtc.ice.Candidate;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Two Rtcs set up only from what their SdpSessions negotiated (the changes applied by
 * {@link SdpChangeApplier}): ICE, DTLS, SCTP and the data channel asked for in the offer all come up.
 */
class SdpRtcWiringTest {
    static final long S = 1_000_000_000L;
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.1.1", 6000);

    private static SdpSession session(Rtc rtc, InetSocketAddress address, long seed) {
        Candidate host = Candidate.host(address);
        rtc.addLocalCandidate(host);
        // The codecs the Rtc can depacketize today (more arrive with the RTP layer).
        SdpConfig config = new SdpConfig().codecs(new CodecConfig().add(CodecConfig.opus(111))
                .add(CodecConfig.video(96, 97, Codec.VP8, FormatParams.NONE)));
        SdpSession s = new SdpSession(config, rtc.directApi().localIceCredentials(), rtc.localFingerprint(),
                new SplittableRandom(seed));
        s.setLocalCandidates(List.of(host.toSdpString()), true);
        return s;
    }

    private static boolean opened(RtcNode node, String label) {
        return node.eventsOf(node.rtc()).stream().anyMatch(e -> e instanceof Event.ChannelOpen o && o.label().equals(label));
    }

    @Test
    void rtcsConnectFromNegotiatedSdpAlone() {
        long seed = 77;
        VirtualNetwork net = new VirtualNetwork(seed);
        net.defaultConditions(LinkConditions.perfect().withLatencyMillis(10));
        RtcNode a = new RtcNode("A", Rtc.builder().randomSeed(1).certificate(DtlsCertificate.generate(new SecureRandom())).build());
        RtcNode b = new RtcNode("B", Rtc.builder().randomSeed(2).certificate(DtlsCertificate.generate(new SecureRandom())).build());
        net.attach(a, A);
        net.attach(b, B);
        SdpSession sa = session(a.rtc(), A, seed);
        SdpSession sb = session(b.rtc(), B, seed + 1);

        SdpApi api = sa.sdpApi();
        api.addMedia(MediaKind.AUDIO, Direction.SEND_RECV);
        api.addMedia(MediaKind.VIDEO, Direction.SEND_RECV);
        api.addChannel("chat");
        SdpApi.Offer offer = api.apply().orElseThrow();
        SdpAnswer answer = sb.acceptOffer(SdpOffer.fromJson(offer.offer().toJson()));
        sa.acceptAnswer(offer.pending(), SdpAnswer.fromJson(answer.toJson()));
        SdpChangeApplier.applyAll(sa, a.rtc());
        SdpChangeApplier.applyAll(sb, b.rtc());

        assertTrue(a.rtc().directApi().isIceControlling());
        assertTrue(net.runUntil(() -> a.rtc().isConnected() && b.rtc().isConnected(), 10 * S), "ICE and DTLS connect");
        assertTrue(net.runUntil(() -> opened(a, "chat") && opened(b, "chat"), 10 * S), "the offered channel opens");
        // a is the DTLS server (b answered active), so its channel has an odd id (RFC 8832 §6).
        int id = a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.ChannelOpen).map(e -> ((Event.ChannelOpen) e).id())
                .findFirst().orElseThrow();
        assertEquals(1, id % 2);
        a.rtc().channel(id).writeText("negotiated");
        assertTrue(net.runUntil(() -> b.eventsOf(b.rtc()).stream().anyMatch(e -> e instanceof Event.ChannelData d
                && d.text().equals("negotiated")), 5 * S));
        assertEquals(0, a.rtc().iceDropped() + b.rtc().iceDropped());

        // Media on the negotiated table: b sends Opus under the PT and SSRC its session negotiated for mid 0.
        MediaInfo audio = sb.media().getFirst();
        int pt = audio.codecs().getFirst().pt();
        long ssrc = audio.sendStreams().getFirst().ssrc();
        byte[] rtp = new byte[12 + 3];
        rtp[0] = (byte) 0x80;
        rtp[1] = (byte) pt;
        rtp[3] = 1;
        java.nio.ByteBuffer.wrap(rtp).putInt(8, (int) ssrc);
        rtp[12] = 1;
        assertTrue(b.rtc().writeRtp(java.lang.foreign.MemorySegment.ofArray(rtp), 0, rtp.length));
        assertTrue(net.runUntil(() -> a.eventsOf(a.rtc()).stream().anyMatch(e -> e instanceof Event.MediaData), 2 * S));
        Event.MediaData data = a.eventsOf(a.rtc()).stream().filter(e -> e instanceof Event.MediaData).map(e -> (Event.MediaData) e)
                .findFirst().orElseThrow();
        assertEquals(sa.media().getFirst().mid().value(), data.mid());
        assertEquals(Codec.OPUS, data.codec());
        assertEquals(ssrc, data.ssrc());
        assertEquals(sa.media().getFirst().receiveStreams().getFirst().ssrc(), ssrc, "the offerer learnt b's SSRC from the answer");
    }
}
