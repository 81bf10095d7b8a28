/**
 * Test kit shared by every module (published as eddy-buffers' test-jar): the seeded virtual-time
 * datagram network ({@link io.eddyrtc.buffers.testkit.VirtualNetwork}) that drives sans-I/O nodes, and
 * {@link io.eddyrtc.buffers.testkit.SeedExtension}, which hands tests their seed and prints it on failure, and
 * {@link io.eddyrtc.buffers.testkit.FlightRecordings}, a JFR recording a test reads back.
 */
package io.eddyrtc.buffers.testkit;
