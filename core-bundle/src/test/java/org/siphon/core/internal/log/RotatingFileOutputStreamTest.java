package org.siphon.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.internal.log.RotatingFileOutputStream.Interval;
import org.siphon.core.internal.log.RotatingFileOutputStream.Policy;

class RotatingFileOutputStreamTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(at(2026, 12, 7, 10, 0));

    private static long at(int y, int mo, int d, int h, int mi) {
        return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, ZONE).toInstant().toEpochMilli();
    }

    private static void line(RotatingFileOutputStream out, String text) throws Exception {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rotatesBySizeKeepingNFilesAndNeverSplitsALine() throws Exception {
        Path log = dir.resolve("siphon.log");
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(40, Interval.NONE, 2), now::get,
                ZONE, null)) {
            line(out, "line 1 .............");   // 21 bytes
            line(out, "line 2 ...........");     // 19: 40 in all, still fits
            assertEquals(List.of("siphon.log"), files());
            line(out, "line 3");                 // would pass 40: rotates first
            assertEquals("line 1 .............\nline 2 ...........\n", read("siphon.log.1"));
            assertEquals("line 3\n", read("siphon.log"));
            line(out, "line 4 ................................"); // 40 bytes: rotates again (not 0 + len check)
            line(out, "line 5 ................................");
            line(out, "line 6");
            assertEquals(List.of("siphon.log", "siphon.log.1", "siphon.log.2"), files(), "only 2 rotated files kept");
            assertEquals("line 6\n", read("siphon.log"));
            assertEquals("line 5 ................................\n", read("siphon.log.1"));
            assertEquals("line 4 ................................\n", read("siphon.log.2"));
        }
    }

    @Test
    void aLineLongerThanTheLimitIsWrittenWhole() throws Exception {
        Path log = dir.resolve("siphon.log");
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(10, Interval.NONE, 3), now::get,
                ZONE, null)) {
            String longLine = "x".repeat(100);
            line(out, longLine);
            assertEquals(longLine + "\n", read("siphon.log"), "an empty file takes any line");
            line(out, "y");
            assertEquals(longLine + "\n", read("siphon.log.1"));
            assertEquals("y\n", read("siphon.log"));
        }
    }

    @Test
    void rotatesDailyAtTheFirstLineAfterMidnight() throws Exception {
        Path log = dir.resolve("siphon.log");
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(0, Interval.DAILY, 7), now::get,
                ZONE, null)) {
            line(out, "monday morning");
            now.set(at(2026, 12, 7, 23, 59));
            line(out, "monday night");
            assertEquals(List.of("siphon.log"), files());
            now.set(at(2026, 12, 8, 0, 1));
            line(out, "tuesday");
            assertEquals("monday morning\nmonday night\n", read("siphon.log.1"));
            assertEquals("tuesday\n", read("siphon.log"));
            now.set(at(2026, 12, 10, 9, 0));
            line(out, "thursday");
            assertEquals("tuesday\n", read("siphon.log.1"));
            assertEquals("monday morning\nmonday night\n", read("siphon.log.2"));
        }
    }

    @Test
    void hourlyAndSizeTogether() throws Exception {
        Path log = dir.resolve("siphon.log");
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(1000, Interval.HOURLY, 5), now::get,
                ZONE, null)) {
            line(out, "10:00");
            now.set(at(2026, 12, 7, 10, 59));
            line(out, "10:59");
            now.set(at(2026, 12, 7, 11, 0));
            line(out, "11:00");
            assertEquals("10:00\n10:59\n", read("siphon.log.1"));
            assertEquals("11:00\n", read("siphon.log"));
        }
    }

    @Test
    void aFileFromAnEarlierDayIsRotatedWhenOpenedAndTodaysIsAppendedTo() throws Exception {
        Path log = dir.resolve("siphon.log");
        Files.writeString(log, "yesterday\n");
        Files.setLastModifiedTime(log, FileTime.fromMillis(at(2026, 12, 6, 18, 0)));
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(0, Interval.DAILY, 7), now::get,
                ZONE, null)) {
            line(out, "today");
        }
        assertEquals("yesterday\n", read("siphon.log.1"));
        assertEquals("today\n", read("siphon.log"));
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(0, Interval.DAILY, 7), now::get,
                ZONE, null)) {
            line(out, "again today");
        }
        assertEquals("today\nagain today\n", read("siphon.log"), "a restart the same day appends");
        assertEquals(List.of("siphon.log", "siphon.log.1"), files());
    }

    @Test
    void keepZeroAndAShrunkKeep() throws Exception {
        Path log = dir.resolve("siphon.log");
        for (int k = 1; k <= 4; k++) {
            Files.writeString(dir.resolve("siphon.log." + k), "old " + k + "\n");
        }
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(5, Interval.NONE, 2), now::get,
                ZONE, null)) {
            line(out, "abcd");
            line(out, "efgh");
            assertEquals(List.of("siphon.log", "siphon.log.1", "siphon.log.2"), files(), "left-overs beyond keep go");
            assertEquals("abcd\n", read("siphon.log.1"));
            assertEquals("old 1\n", read("siphon.log.2"));
            out.policy(new Policy(5, Interval.NONE, 0));
            line(out, "ijkl");
            assertEquals(List.of("siphon.log"), files(), "keep 0: the full file is dropped");
            assertEquals("ijkl\n", read("siphon.log"));
        }
    }

    @Test
    void aFailedRotationIsReportedOnceAndWritingGoesOn() throws Exception {
        Path log = dir.resolve("siphon.log");
        Files.createDirectory(dir.resolve("siphon.log.2"));
        Files.writeString(dir.resolve("siphon.log.2").resolve("blocker"), "x"); // a non-empty directory cannot be deleted
        ByteArrayOutputStream problems = new ByteArrayOutputStream();
        try (RotatingFileOutputStream out = new RotatingFileOutputStream(log, new Policy(5, Interval.NONE, 2), now::get,
                ZONE, new PrintStream(problems, true, StandardCharsets.UTF_8))) {
            line(out, "abcd");
            line(out, "efgh");
            line(out, "ijkl");
            assertTrue(read("siphon.log").contains("efgh\nijkl\n") || read("siphon.log").endsWith("ijkl\n"));
        }
        String said = problems.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("cannot rotate the log file"), said);
        assertEquals(said.indexOf("cannot rotate"), said.lastIndexOf("cannot rotate"), "said once: " + said);
    }

    @Test
    void sizesAndIntervalsAsAConfigWritesThem() {
        assertEquals(10L << 20, Policy.parseSize("10M"));
        assertEquals(10L << 20, Policy.parseSize("10mb"));
        assertEquals(512L << 10, Policy.parseSize(" 512k "));
        assertEquals(1L << 30, Policy.parseSize("1G"));
        assertEquals(1234, Policy.parseSize("1234"));
        assertEquals(0, Policy.parseSize("0"));
        for (String bad : List.of("", "ten", "-1M", "10T", "99999999999G")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policy.parseSize(bad), bad);
            assertTrue(e.getMessage().contains("log size"), e.getMessage());
        }
        assertEquals(Interval.DAILY, Interval.parse("Daily"));
        assertEquals(Interval.NONE, Interval.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> Interval.parse("weekly"));
        assertThrows(IllegalArgumentException.class, () -> new Policy(1, Interval.NONE, -1));
        assertFalse(Policy.parseSize("1k") == 1000, "k is 1024");
    }
}
