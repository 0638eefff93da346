package org.siphon.presence.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;

/**
 * presence's RPC commands with Kamailio's names: {@code presence.cleanup},
 * {@code presence.refreshWatchers}, {@code presence.updateWatchers},
 * {@code presence.presentity_list}, and Siphon's {@code presence.presentity_show} and
 * {@code presence.watcher_list}. Answers are plain data.
 */
final class PresenceRpc {

    private final PresenceComponent m;

    PresenceRpc(PresenceComponent m) {
        this.m = m;
    }

    List<RpcCommand> commands() {
        String mod = PresenceComponent.MODULE;
        return List.of(
                new RpcCommand("presence.cleanup", mod, "", "Ends expired subscriptions and publications now (with their "
                        + "NOTIFYs) and cleans the database tables.", p -> {
                            try {
                                m.sweep(m.now(), true);
                                return "OK";
                            } catch (Exception e) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "cleanup failed: " + e);
                            }
                        }),
                new RpcCommand("presence.refreshWatchers", mod, "uri event type [file_uri filename]",
                        "Notifies uri's watchers of the event: type 0 after a change of authorisation, 1 and 2 after a "
                                + "change of the published state.", p -> {
                            p.expect(3, 5, "uri event type [file_uri filename]");
                            if (!m.refreshWatchers(p.string(0), p.string(1), (int) p.integer(2))) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "refresh of watchers failed (bad uri, "
                                        + "unknown event or type)");
                            }
                            return "OK";
                        }),
                new RpcCommand("presence.updateWatchers", mod, "uri event",
                        "Reviews the authorisation of uri's watchers of the event and notifies the changed ones.", p -> {
                            p.expect(2, 2, "uri event");
                            if (!m.refreshWatchers(p.string(0), p.string(1), 0)) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "update of watchers failed (bad uri "
                                        + "or unknown event)");
                            }
                            return "OK";
                        }),
                new RpcCommand("presence.presentity_list", mod, "[full]", "The stored publications; with full their "
                        + "bodies too.", p -> {
                            boolean full = p.size() > 0 && "full".equalsIgnoreCase(p.string(0, ""));
                            try {
                                List<Object> out = new ArrayList<>();
                                for (Presentity x : m.pres.all()) {
                                    out.add(presentity(x, full));
                                }
                                return out;
                            } catch (Exception e) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "presentities not read: " + e);
                            }
                        }),
                new RpcCommand("presence.presentity_show", mod, "uri [event]", "The publications of one presentity, "
                        + "with their bodies.", p -> {
                            p.expect(1, 2, "uri [event]");
                            String uri = Uris.aor(p.string(0));
                            if (uri == null) {
                                throw RpcException.invalidParams("presence.presentity_show: not a SIP URI: " + p.string(0));
                            }
                            String event = p.string(1, null);
                            try {
                                List<Object> out = new ArrayList<>();
                                for (Presentity x : m.pres.all()) {
                                    if (x.uri().equals(uri) && (event == null || x.event().equalsIgnoreCase(event))) {
                                        out.add(presentity(x, true));
                                    }
                                }
                                return out;
                            } catch (Exception e) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "presentities not read: " + e);
                            }
                        }),
                new RpcCommand("presence.watcher_list", mod, "[presentity_uri [event]]", "The subscriptions (all, or "
                        + "those to one presentity and event).", p -> {
                            p.expect(0, 2, "[presentity_uri [event]]");
                            try {
                                List<Subscription> l;
                                if (p.size() == 0) {
                                    l = m.subs.all();
                                } else {
                                    String uri = Uris.aor(p.string(0));
                                    if (uri == null) {
                                        throw RpcException.invalidParams("presence.watcher_list: not a SIP URI: "
                                                + p.string(0));
                                    }
                                    l = m.subs.of(uri, p.string(1, "presence"));
                                }
                                List<Object> out = new ArrayList<>();
                                for (Subscription s : l) {
                                    out.add(subscription(s));
                                }
                                return out;
                            } catch (RpcException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new RpcException(RpcException.INTERNAL_ERROR, "subscriptions not read: " + e);
                            }
                        }));
    }

    private Map<String, Object> presentity(Presentity x, boolean full) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pres_uri", x.uri());
        r.put("event", x.event());
        r.put("etag", x.etag());
        r.put("expires", x.expires());
        r.put("received_time", x.receivedTime());
        r.put("sender", x.sender());
        r.put("priority", (long) x.priority());
        if (full) {
            r.put("ruid", x.ruid());
            r.put("body", new String(x.body(), StandardCharsets.UTF_8));
        }
        return r;
    }

    private Map<String, Object> subscription(Subscription s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("presentity_uri", s.presentityUri());
        r.put("watcher_uri", s.watcherUri());
        r.put("event", s.event());
        r.put("event_id", s.eventId() == null ? "" : s.eventId());
        r.put("status", Notifier.status(s.status()));
        r.put("expires", s.expires());
        r.put("callid", s.callId());
        r.put("from_tag", s.fromTag());
        r.put("to_tag", s.toTag());
        r.put("local_cseq", s.localCseq());
        r.put("remote_cseq", s.remoteCseq());
        r.put("contact", s.contact());
        r.put("local_contact", s.localContact());
        r.put("version", s.version());
        r.put("user_agent", s.userAgent() == null ? "" : s.userAgent());
        return r;
    }
}
