/**
 * Many {@code Rtc}s behind one socket, sans-I/O: {@link io.eddyrtc.engine.route.RtcRouter} sends each datagram to
 * its peer in O(1) (STUN requests by local ufrag, the rest by the addresses ICE learnt), and
 * {@link io.eddyrtc.engine.route.DeadlineQueue} keeps the peers' deadlines in order, so a loop for thousands of
 * peers neither asks each peer whose a datagram is nor polls each for its next timeout.
 *
 * <p>This package sits above the public face: it holds {@code Rtc}s, and nothing in the face or below it
 * refers to it.
 */
package io.eddyrtc.engine.route;
