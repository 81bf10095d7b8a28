package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Rid;

/** One stream we send on an m-line: its SSRC, its RTX SSRC (-1 if none) and its rid ({@code null} without simulcast). */
public record SendStream(long ssrc, long rtxSsrc, Rid rid) {}
