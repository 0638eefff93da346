package org.siphon.htable.internal;

import java.util.Locale;

/**
 * One {@code htable} definition as Kamailio writes it: {@code name=>size=8;autoexpire=7200;initval=0}.
 * {@code size} is accepted and ignored (the table grows as needed); {@code dbtable},
 * {@code dmqreplicate} and other Kamailio attributes are accepted and have no effect yet.
 *
 * @param name          the table
 * @param autoexpireSec seconds an item lives after it was last set (0: forever)
 * @param initval       the value an absent item has for {@code $shtinc}/{@code sht_inc}, or null
 */
record TableSpec(String name, long autoexpireSec, Long initval) {

    static TableSpec parse(String definition) {
        String d = definition.trim();
        int arrow = d.indexOf("=>");
        if (arrow <= 0) {
            throw new IllegalArgumentException("expected name=>attr=value;…, not \"" + definition + "\"");
        }
        String name = d.substring(0, arrow).trim();
        long autoexpire = 0;
        Long initval = null;
        for (String attr : d.substring(arrow + 2).split(";")) {
            int eq = attr.indexOf('=');
            if (attr.isBlank() || eq < 0) {
                continue;
            }
            String key = attr.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = attr.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "autoexpire" -> autoexpire = Long.parseLong(value);
                    case "initval" -> initval = Long.parseLong(value);
                    default -> {
                        // size, dbtable, dbmode, updateexpire, dmqreplicate …: accepted, no effect yet
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("htable " + name + ": " + key + " needs a number, not \"" + value + "\"");
            }
        }
        return new TableSpec(name, autoexpire, initval);
    }
}
