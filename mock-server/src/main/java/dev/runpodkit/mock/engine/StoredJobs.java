package dev.runpodkit.mock.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The jobs an endpoint holds, found by id and kept in the order they came: a ring of the jobs in submission order
 * and an open-addressed index of ids to places in the ring, holding numbers, not references. Not thread-safe (the engine's lock).
 *
 * <p>Why not a LinkedHashMap: with a few hundred thousand jobs stored, its table lives in the collector's old
 * generation, and every new job was written to a random slot of it, marking a random card that the next young
 * collection had to scan (58,000 cards, a third of each pause, under a /run flood). Here a new job is written to the
 * next place in the ring, so consecutive jobs share cards, and the index holds numbers, which mark nothing. It also
 * spares the map's entry object per job.
 *
 * @param <T> the job
 */
final class StoredJobs<T> {

    private static final long EMPTY = 0;
    private static final long REMOVED = -1;
    private static final int MIN_RING = 16;

    private final Function<T, String> idOf;
    /** Jobs in the order they came; null where one has left. The live ones lie from head (inclusive) to tail. */
    private Object[] ring = new Object[MIN_RING];
    private int head;
    private int tail;
    /** Places used from head to tail, holes included. */
    private int span;
    private int live;
    /**
     * For each stored id its hash (high half) and ring place + 1 (low half, always positive), EMPTY, or REMOVED (a
     * tombstone: probing goes on past it). The hash beside the place spares a probe that passes another id a look at
     * that job and its id, three reads of memory far apart: with a million jobs stored those misses were most of
     * what storing a job cost.
     */
    private long[] index = new long[MIN_RING * 2];
    private int tombstones;

    StoredJobs(Function<T, String> idOf) {
        this.idOf = idOf;
    }

    int size() {
        return live;
    }

    /** The job stored under this id, or null. */
    T get(String id) {
        int slot = find(id);
        return slot < 0 ? null : job(placeOf(index[slot]));
    }

    /** Stores a job; one stored under the same id before (only the ID_REUSED defect makes two) is taken out and returned. */
    T put(T job) {
        String id = idOf.apply(job);
        T replaced = null;
        int existing = find(id);
        if (existing >= 0) {
            replaced = job(placeOf(index[existing]));
            removeAt(existing);
        }
        if (span == ring.length) {
            reshape();
        }
        int place = tail;
        ring[place] = job;
        tail = next(tail);
        span++;
        live++;
        insert(id, place);
        return replaced;
    }

    /** Takes this very job out (by identity); false if it is not stored. */
    boolean remove(T job) {
        int mask = index.length - 1;
        int hash = spread(idOf.apply(job).hashCode());
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long v = index[i];
            if (v == EMPTY) {
                return false;
            }
            if (holds(v, hash) && ring[placeOf(v)] == job) {
                removeAt(i);
                return true;
            }
        }
    }

    /** Every stored job, in the order they came. */
    void forEach(Consumer<T> action) {
        for (int k = 0, p = head; k < span; k++, p = next(p)) {
            T job = job(p);
            if (job != null) {
                action.accept(job);
            }
        }
    }

    /** How many stored jobs match. */
    int count(java.util.function.Predicate<T> matches) {
        int n = 0;
        for (int k = 0, p = head; k < span; k++, p = next(p)) {
            T job = job(p);
            if (job != null && matches.test(job)) {
                n++;
            }
        }
        return n;
    }

    /** A copy of the stored jobs in the order they came, safe to iterate while the store changes. */
    List<T> snapshot() {
        List<T> all = new ArrayList<>(live);
        forEach(all::add);
        return all;
    }

    /** Room in the ring (for tests: it shrinks again once a flood has passed). */
    int capacity() {
        return ring.length;
    }

    // ---------------------------------------------------------------- internals

    @SuppressWarnings("unchecked")
    private T job(int place) {
        return (T) ring[place];
    }

    private int next(int place) {
        return place + 1 == ring.length ? 0 : place + 1;
    }

    /** The index slot holding this id, or -1. */
    private int find(String id) {
        int mask = index.length - 1;
        int hash = spread(id.hashCode());
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long v = index[i];
            if (v == EMPTY) {
                return -1;
            }
            if (holds(v, hash) && idOf.apply(job(placeOf(v))).equals(id)) {
                return i;
            }
        }
    }

    private void removeAt(int slot) {
        int place = placeOf(index[slot]);
        index[slot] = REMOVED;
        tombstones++;
        ring[place] = null;
        live--;
        // the oldest leave first, as a rule: the ring's start moves on past the places they leave
        while (span > 0 && ring[head] == null) {
            head = next(head);
            span--;
        }
        if (span == 0) {
            head = tail = 0;
        }
        if (ring.length > 1024 && live < ring.length / 8) {
            reshape(); // give back the room a flood made it take
        }
    }

    private void insert(String id, int place) {
        int mask = index.length - 1;
        int hash = spread(id.hashCode());
        int i = hash & mask;
        while (occupied(index[i])) {
            i = (i + 1) & mask;
        }
        if (index[i] == REMOVED) {
            tombstones--;
        }
        index[i] = entry(hash, place);
        if ((live + tombstones) * 2 > index.length) {
            rebuildIndex(index.length);
        }
    }

    /**
     * The ring is full from head to tail (or mostly empty): copies the live jobs, in order, to a ring of two to four
     * times their number (holes left by jobs that went out of turn are dropped here), and indexes them afresh.
     */
    private void reshape() {
        Object[] fresh = new Object[Math.max(MIN_RING, Integer.highestOneBit(Math.max(1, live)) * 4)];
        int n = 0;
        for (int k = 0, p = head; k < span; k++, p = next(p)) {
            if (ring[p] != null) {
                fresh[n++] = ring[p];
            }
        }
        ring = fresh;
        head = 0;
        tail = n == fresh.length ? 0 : n;
        span = n;
        rebuildIndex(Math.max(MIN_RING * 2, Integer.highestOneBit(Math.max(1, ring.length)) * 2));
    }

    private void rebuildIndex(int size) {
        // an index more than half full of live ids is doubled; one full of tombstones is swept at its size
        int length = live * 2 > size / 2 ? size * 2 : size;
        index = new long[length];
        tombstones = 0;
        int mask = length - 1;
        for (int k = 0, p = head; k < span; k++, p = next(p)) {
            T job = job(p);
            if (job != null) {
                int hash = spread(idOf.apply(job).hashCode());
                int i = hash & mask;
                while (index[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                index[i] = entry(hash, p);
            }
        }
    }

    private static long entry(int hash, int place) {
        return ((long) hash << 32) | (place + 1);
    }

    private static int placeOf(long entry) {
        return (int) entry - 1;
    }

    /** A stored id's entry (not EMPTY, not REMOVED: their low halves are 0 and -1). */
    private static boolean occupied(long entry) {
        return (int) entry > 0;
    }

    /** An entry of a stored id with this hash. */
    private static boolean holds(long entry, int hash) {
        return occupied(entry) && (int) (entry >>> 32) == hash;
    }

    /** Hash bits spread, as HashMap does, so that ids differing only in high bits land apart. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
