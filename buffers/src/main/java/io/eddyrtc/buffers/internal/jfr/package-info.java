/** The buffers' events for a JDK Flight Recorder timeline: a packet pool's dry spells. Not exported. */
package io.eddyrtc.buffers.internal.jfr;
