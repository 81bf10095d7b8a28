package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Rid;

/**
 * The identifiers of one stream on an m-line, as signalled ({@code a=ssrc}, {@code a=ssrc-group:FID},
 * {@code a=rid}): its SSRC, the SSRC of its RTX repair stream (-1 if none) and its simulcast layer
 * ({@code null} without simulcast). Ids, not the stream: the per-SSRC state is {@code stream.SendStream} and
 * {@code stream.ReceiveStream}. Peers usually send simulcast layers without declaring SSRCs; the rids of
 * {@link NegotiatedMedia#receiveRids()} and the rid header extension identify those.
 */
public record StreamIds(long ssrc, long rtxSsrc, Rid rid) {}
