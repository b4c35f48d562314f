package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The endpoint's job store: it must answer exactly as an insertion-ordered map would, whatever the order of leaving. */
class StoredJobsTest {

    /** A job stand-in: an id, and identity. */
    private record Job(String id, int n) { }

    private final StoredJobs<Job> store = new StoredJobs<>(Job::id);

    @Test
    void matchesALinkedHashMapOverAMillionRandomOperations() {
        Map<String, Job> model = new LinkedHashMap<>();
        Random random = new Random(7);
        List<String> known = new ArrayList<>();
        for (int op = 0; op < 1_000_000; op++) {
            int kind = random.nextInt(10);
            if (kind < 5 || known.isEmpty()) {
                String id = "job-" + random.nextInt(200_000);
                Job job = new Job(id, op);
                Job replacedByStore = store.put(job);
                Job replacedByModel = model.remove(id); // the store appends a replacing job at the end
                model.put(id, job);
                assertSame(replacedByModel, replacedByStore, "put " + id);
                known.add(id);
            } else if (kind < 8) {
                // leave mostly oldest first, as finished jobs do, sometimes out of turn
                String id = random.nextInt(4) == 0 ? known.get(random.nextInt(known.size())) : model.isEmpty() ? "none"
                        : model.keySet().iterator().next();
                Job inModel = model.remove(id);
                assertEquals(inModel != null, inModel != null && store.remove(inModel), "remove " + id);
            } else {
                String id = random.nextBoolean() ? known.get(random.nextInt(known.size())) : "job-" + random.nextInt(200_000);
                assertSame(model.get(id), store.get(id), "get " + id);
            }
            if (op % 50_000 == 0) {
                assertEquals(new ArrayList<>(model.values()), store.snapshot(), "order after " + op + " operations");
                assertEquals(model.values().stream().filter(j -> j.n() % 3 == 0).count(), store.count(j -> j.n() % 3 == 0),
                        "count after " + op + " operations");
            }
        }
        assertEquals(model.size(), store.size());
        assertEquals(new ArrayList<>(model.values()), store.snapshot());
    }

    @Test
    void idsWithTheSameHashAreToldApart() {
        // "Aa" and "BB" hash alike, so every id made of ten such pairs has the same hash: the index's stored hash
        // matches for all of them, and only the id itself can tell them apart
        List<Job> jobs = new ArrayList<>();
        for (int bits = 0; bits < 1024; bits++) {
            StringBuilder id = new StringBuilder();
            for (int k = 0; k < 10; k++) {
                id.append((bits >> k & 1) == 0 ? "Aa" : "BB");
            }
            jobs.add(new Job(id.toString(), bits));
        }
        assertEquals(1, jobs.stream().map(j -> j.id().hashCode()).distinct().count());
        jobs.forEach(j -> assertNull(store.put(j)));
        for (Job j : jobs) {
            assertSame(j, store.get(j.id()));
        }
        for (int k = 0; k < jobs.size(); k += 2) {
            assertTrue(store.remove(jobs.get(k)));
        }
        for (int k = 0; k < jobs.size(); k++) {
            assertSame(k % 2 == 0 ? null : jobs.get(k), store.get(jobs.get(k).id()), jobs.get(k).id());
        }
        Job again = new Job(jobs.get(1).id(), -1);
        assertSame(jobs.get(1), store.put(again));
        assertSame(again, store.get(again.id()));
        assertEquals(512, store.size());
    }

    @Test
    void aLongLivedJobAtTheFrontDoesNotStopTheRestFromComingAndGoing() {
        Job longLived = new Job("long", 0);
        store.put(longLived);
        for (int i = 1; i <= 100_000; i++) {
            Job j = new Job("short-" + i, i);
            store.put(j);
            assertTrue(store.remove(j));
        }
        assertEquals(1, store.size());
        assertSame(longLived, store.get("long"));
        assertTrue(store.capacity() <= 64, "holes behind a long-lived job are dropped: capacity " + store.capacity());
        assertEquals(List.of(longLived), store.snapshot());
    }

    @Test
    void aFloodGrowsTheRingAndItsEndGivesTheRoomBack() {
        List<Job> flood = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            Job j = new Job("flood-" + i, i);
            flood.add(j);
            assertNull(store.put(j));
        }
        assertTrue(store.capacity() >= 300_000);
        for (Job j : flood) {
            assertTrue(store.remove(j));
        }
        assertEquals(0, store.size());
        assertTrue(store.capacity() <= 1_024, "capacity after the flood: " + store.capacity());
        assertFalse(store.remove(flood.get(0)), "a job taken out is not there to take out again");
        assertNull(store.get("flood-1"));
    }

    @Test
    void removeTakesOutThatVeryJobNotAnotherWithItsId() {
        Job first = new Job("same", 1);
        Job second = new Job("same", 2);
        store.put(first);
        assertSame(first, store.put(second), "the ID_REUSED defect: the second replaces the first");
        assertFalse(store.remove(first), "the replaced job is no longer stored");
        assertSame(second, store.get("same"));
    }
}
