/**
 * Congestion control. {@link io.eddyrtc.engine.bwe.TwccRecorder} is the receive side of transport-wide
 * congestion control: it remembers when each transport-wide sequence number arrived and turns that into
 * the feedback a sender's bandwidth estimator (a browser's, for one) lives on. Allocation-free per packet.
 */
package io.eddyrtc.engine.bwe;
