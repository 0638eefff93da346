package org.siphon.acc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code log_extra} and {@code db_extra}: {@code name=$pv;name2=$pv2}, as Kamailio writes them
 * (the stock config: {@code src_user=$fU;src_domain=$fd;src_ip=$si;dst_ouser=$tU;dst_user=$rU;dst_domain=$rd}).
 * The names become log keys and table columns, so they must be plain identifiers.
 */
record ExtraSpec(List<Item> items) {

    /** One attribute: its name and the pseudo-variable as written. */
    record Item(String name, String pv) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final ExtraSpec NONE = new ExtraSpec(List.of());

    /** @throws IllegalArgumentException naming the part that is wrong */
    static ExtraSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Item> items = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? "" : p.substring(0, eq).trim();
            String pv = eq < 0 ? "" : p.substring(eq + 1).trim();
            if (!NAME.matcher(name).matches() || !pv.startsWith("$")) {
                throw new IllegalArgumentException("\"" + p + "\" is not name=$pseudo_variable");
            }
            items.add(new Item(name, pv));
        }
        return new ExtraSpec(List.copyOf(items));
    }
}
