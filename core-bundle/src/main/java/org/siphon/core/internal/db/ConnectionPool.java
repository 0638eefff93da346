package org.siphon.core.internal.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of JDBC connections: at most {@code size} in use, idle ones kept and checked
 * before reuse, a caller waiting at most {@code waitMillis} for one. A connection handed out is
 * a proxy whose {@code close()} rolls back an unfinished transaction and gives the connection
 * back. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final int size;
    private final long waitMillis;
    private final ArrayBlockingQueue<Connection> idle;
    private final Semaphore permits;

    ConnectionPool(Connector connector, int size, long waitMillis) {
        this.connector = connector;
        this.size = Math.max(1, size);
        this.waitMillis = waitMillis;
        this.idle = new ArrayBlockingQueue<>(this.size);
        this.permits = new Semaphore(this.size, true);
    }

    Connection get() throws SQLException {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("all " + size + " database connections stayed busy for "
                        + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection");
        }
        try {
            Connection c;
            while ((c = idle.poll()) != null) {
                if (c.isValid(1)) {
                    return lend(c);
                }
                closeQuietly(c);
            }
            return lend(connector.open());
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Connections open now, in use or idle (for tests and RPC). */
    int idleCount() {
        return idle.size();
    }

    private Connection lend(Connection physical) {
        boolean[] returned = new boolean[1];
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!returned[0]) {
                                returned[0] = true;
                                giveBack(physical);
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return returned[0] || physical.isClosed();
                        }
                        default -> {
                            if (returned[0]) {
                                throw new SQLException("this connection was given back to the pool");
                            }
                            try {
                                return method.invoke(physical, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    private void giveBack(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (!idle.offer(c)) {
                c.close();
            }
        } catch (SQLException e) {
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already broken
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }
}
