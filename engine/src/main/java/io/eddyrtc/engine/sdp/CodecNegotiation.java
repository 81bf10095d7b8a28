package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Codec;
import io.eddyrtc.engine.media.CodecConfig;
import io.eddyrtc.engine.media.CodecParams;
import io.eddyrtc.engine.media.FormatParams;
import io.eddyrtc.engine.media.H264ProfileLevelId;
import io.eddyrtc.engine.media.MediaKind;
import io.eddyrtc.engine.media.PayloadParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Codec negotiation by format, never by PT number (RFC 8829 §5.3.1): the answerer keeps the offered
 * codecs it has configured, in the offerer's order and under the offerer's PT numbers; the offerer keeps
 * the answered PTs it offered.
 */
final class CodecNegotiation {
    private CodecNegotiation() {
    }

    /** The payload types a peer's m-line declares (RTX folded into the PT it repairs), in m= order. */
    static List<PayloadParams> remote(SdpMedia m) {
        Map<Integer, PayloadParams> main = new LinkedHashMap<>();
        Map<Integer, Integer> rtxFor = new LinkedHashMap<>();
        Set<Integer> seen = new HashSet<>();
        // One pass over the attributes, so a huge description costs linear time, not formats × attributes.
        Map<Integer, RtpMap> maps = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        Map<Integer, List<String>> fbs = new HashMap<>();
        List<String> fbAll = new ArrayList<>();
        for (SdpAttribute a : m.attributes()) {
            switch (a.name()) {
                case "rtpmap" -> {
                    RtpMap r = RtpMap.parse(a.value());
                    maps.putIfAbsent(r.payloadType(), r);
                }
                case "fmtp" -> {
                    Fmtp f = Fmtp.parse(a.value());
                    fmtps.putIfAbsent(f.payloadType(), f.parameters());
                }
                case "rtcp-fb" -> {
                    RtcpFb f = RtcpFb.parse(a.value());
                    if (f.payloadType() < 0) {
                        fbAll.add(f.feedback());
                    } else {
                        fbs.computeIfAbsent(f.payloadType(), k -> new ArrayList<>()).add(f.feedback());
                    }
                }
                default -> {
                }
            }
        }
        for (String format : m.formats()) {
            int pt;
            try {
                pt = Tokens.payloadType(format);
            } catch (SdpParseException e) {
                continue; // not an RTP payload type; nothing to negotiate
            }
            if (!seen.add(pt)) {
                continue;
            }
            RtpMap map = maps.get(pt);
            if (map == null) {
                map = staticPayloadType(pt);
                if (map == null) {
                    continue;
                }
            }
            Codec codec = Codec.fromEncodingName(map.encodingName());
            if (codec == null) {
                continue;
            }
            FormatParams params = FormatParams.parse(fmtps.getOrDefault(pt, ""));
            if (codec == Codec.RTX) {
                long apt = params.getLong("apt", -1);
                if (apt >= 0 && apt <= 127 && apt != pt) {
                    rtxFor.putIfAbsent((int) apt, pt);
                }
                continue;
            }
            int channels = map.channels() == 0 && codec.kind() == MediaKind.AUDIO ? 1 : map.channels();
            main.put(pt, new PayloadParams(pt, new CodecParams(codec, map.clockRate(), channels, params), -1, feedback(fbs.get(pt), fbAll)));
        }
        List<PayloadParams> out = new ArrayList<>();
        for (PayloadParams p : main.values()) {
            Integer rtx = rtxFor.get(p.pt());
            out.add(rtx == null ? p : p.withPt(p.pt(), rtx));
        }
        return out;
    }

    private static List<String> feedback(List<String> own, List<String> all) {
        List<String> out = new ArrayList<>(own == null ? List.of() : own);
        out.addAll(all);
        return out;
    }

    /** RFC 3551's static payload types browsers may leave without rtpmap. */
    private static RtpMap staticPayloadType(int pt) {
        return switch (pt) {
            case 0 -> new RtpMap(0, "PCMU", 8000, 1);
            case 8 -> new RtpMap(8, "PCMA", 8000, 1);
            case 9 -> new RtpMap(9, "G722", 8000, 1);
            case 13 -> new RtpMap(13, "CN", 8000, 1);
            default -> null;
        };
    }

    /** What the answerer accepts of {@code offered}: configured formats, offered PTs, shared feedback. */
    static List<PayloadParams> answer(CodecConfig config, MediaKind kind, List<PayloadParams> offered) {
        List<PayloadParams> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (PayloadParams remote : offered) {
            PayloadParams local = config.match(remote.spec());
            if (local == null || local.kind() != kind || used.contains(remote.pt())) {
                continue;
            }
            int rtx = local.hasRtx() && remote.hasRtx() && !used.contains(remote.rtxPt()) ? remote.rtxPt() : -1;
            used.add(remote.pt());
            if (rtx >= 0) {
                used.add(rtx);
            }
            out.add(new PayloadParams(remote.pt(), answerSpec(local.spec(), remote.spec()), rtx,
                    shared(remote.feedback(), local.feedback())));
        }
        return out;
    }

    /**
     * Our parameters for an accepted format. H.264 keeps the offerer's profile (same profile is what made
     * them match) and states our level: our own when both allow level asymmetry, else the lower of the two
     * (RFC 6184 §8.2.2).
     */
    static CodecParams answerSpec(CodecParams local, CodecParams remote) {
        if (local.codec() != Codec.H264) {
            return new CodecParams(local.codec(), remote.clockRate(), remote.channels() > 1 ? remote.channels() : local.channels(),
                    local.params());
        }
        H264ProfileLevelId ours = local.h264ProfileLevelId();
        H264ProfileLevelId theirs = remote.h264ProfileLevelId();
        boolean asymmetry = "1".equals(local.params().get("level-asymmetry-allowed"))
                && "1".equals(remote.params().get("level-asymmetry-allowed"));
        int level = asymmetry ? ours.levelIdc() : Math.min(ours.levelIdc(), theirs.levelIdc());
        FormatParams params = local.params().with("profile-level-id", theirs.withLevel(level).text());
        return new CodecParams(Codec.H264, 90_000, 0, params);
    }

    /** What the offerer keeps of its {@code offered} PTs given the answer's m-line; in the answer's order. */
    static List<PayloadParams> answered(List<PayloadParams> offered, SdpMedia answer) {
        List<PayloadParams> out = new ArrayList<>();
        for (PayloadParams remote : remote(answer)) {
            for (PayloadParams ours : offered) {
                if (ours.pt() == remote.pt() && ours.spec().matches(remote.spec())) {
                    int rtx = ours.hasRtx() && remote.rtxPt() == ours.rtxPt() ? ours.rtxPt() : -1;
                    out.add(new PayloadParams(ours.pt(), ours.spec(), rtx, shared(remote.feedback(), ours.feedback())));
                    break;
                }
            }
        }
        return out;
    }

    private static List<String> shared(List<String> theirs, List<String> ours) {
        List<String> out = new ArrayList<>();
        for (String fb : theirs) {
            if (ours.contains(fb) && !out.contains(fb)) {
                out.add(fb);
            }
        }
        return out;
    }
}
