/**
 * Per-SSRC RTP streams: {@link io.eddyrtc.engine.stream.ReceiveStream} (sequence, loss, jitter, NACK,
 * RTX repair, report-block values, SR mapping) and {@link io.eddyrtc.engine.stream.SendStream} (numbering,
 * timestamp continuity, RTX cache and budget, padding, SR values, RTT).
 *
 * <p>RTCP stays outside: these classes produce and consume plain values
 * ({@link io.eddyrtc.engine.stream.ReportBlockValues}, {@link io.eddyrtc.engine.stream.SenderReportValues},
 * sequence-number arrays and {@link io.eddyrtc.engine.stream.NackPairs}) that the {@code Rtc} moves to and
 * from the RTCP writer and parser. Time is the caller's monotonic nanoseconds; wallclock enters only as
 * an explicit NTP value for sender reports. Nothing here allocates per packet.
 */
package io.eddyrtc.engine.stream;
