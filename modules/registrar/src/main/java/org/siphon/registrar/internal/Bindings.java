package org.siphon.registrar.internal;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the contacts of each address of record are kept: in the core's memory store
 * ({@link Location}, db_mode 0–2) or in the database only ({@link DbBindings}, db_mode 3, for
 * several nodes sharing one PostgreSQL). Thread-safe; each AOR changes atomically.
 */
interface Bindings {

    /** The live contacts of {@code aor}, highest q first, then newest first. */
    List<Contact> contacts(String aor, long now);

    /** Changes the contacts of {@code aor} atomically ({@code change} may throw to refuse); returns them afterwards. */
    List<Contact> update(String aor, long now, UnaryOperator<List<Contact>> change);

    /** Removes every contact of {@code aor}; false when it had none. */
    boolean remove(String aor);

    /** Every AOR with a live contact, sorted. */
    List<String> aors(long now);

    /** {@code {AORs, contacts}} that are live, counted without copying the table. */
    long[] counts(long now);

    /** Removes expired contacts; returns how many. */
    int expire(long now);
}
