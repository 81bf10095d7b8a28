/** Off-heap packet pools, the flyweight base, byte-order and sequence-number maths, the drop counter. */
module io.eddyrtc.buffers {
    exports io.eddyrtc.buffers;
}
