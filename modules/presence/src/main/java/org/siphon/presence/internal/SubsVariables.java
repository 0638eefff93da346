package org.siphon.presence.internal;

import java.util.List;
import java.util.Map;

import org.siphon.core.function.ActionContext;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipResponse;

/**
 * Kamailio's {@code $subs(attr)}: the subscription {@code handle_subscribe} just accepted (in the
 * rest of the route), or the one a NOTIFY reply is about (in {@code event_route[presence:notify-reply]}),
 * and {@code $notify_reply(attr)} there: {@code $rs}/{@code rs} the reply's status, {@code $rr}/{@code
 * rr} its reason, any other name a header of the reply. $null elsewhere. Stateless.
 */
final class SubsVariables {

    /** The route context's attribute holding the subscription (its {@link Subscription#toMap()}). */
    static final String SUBS = "presence.subs";
    /** The route context's attribute holding the NOTIFY's reply. */
    static final String REPLY = "presence.notify_reply";

    /** Kamailio's attribute names, each to the store's key. */
    static final Map<String, String> NAMES = Map.ofEntries(Map.entry("uri", "presentity_uri"),
            Map.entry("pres_uri", "presentity_uri"), Map.entry("to_user", "to_user"), Map.entry("to_domain", "to_domain"),
            Map.entry("from_user", "from_user"), Map.entry("from_domain", "from_domain"),
            Map.entry("watcher_username", "watcher_username"), Map.entry("watcher_domain", "watcher_domain"),
            Map.entry("event", "event"), Map.entry("event_id", "event_id"), Map.entry("to_tag", "to_tag"),
            Map.entry("from_tag", "from_tag"), Map.entry("callid", "callid"), Map.entry("remote_cseq", "remote_cseq"),
            Map.entry("local_cseq", "local_cseq"), Map.entry("contact", "contact"),
            Map.entry("local_contact", "local_contact"), Map.entry("record_route", "record_route"),
            Map.entry("expires", "expires"), Map.entry("status", "status"), Map.entry("reason", "reason"),
            Map.entry("version", "version"), Map.entry("flags", "flags"), Map.entry("user_agent", "user_agent"),
            Map.entry("sockinfo", "socket_info"));

    private SubsVariables() {
    }

    static List<PseudoVariableExport> exports(PresenceComponent m) {
        return List.of(PseudoVariableExport.builder("subs", PresenceComponent.MODULE)
                .description("An attribute of the subscription handle_subscribe accepted, or of the one a NOTIFY reply "
                        + "is about: uri, watcher_username, event, callid, expires (seconds left), status ...")
                .innerName(PseudoVariableExport.InnerName.REQUIRED, n -> {
                    String k = NAMES.get(n.trim());
                    if (k == null) {
                        throw new IllegalArgumentException("$subs(" + n + "): unknown attribute; known: "
                                + new java.util.TreeSet<>(NAMES.keySet()));
                    }
                    return n.trim();
                })
                .getter((ctx, name) -> subs(m, ctx, (String) name)).build(),
                PseudoVariableExport.builder("notify_reply", PresenceComponent.MODULE)
                        .description("In event_route[presence:notify-reply]: $rs (status), $rr (reason) or a header "
                                + "of the NOTIFY's reply")
                        .innerName(PseudoVariableExport.InnerName.REQUIRED, n -> n.trim())
                        .getter((ctx, name) -> reply(ctx, (String) name)).build());
    }

    private static Object subs(PresenceComponent m, ActionContext ctx, String name) {
        if (!(ctx.attribute(SUBS) instanceof Map<?, ?> s)) {
            return null;
        }
        Object v = s.get(NAMES.get(name));
        if ("expires".equals(name) && v instanceof Number n) {
            return Math.max(0, n.longValue() - m.now());
        }
        return v instanceof Number n ? (Object) n.longValue() : v;
    }

    private static Object reply(ActionContext ctx, String name) {
        if (!(ctx.attribute(REPLY) instanceof SipResponse r)) {
            return null;
        }
        return switch (name) {
            case "$rs", "rs" -> (long) r.status();
            case "$rr", "rr" -> r.reason();
            default -> r.headerValue(name.startsWith("$hdr(") && name.endsWith(")") ? name.substring(5, name.length() - 1)
                    : name);
        };
    }
}
