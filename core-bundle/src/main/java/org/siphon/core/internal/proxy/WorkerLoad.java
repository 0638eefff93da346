package org.siphon.core.internal.proxy;

/**
 * One SIP worker's load at one moment, for {@code /metrics}.
 *
 * @param worker   the worker's number, from 1 (thread {@code siphon-worker-N})
 * @param queued   messages waiting in its queue
 * @param busy     whether it is running a message now
 * @param capacity the most messages its queue holds before the core sheds load (503)
 */
public record WorkerLoad(int worker, int queued, boolean busy, int capacity) {
}
