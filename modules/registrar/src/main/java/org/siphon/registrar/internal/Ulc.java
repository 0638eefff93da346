package org.siphon.registrar.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.function.ActionContext;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;

/**
 * {@code reg_fetch_contacts(table, uri, profile)}, {@code reg_free_contacts(profile)} and
 * {@code $ulc(profile=>attr)} / {@code $ulc(profile=>attr[index])}: a copy of an AOR's contacts
 * kept with the message being routed (Kamailio keeps it per process until freed; here it lives as
 * long as the message and its transaction's routes, so nothing leaks between calls).
 */
final class Ulc {

    private static final String KEY = "registrar.ulc";

    /** What reg_fetch_contacts loaded into one profile. */
    private record Fetched(String aor, String domain, List<Contact> contacts) {
    }

    /** {@code profile=>attr[index]} parsed at load time. */
    private record Name(String profile, String attr, int index) {
    }

    private Ulc() {
    }

    static int fetch(RegistrarComponent r, ActionContext ctx, String uri, String profile) {
        String aor = r.aorOf(ctx, uri);
        if (aor == null) {
            return -1;
        }
        List<Contact> contacts;
        try {
            contacts = r.location.contacts(aor, r.clock.getAsLong());
        } catch (IllegalStateException e) {
            return -1;
        }
        if (contacts.isEmpty()) {
            profiles(ctx).remove(profile);
            return -1;
        }
        int at = aor.indexOf('@');
        profiles(ctx).put(profile, new Fetched(at < 0 ? aor : aor.substring(0, at), at < 0 ? "location" : aor.substring(at + 1),
                List.copyOf(contacts)));
        return 1;
    }

    static int free(ActionContext ctx, String profile) {
        return profiles(ctx).remove(profile) != null ? 1 : -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Fetched> profiles(ActionContext ctx) {
        Object o = ctx.attribute(KEY);
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Fetched>) m;
        }
        Map<String, Fetched> m = new HashMap<>();
        ctx.attribute(KEY, m);
        return m;
    }

    static PseudoVariableExport export() {
        return PseudoVariableExport.builder("ulc", RegistrarComponent.MODULE).innerName(InnerName.REQUIRED, Ulc::parse)
                .description("$ulc(profile=>attr[index]): a contact loaded by reg_fetch_contacts (aor, domain, count, addr, path, "
                        + "received, expires, callid, q, cseq, cflags, user_agent, modified, methods)")
                .getter((c, n) -> get(c, (Name) n)).build();
    }

    static Name parse(String inner) {
        int arrow = inner.indexOf("=>");
        if (arrow <= 0) {
            throw new IllegalArgumentException("$ulc needs profile=>attribute, not \"" + inner + "\"");
        }
        String attr = inner.substring(arrow + 2).trim();
        int index = 0;
        int open = attr.indexOf('[');
        if (open > 0 && attr.endsWith("]")) {
            try {
                index = Integer.parseInt(attr.substring(open + 1, attr.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("$ulc index must be a number: \"" + inner + "\"");
            }
            attr = attr.substring(0, open).trim();
        }
        return new Name(inner.substring(0, arrow).trim(), attr, index);
    }

    private static Object get(ActionContext ctx, Name n) {
        Fetched f = profiles(ctx).get(n.profile());
        if (f == null) {
            return null;
        }
        switch (n.attr()) {
            case "aor": return f.aor();
            case "domain": return f.domain();
            case "aorhash": return (long) (f.aor().hashCode() & 0x7fffffff);
            case "count": return (long) f.contacts().size();
            default: break;
        }
        if (n.index() < 0 || n.index() >= f.contacts().size()) {
            return null;
        }
        Contact c = f.contacts().get(n.index());
        return switch (n.attr()) {
            case "addr" -> c.uri();
            case "path" -> c.path();
            case "received" -> c.received();
            case "expires" -> c.expires() / 1000;
            case "callid" -> c.callId();
            case "q" -> (long) c.q();
            case "cseq" -> c.cseq();
            case "cflags" -> c.cflags();
            case "flags" -> 0L;
            case "user_agent" -> c.userAgent();
            case "modified" -> c.modified() / 1000;
            case "methods" -> c.methods();
            default -> null;
        };
    }
}
