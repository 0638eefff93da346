package org.siphon.dispatcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Kamailio's dispatcher list file: one destination a line,
 * {@code setid destination [flags [priority [attrs]]]}, {@code #} comments and blank lines
 * ignored. A malformed line refuses the whole file with {@code file:line: reason}. Stateless.
 */
final class ListFile {

    /** A list that cannot be loaded; the message names the place ({@code file:line}) and the fault. */
    static final class ListException extends Exception {
        private static final long serialVersionUID = 1L;

        ListException(String message) {
            super(message);
        }
    }

    private ListFile() {
    }

    static DsList load(Path file) throws ListException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ListException(file + ": cannot be read (" + e + ")");
        }
        return new DsList(parse(text, file.toString()), file.toString());
    }

    /** Parses the text of a list file named {@code name} (for messages). */
    static List<Destination> parse(String text, String name) throws ListException {
        List<Destination> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 5);
            String where = name + ":" + (i + 1);
            if (f.length < 2) {
                throw new ListException(where + ": expected 'setid destination [flags [priority [attrs]]]', got '" + line + "'");
            }
            out.add(destination(where, f[0], f[1], f.length > 2 ? f[2] : "0", f.length > 3 ? f[3] : "0",
                    f.length > 4 ? f[4].trim() : ""));
        }
        return out;
    }

    /** One destination from its fields as text (a list line, a table row, an RPC call). */
    static Destination destination(String where, String setid, String uri, String flags, String priority, String attrs)
            throws ListException {
        int set = integer(where, "setid", setid);
        SipUri u;
        try {
            u = UriParser.parseSip(uri.trim());
        } catch (IllegalArgumentException e) {
            throw new ListException(where + ": bad destination '" + uri + "': " + e.getMessage());
        }
        if (attrs.contains(" ") || attrs.contains("\t")) {
            throw new ListException(where + ": attributes must not contain blanks: '" + attrs + "'");
        }
        return new Destination(set, uri.trim(), u, integer(where, "flags", flags), integer(where, "priority", priority),
                attrs, where);
    }

    private static int integer(String where, String what, String v) throws ListException {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ListException(where + ": " + what + " must be an integer, not '" + v + "'");
        }
    }
}
