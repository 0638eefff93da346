package org.siphon.permissions.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code address_file}: one row per line in the table's column order,
 * {@code group address [mask [port [tag]]]}, separated by blanks; {@code #} starts a comment (a
 * whole line or the end of one). A line that does not parse is skipped with a WARN line naming
 * file and line; the others load. Stateless.
 */
final class AddressFile {

    private static final Logger LOG = LoggerFactory.getLogger(AddressFile.class);

    /** What a load gave: the good rows, and how many lines were skipped. */
    record Loaded(List<AddressRow> rows, int skipped) {
    }

    private AddressFile() {
    }

    /** @throws IOException when the file cannot be read (the caller keeps the old cache) */
    static Loaded read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    static Loaded parse(List<String> lines, String name) {
        List<AddressRow> rows = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                if (f.length > 5) {
                    throw new IllegalArgumentException("more than 5 fields (group address mask port tag)");
                }
                if (f.length < 2) {
                    throw new IllegalArgumentException("expected group address [mask [port [tag]]]");
                }
                rows.add(AddressRow.of(number(f[0], "group"), f[1], f.length > 2 ? number(f[2], "mask") : null,
                        f.length > 3 ? number(f[3], "port") : null, f.length > 4 ? f[4] : null));
            } catch (IllegalArgumentException e) {
                skipped++;
                LOG.warn("permissions: {}:{}: line skipped: {}", name, i + 1, e.getMessage());
            }
        }
        return new Loaded(rows, skipped);
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + s + "\" is not a number");
        }
    }
}
