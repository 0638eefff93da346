package org.siphon.core.internal.proxy;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services of one kind a module provides, newest registration first: while a module is updated
 * its new version takes new work and the old one, draining, still answers for its own (so each is
 * offered work in turn). Thread-safe; {@link #list()} is a snapshot.
 */
final class NewestFirst<T> {

    private final Map<T, Long> ids = new IdentityHashMap<>();
    private volatile List<T> list = List.of();

    synchronized void add(T service, Map<String, Object> props) {
        ids.put(service, (Long) props.getOrDefault("service.id", 0L));
        list = ids.entrySet().stream().sorted(Map.Entry.<T, Long>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    synchronized void remove(T service) {
        ids.remove(service);
        list = list.stream().filter(s -> s != service).toList();
    }

    List<T> list() {
        return list;
    }
}
