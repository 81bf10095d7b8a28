package io.eddyrtc.engine.sdp;

/**
 * One stream the peer declared with {@code a=ssrc} on an m-line: its SSRC and RTX SSRC from
 * {@code a=ssrc-group:FID} (-1 if none). Simulcast layers usually come without SSRCs; the rids of
 * {@link MediaInfo#receiveRids()} and the rid header extension identify those.
 */
public record ReceiveStream(long ssrc, long rtxSsrc) {}
