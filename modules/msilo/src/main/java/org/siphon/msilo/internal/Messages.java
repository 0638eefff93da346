package org.siphon.msilo.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.siphon.core.sip.SipHeader;

/**
 * The parts of the MESSAGE requests msilo makes: header lines from the {@code *_hdr} parameters,
 * the {@code Date} header and the body prefix {@code add_date} adds, the reminder time format of
 * {@code snd_time_avp}. Stateless.
 */
final class Messages {

    private static final DateTimeFormatter SIP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** ctime(3)'s layout, as Kamailio writes the prefix, in the server's time zone. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    private static final DateTimeFormatter SND_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.US)
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    private Messages() {
    }

    /**
     * Header lines as Kamailio's parameters write them ({@code "X-A: 1\r\nY-B: 2\r\n"}); lines
     * without a colon are skipped.
     */
    static List<SipHeader> headers(String lines) {
        List<SipHeader> out = new ArrayList<>();
        if (lines == null) {
            return out;
        }
        for (String line : lines.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (!name.isEmpty() && name.chars().noneMatch(Character::isWhitespace)) {
                out.add(SipHeader.of(name, line.substring(colon + 1).trim()));
            }
        }
        return out;
    }

    /** The value of {@code name} among header lines, or null ({@code content_type_hdr} gives the type). */
    static String value(List<SipHeader> headers, String name) {
        for (SipHeader h : headers) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** RFC 3261's Date value for seconds since the epoch. */
    static String sipDate(long epochSeconds) {
        return SIP_DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /**
     * With {@code add_date}, a text body gets Kamailio's prefix {@code [Offline message - <time
     * stored>] } (or {@code [Reminder message - …] }); other bodies (binary, XML) stay as stored.
     */
    static byte[] body(byte[] stored, String ctype, long incTime, boolean reminder, boolean addDate, ZoneId zone) {
        byte[] b = stored == null ? new byte[0] : stored;
        if (!addDate || ctype == null || !ctype.trim().toLowerCase(Locale.ROOT).startsWith("text/")) {
            return b;
        }
        String prefix = (reminder ? "[Reminder message - " : "[Offline message - ")
                + CTIME.format(Instant.ofEpochSecond(incTime).atZone(zone)) + "] ";
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[p.length + b.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(b, 0, out, p.length, b.length);
        return out;
    }

    /**
     * The {@code snd_time_avp} value {@code YYYYMMDDHHMMSS} (server's local time) as seconds since
     * the epoch; -1 when it is not such a time.
     */
    static long sendTime(String value, ZoneId zone) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (v.length() != 14 || !v.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return java.time.LocalDateTime.parse(v, SND_TIME).atZone(zone).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return -1;
        }
    }
}
