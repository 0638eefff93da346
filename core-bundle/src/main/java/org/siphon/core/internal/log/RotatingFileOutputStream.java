package org.siphon.core.internal.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A log file that rotates itself, as logrotate or log4j's rolling file do: before a write that
 * would take the file past {@link Policy#maxSize()} bytes, or the first write after midnight
 * (local time) or the full hour when {@link Policy#interval()} says so, {@code siphon.log}
 * becomes {@code siphon.log.1}, {@code .1} becomes {@code .2} … and the oldest beyond
 * {@link Policy#keep()} is deleted; a new {@code siphon.log} starts. A file left from an earlier
 * day (or hour) is rotated when it is opened. One write never spans two files (a log line is
 * written in one call). If a rotation fails (permissions, disk full) the stream keeps appending
 * to the file it has and says why once on {@code problems}. Writes are not buffered. Thread-safe.
 */
public final class RotatingFileOutputStream extends OutputStream {

    /** When rotation happens by age. */
    public enum Interval {
        /** never by age, only by size */
        NONE,
        /** at the first write after the full hour */
        HOURLY,
        /** at the first write after midnight, local time */
        DAILY;

        /** {@code none}, {@code hourly}, {@code daily} (any case). */
        public static Interval parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log interval must be daily, hourly or none, not \"" + text + "\"");
            }
        }
    }

    /**
     * @param maxSize  bytes a file may reach before it is rotated; 0 or less: no limit
     * @param interval rotation by age
     * @param keep     rotated files kept ({@code .1} … {@code .keep}); 0 keeps none
     */
    public record Policy(long maxSize, Interval interval, int keep) {
        public Policy {
            if (keep < 0) {
                throw new IllegalArgumentException("keep must be 0 or more, not " + keep);
            }
        }

        /** {@code 10M}, {@code 512k}, {@code 1G}, {@code 1048576} (bytes; k/m/g are 1024-based); {@code 0} is no limit. */
        public static long parseSize(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("b")) {
                t = t.substring(0, t.length() - 1);
            }
            long unit = 1;
            if (!t.isEmpty() && "kmg".indexOf(t.charAt(t.length() - 1)) >= 0) {
                unit = 1L << (10 * ("kmg".indexOf(t.charAt(t.length() - 1)) + 1));
                t = t.substring(0, t.length() - 1);
            }
            try {
                long n = Long.parseLong(t.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return Math.multiplyExact(n, unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("log size must be a number of bytes with k, M or G, not \"" + text + "\"");
            }
        }
    }

    private final Path file;
    private final LongSupplier clock;
    private final ZoneId zone;
    private final java.io.PrintStream problems;
    private volatile Policy policy;
    private FileChannel channel;
    private long size;
    /** When the current file must rotate by age (epoch ms), Long.MAX_VALUE for never. */
    private long rotateAt;
    private boolean failedOnce;

    /**
     * Opens (appending) or creates {@code file}, rotating it first if it is from an earlier period.
     *
     * @param problems where a failed rotation is reported (once), e.g. the original stderr
     */
    public RotatingFileOutputStream(Path file, Policy policy, LongSupplier clock, ZoneId zone,
            java.io.PrintStream problems) throws IOException {
        this.file = file;
        this.policy = policy;
        this.clock = clock;
        this.zone = zone;
        this.problems = problems;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        long now = clock.getAsLong();
        if (Files.isRegularFile(file) && Files.size(file) > 0
                && boundaryAfter(Files.getLastModifiedTime(file).toMillis()) <= now) {
            shift();
        }
        open(now);
    }

    /** Changes the limits; applies from the next write (a new interval counts from the current file's start). */
    public synchronized void policy(Policy p) {
        this.policy = p;
        rotateAt = boundaryAfter(clock.getAsLong());
    }

    public Policy policy() {
        return policy;
    }

    /** The file written now. */
    public Path file() {
        return file;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (channel == null) {
            throw new IOException("log file " + file + " is closed");
        }
        long now = clock.getAsLong();
        Policy p = policy;
        if (size > 0 && (now >= rotateAt || p.maxSize() > 0 && size + len > p.maxSize())) {
            rotate(now);
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private void open(long now) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
        rotateAt = boundaryAfter(now);
    }

    private void rotate(long now) throws IOException {
        channel.close();
        try {
            shift();
            failedOnce = false;
        } catch (IOException e) {
            if (!failedOnce && problems != null) {
                problems.println("siphon: cannot rotate the log file " + file + " (" + e + "); it keeps growing");
            }
            failedOnce = true;
        }
        open(now);
        if (failedOnce) {
            size = 0; // try again when the file has grown by maxSize again, not at every write
        }
    }

    /** {@code .keep} goes, {@code .k} becomes {@code .k+1}, the file becomes {@code .1} (or goes when keep is 0). */
    private void shift() throws IOException {
        int keep = policy.keep();
        Files.deleteIfExists(rotated(Math.max(keep, 1)));
        for (int k = keep - 1; k >= 1; k--) {
            Path from = rotated(k);
            if (Files.exists(from)) {
                Files.move(from, rotated(k + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else if (Files.exists(file)) {
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        // files beyond keep left by a larger keep earlier
        for (int k = Math.max(keep, 1) + 1; Files.exists(rotated(k)); k++) {
            Files.delete(rotated(k));
        }
    }

    Path rotated(int k) {
        return file.resolveSibling(file.getFileName() + "." + k);
    }

    /** The next midnight or full hour after {@code millis}, in {@link #zone}. */
    private long boundaryAfter(long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
        return switch (policy.interval()) {
            case NONE -> Long.MAX_VALUE;
            case HOURLY -> t.truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant().toEpochMilli();
            case DAILY -> t.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        };
    }
}
