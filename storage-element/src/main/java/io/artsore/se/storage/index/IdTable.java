package io.artsore.se.storage.index;

/**
 * Open-addressing hash table of entries keyed by their file id (linear probing, backward-shift deletion).
 * Costs one reference slot per entry at a load of at most 3/4, where a {@code HashMap<UUID, ...>} costs a
 * node and a UUID object per entry. Not thread-safe: the owner locks. A reader that races a writer may miss
 * an entry but never loops forever, so the owner can use optimistic reads and validate afterwards.
 */
final class IdTable {
    private static final int MIN_CAPACITY = 16;

    private CompactEntry[] slots;
    private int size;

    IdTable(int expectedSize) {
        slots = new CompactEntry[capacityFor(expectedSize)];
    }

    int size() {
        return size;
    }

    CompactEntry get(long hi, long lo) {
        CompactEntry[] table = slots;
        int mask = table.length - 1;
        for (int i = indexFor(hi, lo, mask), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            CompactEntry e = table[i];
            if (e == null) {
                return null;
            }
            if (e.hasId(hi, lo)) {
                return e;
            }
        }
        return null;
    }

    /** Inserts or replaces the entry with the same id; returns the replaced entry or null. */
    CompactEntry put(CompactEntry entry) {
        int mask = slots.length - 1;
        int i = indexFor(entry.idHi, entry.idLo, mask);
        while (slots[i] != null) {
            CompactEntry existing = slots[i];
            if (existing.hasId(entry.idHi, entry.idLo)) {
                slots[i] = entry;
                return existing;
            }
            i = (i + 1) & mask;
        }
        slots[i] = entry;
        if (++size > slots.length / 4 * 3) {
            resize(slots.length * 2);
        }
        return null;
    }

    CompactEntry remove(long hi, long lo) {
        int mask = slots.length - 1;
        int i = indexFor(hi, lo, mask);
        while (slots[i] != null) {
            CompactEntry e = slots[i];
            if (e.hasId(hi, lo)) {
                shiftBackAfter(i, mask);
                size--;
                return e;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Copies all entries into a new array (in no particular order). */
    CompactEntry[] toArray() {
        CompactEntry[] out = new CompactEntry[size];
        int n = 0;
        for (CompactEntry e : slots) {
            if (e != null) {
                out[n++] = e;
            }
        }
        return out;
    }

    /** Closes the gap at {@code hole} so that every remaining entry stays reachable from its home slot. */
    private void shiftBackAfter(int hole, int mask) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            CompactEntry e = slots[i];
            if (e == null) {
                break;
            }
            int home = indexFor(e.idHi, e.idLo, mask);
            // e may move into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                slots[hole] = e;
                hole = i;
            }
        }
        slots[hole] = null;
    }

    private void resize(int capacity) {
        CompactEntry[] old = slots;
        CompactEntry[] table = new CompactEntry[capacity];
        int mask = capacity - 1;
        for (CompactEntry e : old) {
            if (e != null) {
                int i = indexFor(e.idHi, e.idLo, mask);
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = e;
            }
        }
        slots = table;
    }

    private static int indexFor(long hi, long lo, int mask) {
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static int capacityFor(int expectedSize) {
        int capacity = MIN_CAPACITY;
        while (capacity / 4 * 3 < expectedSize) {
            capacity *= 2;
        }
        return capacity;
    }
}
