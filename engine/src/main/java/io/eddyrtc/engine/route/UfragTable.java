package io.eddyrtc.engine.route;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Local ICE ufrags and the peer each belongs to: an open-addressing hash table (linear probing, backward-shift
 * deletion) whose lookup reads the ufrag where it lies, inside a STUN message's USERNAME, without allocating.
 */
final class UfragTable {
    private static final int EMPTY = -1;

    private byte[][] keys;
    private int[] hashes;
    private int[] owners; // EMPTY where no entry is
    private int mask;
    private int size;

    UfragTable(int initialCapacity) {
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        hashes = new int[capacity];
        owners = new int[capacity];
        Arrays.fill(owners, EMPTY);
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** The owner of the ufrag in {@code length} bytes of {@code segment} at {@code offset}, or -1. */
    int find(MemorySegment segment, long offset, int length) {
        int hash = hash(segment, offset, length);
        for (int i = hash & mask; owners[i] != EMPTY; i = (i + 1) & mask) {
            if (hashes[i] == hash && equal(keys[i], segment, offset, length)) {
                return owners[i];
            }
        }
        return -1;
    }

    /** The owner of {@code ufrag}, or -1. */
    int find(byte[] ufrag) {
        return find(MemorySegment.ofArray(ufrag), 0, ufrag.length);
    }

    /** Adds {@code ufrag} (not in the table) for {@code owner}. */
    void add(byte[] ufrag, int owner) {
        if ((size + 1) * 2 > owners.length) {
            grow();
        }
        int hash = hash(MemorySegment.ofArray(ufrag), 0, ufrag.length);
        int i = hash & mask;
        while (owners[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = ufrag;
        hashes[i] = hash;
        owners[i] = owner;
        size++;
    }

    /** Removes {@code ufrag} if {@code owner} holds it. */
    void remove(byte[] ufrag, int owner) {
        int hash = hash(MemorySegment.ofArray(ufrag), 0, ufrag.length);
        int i = hash & mask;
        while (owners[i] != EMPTY && !(owners[i] == owner && Arrays.equals(keys[i], ufrag))) {
            i = (i + 1) & mask;
        }
        if (owners[i] == EMPTY) {
            return;
        }
        int hole = i;
        for (i = (hole + 1) & mask; owners[i] != EMPTY; i = (i + 1) & mask) {
            int home = hashes[i] & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                hashes[hole] = hashes[i];
                owners[hole] = owners[i];
                hole = i;
            }
        }
        owners[hole] = EMPTY;
        keys[hole] = null;
        size--;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldOwners = owners;
        allocate(owners.length * 2);
        for (int j = 0; j < oldOwners.length; j++) {
            if (oldOwners[j] != EMPTY) {
                int i = oldHashes[j] & mask;
                while (owners[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                hashes[i] = oldHashes[j];
                owners[i] = oldOwners[j];
            }
        }
    }

    /** FNV-1a over the bytes, then mixed, so that ufrags differing in one character spread. */
    private static int hash(MemorySegment segment, long offset, int length) {
        int h = 0x811C_9DC5;
        for (int i = 0; i < length; i++) {
            h = (h ^ segment.get(ValueLayout.JAVA_BYTE, offset + i)) * 0x0100_0193;
        }
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        return h ^ (h >>> 13);
    }

    private static boolean equal(byte[] key, MemorySegment segment, long offset, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != segment.get(ValueLayout.JAVA_BYTE, offset + i)) {
                return false;
            }
        }
        return true;
    }
}
