package org.siphon.tm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.siphon.core.proxy.Cancellable;

/** A {@link Scheduler} on virtual time for lockstep tests: nothing runs until {@link #advance}. */
final class VirtualClock implements Scheduler {

    private record Task(long at, long seq, Runnable task, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::at).thenComparingLong(Task::seq));
    private long now;
    private long seq;

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = new boolean[1];
        tasks.add(new Task(now + delayMillis, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public long now() {
        return now;
    }

    /** Moves time forward, running every task due on the way in order. */
    void advance(long millis) {
        long end = now + millis;
        while (!tasks.isEmpty() && tasks.peek().at() <= end) {
            Task t = tasks.poll();
            now = t.at();
            if (!t.cancelled()[0]) {
                t.task().run();
            }
        }
        now = end;
    }

    /** Tasks still waiting (cancelled ones excluded). */
    int pending() {
        List<Task> live = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled()[0]) {
                live.add(t);
            }
        }
        return live.size();
    }
}
