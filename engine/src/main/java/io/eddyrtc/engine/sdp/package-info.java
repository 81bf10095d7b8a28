/**
 * SDP (RFC 8866) and JSEP offer/answer (RFC 8829) for eddy, without I/O and without the ICE module.
 *
 * <p>Text: {@link io.eddyrtc.engine.sdp.SessionDescription#parse} and
 * {@link io.eddyrtc.engine.sdp.SessionDescription#toSdp} (byte-exact for browsers' own SDP);
 * {@link io.eddyrtc.engine.sdp.SdpOffer} / {@link io.eddyrtc.engine.sdp.SdpAnswer} add the JSON form.
 * Peer text only ever fails with {@link io.eddyrtc.engine.sdp.SdpParseException}.
 *
 * <p>Negotiation: one {@link io.eddyrtc.engine.sdp.SdpSession} per peer connection, changed through
 * {@link io.eddyrtc.engine.sdp.SdpApi} transactions. After every accepted description the session queues
 * {@link io.eddyrtc.engine.sdp.SdpChange} records; the {@code Rtc} drains them with
 * {@link io.eddyrtc.engine.sdp.SdpSession#pollChange()} and applies each, in order:
 * <ul>
 *   <li>{@code Ice}: if {@code restart}, restart the agent; set local and remote credentials, the peer's
 *       lite flag and the controlling role;</li>
 *   <li>{@code RemoteCandidates}: {@code Candidate.parse} each and add it; end-of-candidates;</li>
 *   <li>{@code Dtls}: the peer's fingerprint, then start DTLS as client ({@code active}) or server;</li>
 *   <li>{@code MediaAdded} / {@code MediaChanged}: (re)configure the m-line's receivers and senders from
 *       the {@link io.eddyrtc.engine.sdp.NegotiatedMedia} (PT → codec and RTX PT, extension map, SSRCs, rids);
 *       {@code MediaStopped}: drop them (for the data channel m-line: close SCTP);</li>
 *   <li>{@code ChannelTransport}: SCTP ports and the peer's maximum message size; {@code OpenChannel}:
 *       open the data channel once SCTP is up.</li>
 * </ul>
 */
package io.eddyrtc.engine.sdp;
