package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

import org.siphon.core.store.StoreTable;

/**
 * The location table (Kamailio's usrloc, {@code db_mode} 0): address of record → its contacts,
 * kept in a core store table as lists of plain arrays ({@link Contact#toStored}). Every change of
 * one AOR is atomic, except that a refresh which changes only a binding's Call-ID and numbers
 * (expiry, CSeq, time, flags) writes them into the stored binding: a reader may see a refresh half
 * done, each value whole. Expired contacts read as absent and are removed by {@link #expire}. Thread-safe.
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
        if (contacts.size() > 1) {
            contacts.sort(PREFERRED_FIRST);
        }
        return contacts;
    }

    private static final Comparator<Contact> PREFERRED_FIRST = Comparator
            .comparingInt((Contact c) -> c.q() < 0 ? 1000 : c.q()).reversed()
            .thenComparing(Comparator.comparingLong(Contact::modified).reversed());

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
            for (Contact c : next) {
                if (c.expires() > now) {
                    after.add(c);
                }
            }
            if (refreshInPlace(old, next)) {
                return old;
            }
            Object[] stored = new Object[next.size()];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = next.get(i).toStored();
            }
            return List.of(stored);
        }, 0);
        return sorted(after);
    }

    /**
     * When {@code next} only changes the Call-IDs and numbers of the stored contacts (same contacts,
     * same order, same other strings: a refresh), writes them into the stored ones and returns true.
     */
    private static boolean refreshInPlace(Object old, List<Contact> next) {
        if (!(old instanceof List<?> stored) || stored.size() != next.size()) {
            return false;
        }
        for (int i = 0; i < next.size(); i++) {
            if (!next.get(i).refreshes(stored.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < next.size(); i++) {
            next.get(i).storeInto(stored.get(i));
        }
        return true;
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
        table.forEach((aor, v) -> {
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

    /**
     * {@inheritDoc} Walks the table in place (no copy of it: with 100,000 AORs a copy would be
     * promoted by the young collections during the walk) and changes only the AORs with an
     * expired contact.
     */
    @Override
    public int expire(long now) {
        int[] gone = new int[1];
        table.forEach((aor, v) -> {
            if (v instanceof List<?> list && liveCount(list, now) == list.size()) {
                return;
            }
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
                return kept.isEmpty() ? null : kept.size() == list.size() ? old : List.copyOf(kept);
            }, 0);
        });
        return gone[0];
    }
}
