package org.siphon.core.sip.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A session description (RFC 4566) as lines: the session part, then one {@link Media} per
 * {@code m=} line. Editing changes single lines and leaves every other one byte for byte as it
 * came (its line ending too), so a rewritten body differs from the received one only where it was
 * edited. Parsing is lenient as proxies must be: lines must be {@code x=value} with a letter
 * {@code x}, the first must be {@code v=}; anything else is an {@link IllegalArgumentException}
 * with the line number. Not thread-safe: one message's work at a time.
 */
public final class Sdp {

    /** One line: its type letter, value, and the line ending it came with. */
    private static final class Line {
        final char type;
        String value;
        final String eol;

        Line(char type, String value, String eol) {
            this.type = type;
            this.value = value;
            this.eol = eol;
        }
    }

    /** One media description: the lines from its {@code m=} line to the next. */
    public final class Media {
        private final int start;

        private Media(int start) {
            this.start = start;
        }

        private int end() {
            int i = start + 1;
            while (i < lines.size() && lines.get(i).type != 'm') {
                i++;
            }
            return i;
        }

        private String[] fields() {
            return lines.get(start).value.split(" ", 4);
        }

        /** {@code audio}, {@code video} … */
        public String type() {
            return fields()[0];
        }

        /** The transport port of the {@code m=} line (its first number when it gives a count). */
        public int port() {
            String[] f = fields();
            String p = f.length > 1 ? f[1] : "";
            int slash = p.indexOf('/');
            try {
                return Integer.parseInt(slash < 0 ? p : p.substring(0, slash));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Replaces the port of the {@code m=} line (a port count after it is kept). */
        public void port(int port) {
            String[] f = lines.get(start).value.split(" ", 3);
            if (f.length < 2) {
                return;
            }
            int slash = f[1].indexOf('/');
            f[1] = port + (slash < 0 ? "" : f[1].substring(slash));
            lines.get(start).value = String.join(" ", f);
        }

        /** {@code RTP/AVP}, {@code RTP/SAVPF} … */
        public String protocol() {
            String[] f = fields();
            return f.length > 2 ? f[2] : "";
        }

        /** The media's own connection address ({@code c=} inside it), or null. */
        public String connectionAddress() {
            return address(start + 1, end());
        }

        /** The address media is sent to: the media's {@code c=}, else the session's. */
        public String effectiveAddress() {
            String a = connectionAddress();
            return a != null ? a : Sdp.this.connectionAddress();
        }

        /** The values of {@code a=name} / {@code a=name:value} lines of this media (empty string for a flag). */
        public List<String> attributes(String name) {
            return Sdp.this.attributes(start + 1, end(), name);
        }

        /** Adds {@code a=text} at the end of this media description. */
        public void addAttribute(String text) {
            lines.add(end(), new Line('a', text, eol()));
        }

        /** Removes the {@code a=name…} lines of this media; how many there were. */
        public int removeAttributes(String name) {
            return Sdp.this.removeAttributes(start + 1, end(), name);
        }
    }

    private final List<Line> lines = new ArrayList<>();

    private Sdp() {
    }

    /** Parses a body (UTF-8). */
    public static Sdp parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public static Sdp parse(String text) {
        Sdp sdp = new Sdp();
        int i = 0;
        int n = 0;
        while (i < text.length()) {
            int lf = text.indexOf('\n', i);
            int stop = lf < 0 ? text.length() : lf;
            int valueEnd = stop > i && text.charAt(stop - 1) == '\r' ? stop - 1 : stop;
            String eol = text.substring(valueEnd, lf < 0 ? stop : lf + 1);
            String line = text.substring(i, valueEnd);
            n++;
            i = lf < 0 ? text.length() : lf + 1;
            if (line.isEmpty() && i >= text.length()) {
                break;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || !Character.isLetter(line.charAt(0))) {
                throw new IllegalArgumentException("SDP line " + n + " is not type=value: " + abbreviate(line));
            }
            sdp.lines.add(new Line(line.charAt(0), line.substring(2), eol));
        }
        if (sdp.lines.isEmpty() || sdp.lines.get(0).type != 'v') {
            throw new IllegalArgumentException("SDP does not start with v=");
        }
        return sdp;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private int sessionEnd() {
        int i = 0;
        while (i < lines.size() && lines.get(i).type != 'm') {
            i++;
        }
        return i;
    }

    private String eol() {
        return lines.isEmpty() ? "\r\n" : lines.get(0).eol.isEmpty() ? "\r\n" : lines.get(0).eol;
    }

    /** The session-level connection address ({@code c=} before the first {@code m=}), or null. */
    public String connectionAddress() {
        return address(0, sessionEnd());
    }

    private String address(int from, int to) {
        for (int i = from; i < to; i++) {
            if (lines.get(i).type == 'c') {
                String[] f = lines.get(i).value.split(" ");
                if (f.length >= 3) {
                    int slash = f[2].indexOf('/');
                    return slash < 0 ? f[2] : f[2].substring(0, slash);
                }
            }
        }
        return null;
    }

    /** Every connection address of the description, session and media, in order. */
    public List<String> connectionAddresses() {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.type == 'c') {
                String[] f = l.value.split(" ");
                if (f.length >= 3) {
                    int slash = f[2].indexOf('/');
                    out.add(slash < 0 ? f[2] : f[2].substring(0, slash));
                }
            }
        }
        return out;
    }

    /**
     * Sets every {@code c=} address (session and media; a TTL or count after {@code /} is kept)
     * and the address of {@code a=rtcp:PORT IN IP4 ADDR} lines; the address type follows the
     * address ({@code IP6} when it has a colon).
     *
     * @return how many addresses changed
     */
    public int connectionAddress(String address) {
        return connectionAddress(address, a -> true);
    }

    /** As {@link #connectionAddress(String)}, for the addresses {@code which} accepts (e.g. not a hold's 0.0.0.0). */
    public int connectionAddress(String address, java.util.function.Predicate<String> which) {
        String type = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        int changed = 0;
        for (Line l : lines) {
            if (l.type == 'c') {
                String[] f = l.value.split(" ");
                if (f.length >= 3 && which.test(f[2].indexOf('/') < 0 ? f[2] : f[2].substring(0, f[2].indexOf('/')))) {
                    int slash = f[2].indexOf('/');
                    String next = f[0] + " " + type + " " + address + (slash < 0 ? "" : f[2].substring(slash));
                    if (!next.equals(l.value)) {
                        l.value = next;
                        changed++;
                    }
                }
            } else if (l.type == 'a' && l.value.startsWith("rtcp:")) {
                String[] f = l.value.split(" ");
                if (f.length == 4 && !f[3].equals(address) && which.test(f[3])) {
                    l.value = f[0] + " " + f[1] + " " + type + " " + address;
                    changed++;
                }
            }
        }
        return changed;
    }

    /** The address of the {@code o=} line, or null. */
    public String originAddress() {
        for (Line l : lines) {
            if (l.type == 'o') {
                String[] f = l.value.split(" ");
                return f.length >= 6 ? f[5] : null;
            }
        }
        return null;
    }

    /** Sets the address of the {@code o=} line; false when there is none or it already has it. */
    public boolean originAddress(String address) {
        for (Line l : lines) {
            if (l.type == 'o') {
                String[] f = l.value.split(" ");
                if (f.length < 6 || f[5].equals(address)) {
                    return false;
                }
                f[4] = address.indexOf(':') >= 0 ? "IP6" : "IP4";
                f[5] = address;
                l.value = String.join(" ", f);
                return true;
            }
        }
        return false;
    }

    /** The media descriptions, in order. */
    public List<Media> media() {
        List<Media> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).type == 'm') {
                out.add(new Media(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The values of session-level {@code a=name} / {@code a=name:value} lines. */
    public List<String> attributes(String name) {
        return attributes(0, sessionEnd(), name);
    }

    private List<String> attributes(int from, int to, String name) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Line l = lines.get(i);
            if (l.type == 'a' && (l.value.equals(name) || l.value.startsWith(name + ":"))) {
                out.add(l.value.length() > name.length() ? l.value.substring(name.length() + 1) : "");
            }
        }
        return out;
    }

    /** Adds a session-level {@code a=text} line (before the first media description). */
    public void addAttribute(String text) {
        lines.add(sessionEnd(), new Line('a', text, eol()));
    }

    /** Removes the session-level {@code a=name…} lines; how many there were. */
    public int removeAttributes(String name) {
        return removeAttributes(0, sessionEnd(), name);
    }

    private int removeAttributes(int from, int to, String name) {
        int removed = 0;
        for (int i = to - 1; i >= from; i--) {
            Line l = lines.get(i);
            if (l.type == 'a' && (l.value.equals(name) || l.value.startsWith(name + ":"))) {
                lines.remove(i);
                removed++;
            }
        }
        return removed;
    }

    /** The description as text: unchanged lines exactly as they came. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(l.type).append('=').append(l.value).append(l.eol.isEmpty() ? eol() : l.eol);
        }
        return sb.toString();
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }
}
