/**
 * What ICE's test-jar offers other modules' tests: ICE-TCP connections and a TURN server on the virtual-time
 * network ({@link io.eddyrtc.ice.testkit.VirtualTcp}, {@link io.eddyrtc.ice.testkit.VirtualTurnServer}).
 */
package io.eddyrtc.ice.testkit;
