package org.siphon.test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.siphon.core.db.Database;
import org.siphon.core.internal.db.DatabaseComponent;
import org.siphon.core.internal.store.SharedStoreComponent;
import org.siphon.core.store.SharedStore;

/**
 * The core's own storage services for a unit test: the shared store (what survives
 * {@code module.update}) and the database service over an in-memory H2 database.
 */
public final class TestStores {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestStores() {
    }

    /** A fresh shared store on the system clock. */
    public static SharedStore shared() {
        return new SharedStoreComponent();
    }

    /** A fresh shared store whose expiries read {@code clock} (ms), so a test can move time. */
    public static SharedStore shared(LongSupplier clock) {
        return new SharedStoreComponent(clock);
    }

    /** A fresh in-memory H2 database behind the core's database service (Kamailio's tables are created by the modules). */
    public static Database h2() {
        return database("h2:mem:siphon-test-" + DATABASES.incrementAndGet(), null);
    }

    /**
     * The core's database service on {@code dbUrl} ({@code h2:PATH}, {@code h2:mem:NAME},
     * {@code postgres://…}, {@code mysql://…}, {@code sqlite:///…}), relative H2 paths under {@code home}.
     */
    public static Database database(String dbUrl, Path home) {
        DatabaseComponent db = new DatabaseComponent();
        db.start(TestConfigs.of(DatabaseComponent.Config.class, "db__url", dbUrl, "pool__size", 2, "connect__timeout", 1000), home);
        return db;
    }

    /** Closes a database from {@link #h2()} or {@link #database}: its pool, and an H2 file or memory database. Idempotent. */
    public static void close(Database db) {
        if (db instanceof DatabaseComponent c) {
            c.deactivate();
        }
    }
}
