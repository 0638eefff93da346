package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.presence.PresenceEvent;

/**
 * The presence module's script functions ({@code handle_publish}, {@code handle_subscribe},
 * {@code pres_auth_status}, {@code pres_has_subscribers}, {@code pres_refresh_watchers},
 * {@code pres_update_watchers}) and what {@link org.siphon.presence.PresenceApi} answers. Runs
 * on SIP workers (and RPC threads); thread-safe.
 */
final class PresenceFunctions {

    private final PresenceComponent m;

    PresenceFunctions(PresenceComponent m) {
        this.m = m;
    }

    List<FunctionExport> exports() {
        Set<RouteType> any = Set.of(RouteType.values());
        return List.of(
                FunctionExport.builder("handle_publish", PresenceComponent.MODULE).args(0, 1).routes(RouteType.REQUEST)
                        .description("Stores, refreshes, modifies or removes the PUBLISH's publication (RFC 3903), "
                                + "replies, notifies the watchers; 1, or -1 on error (the reply is sent in all cases).")
                        .handler((ctx, a) -> m.publish.handle(ctx, a.length > 0 ? (String) a[0] : null)).build(),
                FunctionExport.builder("handle_subscribe", PresenceComponent.MODULE).args(0, 1).routes(RouteType.REQUEST)
                        .description("Creates, refreshes or ends the SUBSCRIBE's subscription (RFC 6665), replies and "
                                + "sends the NOTIFY; 1, or -1 on error (the reply is sent in all cases).")
                        .handler((ctx, a) -> m.subscribe.handle(ctx, a.length > 0 ? (String) a[0] : null)).build(),
                FunctionExport.builder("pres_auth_status", PresenceComponent.MODULE).args(2).routes(RouteType.REQUEST)
                        .description("The state a subscription of watcher_uri to presentity_uri's presence would get: "
                                + "1 active, 2 pending, 3 terminated, 4 waiting; -1 on error.")
                        .handler((ctx, a) -> authStatus((String) a[0], (String) a[1])).build(),
                FunctionExport.builder("pres_has_subscribers", PresenceComponent.MODULE).args(2).routes(any)
                        .description("1 when presentity_uri has subscribers of the event, -1 otherwise.")
                        .handler((ctx, a) -> hasSubscribers((String) a[0], (String) a[1]) ? 1 : -1).build(),
                FunctionExport.builder("pres_refresh_watchers", PresenceComponent.MODULE).args(3, 5).routes(any)
                        .description("Notifies the watchers of uri's event after a change of authorisation (type 0) "
                                + "or of the published state in the table (1, 2); 1, or -1.")
                        .handler((ctx, a) -> refreshWatchers((String) a[0], (String) a[1],
                                Integer.parseInt(((String) a[2]).trim())) ? 1 : -1).build(),
                FunctionExport.builder("pres_update_watchers", PresenceComponent.MODULE).args(2).routes(any)
                        .description("Reviews the authorisation of uri's watchers of the event and notifies those "
                                + "whose state changed; 1, or -1.")
                        .handler((ctx, a) -> refreshWatchers((String) a[0], (String) a[1], 0) ? 1 : -1).build());
    }

    int authStatus(String watcher, String presentity) {
        PresenceEvent e = m.event("presence");
        String w = Uris.aor(watcher);
        String p = Uris.aor(presentity);
        if (e == null || w == null || p == null) {
            return -1;
        }
        return m.authorisations.decide(e, w, p, null).status();
    }

    List<PresenceEvent.Publication> publications(String presentityUri, String event) {
        String p = Uris.aor(presentityUri);
        if (p == null || event == null || m.pres == null) {
            return List.of();
        }
        try {
            long now = m.now();
            List<PresenceEvent.Publication> out = new ArrayList<>();
            for (Presentity x : m.pres.of(p, event.trim())) {
                if (x.expires() > now) {
                    out.add(x.publication());
                }
            }
            return out;
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: publications of {} not read: {}", presentityUri, e.toString());
            return List.of();
        }
    }

    boolean hasSubscribers(String uri, String event) {
        String p = Uris.aor(uri);
        try {
            return p != null && !m.subs.of(p, event.trim()).isEmpty();
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: subscriptions of {} not read: {}", uri, e.toString());
            return false;
        }
    }

    /** Types 0 (authorisation: states reviewed, changed ones notified), 1 and 2 (published state: all notified). */
    boolean refreshWatchers(String uri, String event, int type) {
        String p = Uris.aor(uri);
        PresenceEvent e = m.event(event.trim());
        if (p == null || e == null || type < 0 || type > 2) {
            PresenceComponent.LOG.error("presence: refresh of watchers: bad uri {}, event {} or type {}", uri, event, type);
            return false;
        }
        try {
            if (type == 0) {
                m.notifier.reviewAuthorisation(p, e);
            } else {
                m.notifier.publicationChanged(p, e.name(), null);
            }
            return true;
        } catch (Exception x) {
            PresenceComponent.LOG.error("presence: refresh of watchers of {} failed: {}", uri, x.toString());
            return false;
        }
    }
}
