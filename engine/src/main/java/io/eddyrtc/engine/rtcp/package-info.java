/**
 * RTCP (RFC 3550, 4585, 5104, 5506, 3611 and transport-wide CC feedback) read and written in place,
 * allocation-free.
 *
 * <p>Reading: {@link io.eddyrtc.engine.rtcp.RtcpCompound} is a reusable cursor over one unprotected
 * compound datagram; per packet it reports a {@link io.eddyrtc.engine.rtcp.RtcpKind} and hands out
 * the matching flyweight ({@link io.eddyrtc.engine.rtcp.SenderReport},
 * {@link io.eddyrtc.engine.rtcp.GenericNack}, {@link io.eddyrtc.engine.rtcp.TransportFeedback}, ...),
 * already validated. Malformed input never throws: it is refused and counted by
 * {@link io.eddyrtc.engine.rtcp.RtcpDropReason}.
 *
 * <p>Writing: {@link io.eddyrtc.engine.rtcp.RtcpWriter} appends packets into a caller's segment up to
 * a capacity (the MTU) and returns the compound's length.
 *
 * <p>Transport-wide CC feedback goes through a decoded form, {@link io.eddyrtc.engine.rtcp.TwccReport},
 * both ways: the parser decodes into it and the writer encodes from it; the receive side builds one
 * from arrival times.
 *
 * <p>None of these objects is thread-safe; each is meant to be reused. Since nothing here keeps
 * state between datagrams beyond its buffers, one cursor and one writer can serve every {@code Rtc}
 * a thread drives, which also bounds the memory the TWCC decoded form grows to (at most 65535
 * packets, about 320 KiB) to one instance per thread rather than per peer.
 */
package io.eddyrtc.engine.rtcp;
