package io.eddyrtc.engine.internal.media;

import io.eddyrtc.buffers.PacketBuffer;

/**
 * A first-in first-out ring of pool slots, each with the transport-wide number its packet carries (-1: none).
 * It starts small and doubles as packets pile up, up to the {@link OutgoingQueue}'s bound, so an idle peer holds
 * a few references and a busy one what its queue needs. Allocates only when it grows.
 */
final class SlotRing {
    private static final int INITIAL = 8;

    private PacketBuffer[] slots = new PacketBuffer[INITIAL];
    private int[] sequences = new int[INITIAL];
    private int head;
    private int size;
    private int polledSequence = -1;

    int size() {
        return size;
    }

    void add(PacketBuffer slot, int transportSequence) {
        if (size == slots.length) {
            grow();
        }
        int at = (head + size) & (slots.length - 1);
        slots[at] = slot;
        sequences[at] = transportSequence;
        size++;
    }

    /** The oldest slot, or {@link PacketBuffer#NONE}; its transport-wide number is {@link #polledSequence()} then. */
    PacketBuffer poll() {
        if (size == 0) {
            return PacketBuffer.NONE;
        }
        PacketBuffer slot = slots[head];
        polledSequence = sequences[head];
        slots[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        return slot;
    }

    /** The transport-wide number of the packet {@link #poll} returned last (-1: none). */
    int polledSequence() {
        return polledSequence;
    }

    private void grow() {
        PacketBuffer[] grownSlots = new PacketBuffer[slots.length * 2];
        int[] grownSequences = new int[slots.length * 2];
        for (int i = 0; i < size; i++) {
            int at = (head + i) & (slots.length - 1);
            grownSlots[i] = slots[at];
            grownSequences[i] = sequences[at];
        }
        slots = grownSlots;
        sequences = grownSequences;
        head = 0;
    }
}
