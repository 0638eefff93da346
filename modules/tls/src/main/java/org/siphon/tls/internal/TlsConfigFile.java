package org.siphon.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kamailio's {@code tls.cfg}: sections {@code [server:default]}, {@code [client:default]},
 * {@code [server:IP:PORT]}, {@code [client:IP:PORT]} (IPv6 in brackets), each a list of
 * {@code key = value} lines; {@code #} starts a comment. Unknown keys and malformed lines are
 * refused with file:line. Immutable.
 */
record TlsConfigFile(List<Section> sections) {

    static final Set<String> KEYS = Set.of("method", "tls_method", "certificate", "private_key", "ca_list", "ca_path",
            "crl", "verify_certificate", "verify_depth", "require_certificate", "cipher_list", "server_name",
            "server_name_mode", "server_id", "verify_client");

    /** One section: {@code server} or {@code client}, {@code default} or {@code IP:PORT}, its settings. */
    record Section(String side, String address, Map<String, String> settings, int line) {
        boolean isDefault() {
            return "default".equals(address);
        }

        String name() {
            return side + ":" + address;
        }
    }

    static TlsConfigFile read(Path file) throws IOException {
        return parse(Files.readAllLines(file), file.toString());
    }

    static TlsConfigFile parse(List<String> lines, String file) {
        List<Section> sections = new ArrayList<>();
        Section current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (t.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            if (t.startsWith("[")) {
                if (!t.endsWith("]")) {
                    throw new IllegalArgumentException(where + "unclosed section header " + t);
                }
                String head = t.substring(1, t.length() - 1).trim();
                int colon = head.indexOf(':');
                String side = colon < 0 ? "" : head.substring(0, colon).toLowerCase(Locale.ROOT);
                if (!side.equals("server") && !side.equals("client")) {
                    throw new IllegalArgumentException(where + "a section is [server:...] or [client:...], not [" + head + "]");
                }
                String address = head.substring(colon + 1).trim();
                if (address.isEmpty()) {
                    throw new IllegalArgumentException(where + "section [" + head + "] names no address (or default)");
                }
                current = new Section(side, address.toLowerCase(Locale.ROOT).equals("default") ? "default" : address,
                        new LinkedHashMap<>(), i + 1);
                sections.add(current);
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + "expected key = value, not \"" + t + "\"");
            }
            if (current == null) {
                throw new IllegalArgumentException(where + "\"" + t + "\" is outside any [server:...] or [client:...] section");
            }
            String key = t.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + "unknown key " + key + " (known: " + new java.util.TreeSet<>(KEYS) + ")");
            }
            current.settings().put(key, t.substring(eq + 1).trim());
        }
        return new TlsConfigFile(List.copyOf(sections));
    }
}
