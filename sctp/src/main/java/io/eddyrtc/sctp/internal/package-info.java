/**
 * The pieces of an {@link io.eddyrtc.sctp.SctpAssociation}, each with one job: the packet layout and
 * checksum ({@link io.eddyrtc.sctp.internal.SctpPacket}), the packets waiting to be sent
 * ({@link io.eddyrtc.sctp.internal.OutgoingPackets}), the signed state cookie
 * ({@link io.eddyrtc.sctp.internal.StateCookie}), the data we receive (TSNs, reassembly, SACKs:
 * {@link io.eddyrtc.sctp.internal.InboundData}), the data we send (queue, congestion window,
 * retransmission, FORWARD-TSN: {@link io.eddyrtc.sctp.internal.OutboundData}) and stream reconfiguration
 * ({@link io.eddyrtc.sctp.internal.StreamReset}).
 *
 * <p>Not an API: the association is. These pieces know nothing of it or of data channels; they report
 * through {@link io.eddyrtc.sctp.internal.AssociationListener} and count what they drop with the
 * module's {@link io.eddyrtc.sctp.SctpDropReason}.
 */
package io.eddyrtc.sctp.internal;
