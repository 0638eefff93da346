package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;

/** RPC {@code ul.dump}, {@code ul.lookup}, {@code ul.rm}, {@code ul.rm_contact}, {@code ul.add}, {@code ul.flush}, {@code ul.stats}. */
final class UsrlocRpc {

    private final RegistrarComponent r;

    UsrlocRpc(RegistrarComponent r) {
        this.r = r;
    }

    List<RpcCommand> all() {
        String m = RegistrarComponent.MODULE;
        return List.of(
                new RpcCommand("ul.dump", m, "[brief] [offset [limit]]",
                        "The location table: AORs with their contacts, a page at a time (limit 1000 by default).", this::dump),
                new RpcCommand("ul.lookup", m, "table aor", "The contacts of an AOR.", p -> {
                    p.expect(2, 2, "table aor");
                    List<Contact> cs = r.location.contacts(p.string(1), r.clock.getAsLong());
                    if (cs.isEmpty()) {
                        throw new RpcException(404, "AOR not found: " + p.string(1));
                    }
                    return aor(p.string(1), cs, false);
                }),
                new RpcCommand("ul.rm", m, "table aor", "Removes an AOR and its contacts.", p -> {
                    p.expect(2, 2, "table aor");
                    if (!r.remove(p.string(1))) {
                        throw new RpcException(404, "AOR not found: " + p.string(1));
                    }
                    return "ok";
                }),
                new RpcCommand("ul.rm_contact", m, "table aor contact", "Removes one contact of an AOR.", p -> {
                    p.expect(3, 3, "table aor contact");
                    String contact = p.string(2);
                    boolean[] found = new boolean[1];
                    r.update(p.string(1), r.clock.getAsLong(), current -> {
                        List<Contact> next = new ArrayList<>(current);
                        found[0] = next.removeIf(c -> c.uri().equals(contact));
                        return next;
                    });
                    if (!found[0]) {
                        throw new RpcException(404, "contact not found: " + p.string(2));
                    }
                    return "ok";
                }),
                new RpcCommand("ul.add", m, "table aor contact expires [q [path]]",
                        "Adds or refreshes a contact by hand (Call-ID ul.add).", p -> {
                            p.expect(4, 6, "table aor contact expires [q [path]]");
                            long now = r.clock.getAsLong();
                            Contact c = new Contact(p.string(2), now + p.integer(3) * 1000, (int) Math.round(
                                    Double.parseDouble(p.string(4, "-0.001")) * 1000), "ul.add", now, emptyToNull(p.string(5, "")),
                                    null, "rpc", now, 0, null);
                            r.update(p.string(1), now, current -> {
                                List<Contact> next = new ArrayList<>(current);
                                next.removeIf(x -> x.uri().equals(c.uri()));
                                next.add(c);
                                return next;
                            });
                            return "ok";
                        }),
                new RpcCommand("ul.flush", m, "", "Writes pending changes to the database now (db_mode 2, or writes that failed).",
                        p -> {
                            int left = r.flush();
                            if (left > 0) {
                                throw new RpcException(500, left + " AORs could not be written: is the database up?");
                            }
                            return "ok";
                        }),
                new RpcCommand("ul.stats", m, "", "usrloc and registrar statistics, named as Kamailio's.", p -> statistics()));
    }

    /** Kamailio's usrloc and registrar statistics (also in {@code stats.get_statistics}). */
    Map<String, Object> statistics() {
        long[] n = r.location.counts(r.clock.getAsLong());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("usrloc:registered_users", n[0]);
        s.put("usrloc:location-users", n[0]);
        s.put("usrloc:location-contacts", n[1]);
        s.put("registrar:accepted_regs", r.accepted.sum());
        s.put("registrar:rejected_regs", r.rejected.sum());
        s.put("registrar:max_expires", (long) r.config.max__expires());
        s.put("registrar:max_contacts", (long) r.config.max__contacts());
        s.put("registrar:default_expire", (long) r.config.default__expires());
        return s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private Object dump(RpcParams p) throws RpcException {
        int i = 0;
        boolean brief = false;
        if (p.size() > 0 && p.string(0).equalsIgnoreCase("brief")) {
            brief = true;
            i = 1;
        }
        long offset = p.integer(i, 0);
        long limit = p.integer(i + 1, 1000);
        long now = r.clock.getAsLong();
        List<String> aors = r.location.aors(now);
        List<Object> page = new ArrayList<>();
        for (int k = (int) Math.min(offset, aors.size()); k < aors.size() && page.size() < limit; k++) {
            List<Contact> cs = r.location.contacts(aors.get(k), now);
            if (!cs.isEmpty()) {
                page.add(aor(aors.get(k), cs, brief));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Domain", "location");
        out.put("Size", aors.size());
        out.put("Offset", offset);
        out.put("AoRs", page);
        return out;
    }

    private Map<String, Object> aor(String aor, List<Contact> cs, boolean brief) {
        long now = r.clock.getAsLong();
        List<Object> contacts = new ArrayList<>();
        for (Contact c : cs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Contact", c.uri());
            m.put("Expires", Math.max(0, (c.expires() - now) / 1000));
            if (!brief) {
                m.put("Q", c.q() < 0 ? -1.0 : c.q() / 1000.0);
                m.put("Call-ID", c.callId());
                m.put("CSeq", c.cseq());
                m.put("Path", c.path() == null ? "" : c.path());
                m.put("Received", c.received() == null ? "" : c.received());
                m.put("Socket", c.socket() == null ? "[not set]" : c.socket());
                m.put("Cflags", c.cflags());
                m.put("Methods", c.methods() == null ? "" : c.methods());
                m.put("User-Agent", c.userAgent() == null ? "" : c.userAgent());
                m.put("Last-Modified", c.modified() / 1000);
            }
            contacts.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AoR", aor);
        m.put("Contacts", contacts);
        return m;
    }
}
