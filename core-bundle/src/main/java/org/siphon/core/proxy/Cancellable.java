package org.siphon.core.proxy;

/** A timer task that can be stopped before it runs. */
@FunctionalInterface
public interface Cancellable {

    /** Stops the task if it has not run yet; harmless otherwise. */
    void cancel();
}
