package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

import org.siphon.core.store.StoreTable;

/**
 * The location table (Kamailio's usrloc, {@code db_mode} 0): address of record → its contacts,
 * kept in a core store table as lists of plain maps. Every change of one AOR is atomic. Expired
 * contacts read as absent and are removed by {@link #expire}. Thread-safe.
 */
final class Location implements Bindings {

    private final StoreTable table;

    Location(StoreTable table) {
        this.table = table;
    }

    @Override
    public List<Contact> contacts(String aor, long now) {
        return live(table.get(aor), now);
    }

    private static List<Contact> live(Object stored, long now) {
        List<Contact> out = new ArrayList<>();
        if (stored instanceof List<?> list) {
            for (Object o : list) {
                if (Contact.expiresOf(o) > now) {
                    out.add(Contact.of(o));
                }
            }
        }
        return sorted(out);
    }

    /** Highest q first (no q counts as 1), then newest first. */
    static List<Contact> sorted(List<Contact> contacts) {
        contacts.sort(Comparator.comparingInt((Contact c) -> c.q() < 0 ? 1000 : c.q()).reversed()
                .thenComparing(Comparator.comparingLong(Contact::modified).reversed()));
        return contacts;
    }

    /**
     * {@inheritDoc} {@code change} gets the live contacts and returns the new list (or throws to
     * refuse the change, leaving the table as it was).
     */
    @Override
    public List<Contact> update(String aor, long now, UnaryOperator<List<Contact>> change) {
        List<Contact> after = new ArrayList<>();
        table.update(aor, old -> {
            List<Contact> next = change.apply(live(old, now));
            if (next.isEmpty()) {
                return null;
            }
            Object[] stored = new Object[next.size()];
            for (int i = 0; i < stored.length; i++) {
                Contact c = next.get(i);
                stored[i] = c.toStored();
                if (c.expires() > now) {
                    after.add(c);
                }
            }
            return List.of(stored);
        }, 0);
        return sorted(after);
    }

    @Override
    public boolean remove(String aor) {
        return table.remove(aor) != null;
    }

    @Override
    public List<String> aors(long now) {
        List<String> out = new ArrayList<>();
        table.snapshot().forEach((aor, v) -> {
            if (liveCount(v, now) > 0) {
                out.add(aor);
            }
        });
        return out; // the snapshot is sorted by key
    }

    @Override
    public long[] counts(long now) {
        long[] n = new long[2];
        table.snapshot().forEach((aor, v) -> {
            int live = liveCount(v, now);
            if (live > 0) {
                n[0]++;
                n[1] += live;
            }
        });
        return n;
    }

    /** How many of the stored contacts {@code v} are live, without building them. */
    private static int liveCount(Object v, long now) {
        int live = 0;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (Contact.expiresOf(o) > now) {
                    live++;
                }
            }
        }
        return live;
    }

    @Override
    public int expire(long now) {
        int[] gone = new int[1];
        for (String aor : table.snapshot().keySet()) {
            table.update(aor, old -> {
                if (!(old instanceof List<?> list)) {
                    return null;
                }
                List<Object> kept = new ArrayList<>();
                for (Object o : list) {
                    if (Contact.expiresOf(o) > now) {
                        kept.add(o);
                    } else {
                        gone[0]++;
                    }
                }
                return kept.isEmpty() ? null : List.copyOf(kept);
            }, 0);
        }
        return gone[0];
    }
}
