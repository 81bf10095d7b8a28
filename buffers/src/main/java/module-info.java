/** Off-heap packet pools, the flyweight base, byte-order and sequence-number maths, the drop counter. */
module io.eddyrtc.buffers {
    requires jdk.jfr; // a pool's dry spells as flight recording events (buffers.internal.jfr)

    exports io.eddyrtc.buffers;
}
