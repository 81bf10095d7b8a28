package io.eddyrtc.engine.packet;

import io.eddyrtc.buffers.PacketPool;
import java.util.HashMap;
import java.util.Map;

/**
 * The pools the packet tests' frame assemblers keep payloads in, one per slot size (a slot's size is the
 * largest payload an assembler keeps). Production pools: a debug pool makes a checked view per slot taken,
 * which the allocation tests would count against the assembler. Tests that check slots come back use
 * {@link PacketPool#inUse()} on their own pool.
 */
final class AssemblerPools {
    private static final Map<Integer, PacketPool> POOLS = new HashMap<>();

    private AssemblerPools() {
    }

    static synchronized PacketPool pool(int slotBytes) {
        return POOLS.computeIfAbsent(slotBytes, size -> PacketPool.builder().slotSize(size).debug(false).build());
    }
}
