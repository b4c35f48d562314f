package dev.runpodkit.mock.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The clock every timer of the mock runs on. Most cases use a fake wall clock (the package-private
 * constructor takes one), so "time passes" is a number the test sets, not a sleep.
 */
class ControllableClockTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MS = 1_000_000L; // nanos

    private final AtomicLong wall = new AtomicLong(5 * MS);
    private final List<ControllableClock> clocks = new ArrayList<>();

    private ControllableClock fake(double scale, boolean frozen) {
        ControllableClock c = new ControllableClock(scale, frozen, T0, wall::get);
        clocks.add(c);
        return c;
    }

    private ControllableClock manual() {
        ControllableClock c = ControllableClock.manual(T0);
        clocks.add(c);
        return c;
    }

    @AfterEach
    void closeClocks() {
        clocks.forEach(ControllableClock::close);
    }

    // ---------------------------------------------------------------- frozen and manual time

    @Test
    void aCancelledTimerNoLongerHoldsWhatItsTaskRefersTo() throws InterruptedException {
        // a cancelled timer leaves the heap at once and must not keep its task's job alive
        ControllableClock c = manual();
        java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(null);
        Clock.Timer timer = null;
        {
            Object job = new byte[1 << 20];
            ref = new java.lang.ref.WeakReference<>(job);
            timer = c.schedule(60_000, () -> job.hashCode());
        } // out of scope: the task's capture is the one strong path left
        assertTrue(timer.cancel());
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, c.pendingTimers(), "the cancelled timer is still in the heap");
        assertTrue(ref.get() == null, "the cancelled timer's task still holds what it captured");
    }

    @Test
    void aFrozenClockDoesNotMoveWhileWallTimePasses() {
        ControllableClock c = fake(1.0, true);
        wall.addAndGet(60_000 * MS);
        assertEquals(T0, c.now());
        assertTrue(c.frozen());
    }

    @Test
    void aManualClockStartsAtTheGivenTimeAndStandsStill() {
        ControllableClock c = manual();
        assertEquals(T0, c.now());
        assertTrue(c.frozen());
        assertEquals(T0, c.now());
    }

    @Test
    void advanceMovesAFrozenClockByExactlyTheGivenAmount() {
        ControllableClock c = manual();
        c.advance(1_500);
        assertEquals(T0 + 1_500, c.now());
        c.advance(0);
        assertEquals(T0 + 1_500, c.now());
    }

    @Test
    void advanceRefusesToMoveBackwards() {
        ControllableClock c = manual();
        assertThrows(IllegalArgumentException.class, () -> c.advance(-1));
        assertEquals(T0, c.now());
    }

    // ---------------------------------------------------------------- timers

    @Test
    void advanceFiresDueTimersInDueOrderAndNotLaterOnes() {
        ControllableClock c = manual();
        List<String> fired = new ArrayList<>();
        c.schedule(300, () -> fired.add("c@" + (c.now() - T0)));
        c.schedule(100, () -> fired.add("a@" + (c.now() - T0)));
        c.schedule(200, () -> fired.add("b1@" + (c.now() - T0)));
        c.schedule(200, () -> fired.add("b2@" + (c.now() - T0))); // same due time: scheduling order
        c.schedule(301, () -> fired.add("late@" + (c.now() - T0)));

        c.advance(300);

        assertEquals(List.of("a@100", "b1@200", "b2@200", "c@300"), fired);
        assertEquals(T0 + 300, c.now());
        c.advance(1);
        assertEquals(List.of("a@100", "b1@200", "b2@200", "c@300", "late@301"), fired);
    }

    @Test
    void aTimerDueExactlyAtTheEndOfTheWindowFires() {
        ControllableClock c = manual();
        AtomicInteger runs = new AtomicInteger();
        c.schedule(1_000, runs::incrementAndGet);
        c.advance(999);
        assertEquals(0, runs.get());
        c.advance(1);
        assertEquals(1, runs.get());
    }

    @Test
    void timersScheduledByAFiringTimerWithinTheAdvancedWindowAlsoFire() {
        ControllableClock c = manual();
        List<String> fired = new ArrayList<>();
        c.schedule(100, () -> {
            fired.add("first@" + (c.now() - T0));
            c.schedule(50, () -> {
                fired.add("second@" + (c.now() - T0));
                c.schedule(0, () -> fired.add("third@" + (c.now() - T0)));
            });
            c.schedule(500, () -> fired.add("outside@" + (c.now() - T0)));
        });

        c.advance(200);

        assertEquals(List.of("first@100", "second@150", "third@150"), fired);
        c.advance(400);
        assertEquals(List.of("first@100", "second@150", "third@150", "outside@600"), fired);
    }

    @Test
    void aTimerWithANegativeDelayIsDueAtOnce() {
        ControllableClock c = manual();
        AtomicInteger runs = new AtomicInteger();
        c.schedule(-5_000, runs::incrementAndGet);
        c.advance(0);
        assertEquals(1, runs.get());
    }

    @Test
    void aCancelledTimerNeverRuns() {
        ControllableClock c = manual();
        AtomicInteger runs = new AtomicInteger();
        Clock.Timer t = c.schedule(100, runs::incrementAndGet);
        Clock.Timer other = c.schedule(100, runs::incrementAndGet);

        assertTrue(t.cancel());
        assertFalse(t.cancel(), "a second cancel has nothing left to call off");
        c.advance(1_000);

        assertEquals(1, runs.get(), "only the timer that was not cancelled ran");
        assertFalse(other.cancel(), "a timer that has run cannot be cancelled");
    }

    @Test
    void aTimerThatThrowsDoesNotStopTheTimersAfterIt() {
        ControllableClock c = manual();
        AtomicInteger runs = new AtomicInteger();
        c.schedule(10, () -> {
            throw new IllegalStateException("deliberately failing timer (expected in this test's log)");
        });
        c.schedule(20, runs::incrementAndGet);
        c.advance(100);
        assertEquals(1, runs.get());
    }

    @Test
    void cancelledTimersDoNotGrowTheHeapWithoutBound() {
        ControllableClock c = manual();
        for (int i = 0; i < 500; i++) {
            c.schedule(1_000_000 + i, () -> { });
        }
        for (int i = 0; i < 200_000; i++) {
            c.schedule(10_000 + i, () -> { }).cancel();
        }
        assertEquals(500, c.pendingTimers(), "200,000 cancelled timers must leave no entry behind, the live ones stay");
    }

    @Test
    void cancellingTimersAnywhereInTheHeapKeepsTheOthersInDueOrder() {
        ControllableClock c = manual();
        List<Integer> fired = new CopyOnWriteArrayList<>();
        List<Clock.Timer> timers = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        int[] delays = new int[2_000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = random.nextInt(10_000);
            int n = i;
            timers.add(c.schedule(delays[i], () -> fired.add(n)));
        }
        java.util.Set<Integer> cancelled = new java.util.HashSet<>();
        for (int i = 0; i < delays.length; i += 3) {
            assertTrue(timers.get(i).cancel());
            cancelled.add(i);
        }
        assertEquals(delays.length - cancelled.size(), c.pendingTimers());
        c.advance(10_000);
        assertEquals(delays.length - cancelled.size(), fired.size(), "every live timer fired once, no cancelled one");
        for (int k = 1; k < fired.size(); k++) {
            int a = fired.get(k - 1);
            int b = fired.get(k);
            assertTrue(delays[a] < delays[b] || (delays[a] == delays[b] && a < b),
                    "timers fired out of due order: " + a + " (" + delays[a] + " ms) before " + b + " (" + delays[b] + " ms)");
        }
        assertTrue(fired.stream().noneMatch(cancelled::contains));
        assertEquals(0, c.pendingTimers());
    }

    @Test
    void clearTimersDropsEveryPendingTimer() {
        ControllableClock c = manual();
        AtomicInteger runs = new AtomicInteger();
        Clock.Timer t = c.schedule(10, runs::incrementAndGet);
        c.schedule(20, runs::incrementAndGet);
        c.clearTimers();
        assertEquals(0, c.pendingTimers());
        c.advance(100);
        assertEquals(0, runs.get());
        assertFalse(t.cancel(), "a cleared timer is already done");
    }

    // ---------------------------------------------------------------- running and scaled time

    @Test
    void aScaledClockMovesScaleTimesFasterThanTheWallClock() {
        ControllableClock c = fake(100, false);
        wall.addAndGet(10 * MS);
        assertEquals(T0 + 1_000, c.now());
        assertEquals(100.0, c.scale());
    }

    @Test
    void aScaledClockFiresItsTimersFasterThanTheWallClock() throws InterruptedException {
        ControllableClock c = ControllableClock.scaled(1_000);
        clocks.add(c);
        long mockStart = c.now();
        long wallStart = System.nanoTime();
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong firedAt = new AtomicLong();
        c.schedule(5_000, () -> {
            firedAt.set(c.now());
            fired.countDown();
        });

        assertTrue(fired.await(4, TimeUnit.SECONDS), "5 s of mock time at scale 1000 took more than 4 s of wall time");
        long wallMs = (System.nanoTime() - wallStart) / MS;
        assertTrue(firedAt.get() - mockStart >= 5_000, "fired early: after " + (firedAt.get() - mockStart) + " ms of mock time");
        assertTrue(wallMs < 4_000, "took " + wallMs + " ms of wall time");
    }

    @Test
    void aResumedClockFiresDueTimersOnItsOwnThread() throws InterruptedException {
        ControllableClock c = manual();
        CountDownLatch fired = new CountDownLatch(1);
        c.schedule(2_000, fired::countDown);
        c.setScale(1_000);
        assertFalse(fired.await(50, TimeUnit.MILLISECONDS), "a frozen clock fired a timer by itself");
        c.resume();
        assertTrue(fired.await(4, TimeUnit.SECONDS), "the clock thread did not fire the timer after resume");
    }

    @Test
    void freezeResumeAndSetScaleKeepNowContinuous() {
        ControllableClock c = fake(10, false);
        wall.addAndGet(100 * MS);
        assertEquals(T0 + 1_000, c.now());

        c.freeze();
        assertEquals(T0 + 1_000, c.now(), "freeze must not jump");
        wall.addAndGet(1_000 * MS);
        assertEquals(T0 + 1_000, c.now(), "frozen");

        c.resume();
        assertEquals(T0 + 1_000, c.now(), "resume must not jump (the frozen second is not counted)");
        wall.addAndGet(10 * MS);
        assertEquals(T0 + 1_100, c.now());

        c.setScale(1_000);
        assertEquals(T0 + 1_100, c.now(), "a new scale applies from now on, not to the past");
        wall.addAndGet(MS);
        assertEquals(T0 + 2_100, c.now());

        c.setScale(0.5);
        assertEquals(T0 + 2_100, c.now());
        wall.addAndGet(100 * MS);
        assertEquals(T0 + 2_150, c.now());

        c.freeze();
        c.setScale(3);
        assertEquals(T0 + 2_150, c.now(), "setScale on a frozen clock keeps it frozen");
        assertTrue(c.frozen());
        wall.addAndGet(100 * MS);
        assertEquals(T0 + 2_150, c.now());
    }

    @Test
    void advanceOnARunningClockAddsToTheTimeThatAlreadyPassed() {
        ControllableClock c = fake(2, false);
        wall.addAndGet(100 * MS);
        c.advance(1_000);
        assertEquals(T0 + 1_200, c.now());
        wall.addAndGet(100 * MS);
        assertEquals(T0 + 1_400, c.now());
    }

    @Test
    void nowNeverGoesBackwardsAcrossModeChanges() {
        ControllableClock c = fake(7.3, false);
        long last = c.now();
        for (int i = 0; i < 1_000; i++) {
            wall.addAndGet(MS / 3 + i);
            switch (i % 4) {
                case 0 -> c.freeze();
                case 1 -> c.resume();
                case 2 -> c.setScale(1 + (i % 13) * 3.7);
                default -> c.advance(i % 5);
            }
            long now = c.now();
            assertTrue(now >= last, "time went back from " + last + " to " + now + " at step " + i);
            last = now;
        }
    }

    @Test
    void aScaleThatIsNotAPositiveFiniteNumberIsRefused() {
        ControllableClock c = manual();
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> c.setScale(bad), "scale " + bad);
            assertThrows(IllegalArgumentException.class, () -> new ControllableClock(bad, true, T0, System::nanoTime).close(),
                    "scale " + bad);
        }
        assertEquals(1.0, c.scale());
        assertEquals(T0, c.now());
    }

    @Test
    void timersFromManyThreadsAllFireOnce() throws InterruptedException {
        ControllableClock c = manual();
        List<Integer> fired = new CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int base = t * 1_000;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    int id = base + i;
                    c.schedule(1 + i % 50, () -> fired.add(id));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        c.advance(100);
        assertEquals(8_000, fired.size());
        assertEquals(8_000, fired.stream().distinct().count());
    }

    @Test
    void concurrentAdvancesAddUp() throws InterruptedException {
        ControllableClock c = manual();
        for (int i = 1; i <= 20_000; i++) {
            c.schedule(i, () -> {
                long x = 0;
                for (int k = 0; k < 200; k++) {
                    x += Long.numberOfTrailingZeros(System.nanoTime() + k);
                }
                if (x == 42) {
                    Thread.onSpinWait();
                }
            });
        }
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    c.advance(1_000);
                }
            });
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(T0 + 20_000, c.now(), "4 threads x 5 advances x 1000 ms");
        assertEquals(0, c.pendingTimers());
    }
}
