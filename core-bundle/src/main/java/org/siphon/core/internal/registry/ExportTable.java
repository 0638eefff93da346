package org.siphon.core.internal.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.siphon.core.registry.Export;
import org.siphon.core.registry.Registry;
import org.siphon.core.registry.RegistryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation behind the three registries. Per name it keeps a stack of exports, the
 * newest on top and visible; removing the top brings the one below back. Changes are made under
 * a lock and published as an immutable snapshot, so lookups never block; listeners are told after
 * the lock is released, in the order of the changes (for a module, after all three tables changed).
 */
public class ExportTable<E extends Export> implements Registry<E> {

    private static final Logger LOG = LoggerFactory.getLogger(ExportTable.class);

    private final String kind;
    private final Object lock = new Object();
    private final Map<String, Deque<E>> stacks = new HashMap<>();
    private volatile Map<String, E> visible = Map.of();
    private final List<RegistryListener<E>> listeners = new CopyOnWriteArrayList<>();

    /** @param kind what the table holds, for log lines ("function", "pseudo-variable", "RPC command") */
    public ExportTable(String kind) {
        this.kind = kind;
    }

    @Override
    public Optional<E> find(String name) {
        return Optional.ofNullable(visible.get(name));
    }

    @Override
    public Collection<E> all() {
        List<E> list = new ArrayList<>(visible.values());
        list.sort(Comparator.comparing(Export::name));
        return list;
    }

    @Override
    public List<E> ofModule(String module) {
        return all().stream().filter(e -> e.module().equals(module)).toList();
    }

    @Override
    public void addListener(RegistryListener<E> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(RegistryListener<E> listener) {
        listeners.remove(listener);
    }

    /** Makes {@code exports} visible, each hiding any older export of the same name. */
    public void add(Collection<? extends E> exports) {
        staged(exports, true).forEach(Runnable::run);
    }

    /** Takes {@code exports} out (matched by identity); older exports of the same names reappear. */
    public void remove(Collection<? extends E> exports) {
        staged(exports, false).forEach(Runnable::run);
    }

    /**
     * Adds or removes {@code exports} and returns the listener calls, not yet made: a module's
     * functions, pseudo-variables and RPC commands are changed first, and the listeners told after
     * ({@link ModuleWhiteboard}), so that none sees a module half there.
     */
    List<Runnable> staged(Collection<? extends E> exports, boolean add) {
        return add ? stageAdd(exports) : stageRemove(exports);
    }

    private List<Runnable> stageAdd(Collection<? extends E> exports) {
        List<Runnable> events = new ArrayList<>();
        synchronized (lock) {
            for (E e : exports) {
                Deque<E> stack = stacks.computeIfAbsent(e.name(), n -> new ArrayDeque<>());
                E hidden = stack.peekFirst();
                if (hidden != null && !hidden.module().equals(e.module())) {
                    LOG.warn("{} {} of module {} hides the one of module {}", kind, e.name(), e.module(), hidden.module());
                }
                stack.push(e);
                events.add(() -> fire(e, true));
            }
            publish();
        }
        return events;
    }

    private List<Runnable> stageRemove(Collection<? extends E> exports) {
        List<Runnable> events = new ArrayList<>();
        synchronized (lock) {
            for (E e : exports) {
                Deque<E> stack = stacks.get(e.name());
                if (stack == null) {
                    continue;
                }
                boolean wasVisible = stack.peekFirst() == e;
                removeIdentity(stack, e);
                if (wasVisible) {
                    events.add(() -> fire(e, false));
                    E back = stack.peekFirst();
                    if (back != null) {
                        events.add(() -> fire(back, true));
                    }
                }
                if (stack.isEmpty()) {
                    stacks.remove(e.name());
                }
            }
            publish();
        }
        return events;
    }

    private void removeIdentity(Deque<E> stack, E e) {
        for (Iterator<E> it = stack.iterator(); it.hasNext();) {
            if (it.next() == e) {
                it.remove();
                return;
            }
        }
    }

    private void publish() {
        Map<String, E> snapshot = new HashMap<>();
        stacks.forEach((name, stack) -> snapshot.put(name, stack.peekFirst()));
        visible = Map.copyOf(snapshot);
    }

    private void fire(E export, boolean added) {
        for (RegistryListener<E> l : listeners) {
            try {
                if (added) {
                    l.added(export);
                } else {
                    l.removed(export);
                }
            } catch (RuntimeException ex) {
                LOG.error("registry listener {} failed on {} {}", l, added ? "added" : "removed", export, ex);
            }
        }
    }
}
