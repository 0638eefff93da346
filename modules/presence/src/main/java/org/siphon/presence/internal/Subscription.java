package org.siphon.presence.internal;

import java.util.Map;

/**
 * One subscription dialog as Kamailio's {@code active_watchers} row holds it. Kept in the core's
 * {@link org.siphon.core.store.SharedStore} as a plain map ({@link #toMap}), so that a new
 * version of the module reads what the old one wrote. Times are seconds since the epoch. Immutable.
 *
 * @param toTag this server's tag (the dialog's local tag); {@code fromTag} the watcher's
 */
record Subscription(String presentityUri, String event, String eventId, String watcherUser, String watcherDomain,
        String toUser, String toDomain, String fromUser, String fromDomain, String callId, String toTag,
        String fromTag, long localCseq, long remoteCseq, String contact, String recordRoute, long expires,
        int status, String reason, long version, String socketInfo, String localContact, long updated,
        long updatedWinfo, int flags, String userAgent, long created) {

    /** The key of the dialog in the store: Call-ID, watcher's tag, server's tag. */
    String key() {
        return key(callId, fromTag, toTag);
    }

    static String key(String callId, String fromTag, String toTag) {
        return callId + "\u0001" + fromTag + "\u0001" + toTag;
    }

    /** presentity URI and event, the index of watchers to notify. */
    String presentityKey() {
        return presentityUri + "\u0001" + event;
    }

    String watcherUri() {
        return "sip:" + (watcherUser == null || watcherUser.isEmpty() ? "" : watcherUser + "@") + watcherDomain;
    }

    Subscription withCseq(long cseq) {
        return new Subscription(presentityUri, event, eventId, watcherUser, watcherDomain, toUser, toDomain, fromUser,
                fromDomain, callId, toTag, fromTag, cseq, remoteCseq, contact, recordRoute, expires, status, reason,
                version, socketInfo, localContact, updated, updatedWinfo, flags, userAgent, created);
    }

    Subscription withVersion(long v) {
        return new Subscription(presentityUri, event, eventId, watcherUser, watcherDomain, toUser, toDomain, fromUser,
                fromDomain, callId, toTag, fromTag, localCseq, remoteCseq, contact, recordRoute, expires, status, reason,
                v, socketInfo, localContact, updated, updatedWinfo, flags, userAgent, created);
    }

    Subscription refreshed(long remote, long newExpires, String newContact) {
        return new Subscription(presentityUri, event, eventId, watcherUser, watcherDomain, toUser, toDomain, fromUser,
                fromDomain, callId, toTag, fromTag, localCseq, remote, newContact, recordRoute, newExpires, status,
                reason, version, socketInfo, localContact, updated, updatedWinfo, flags, userAgent, created);
    }

    Subscription withStatus(int s, String r) {
        return new Subscription(presentityUri, event, eventId, watcherUser, watcherDomain, toUser, toDomain, fromUser,
                fromDomain, callId, toTag, fromTag, localCseq, remoteCseq, contact, recordRoute, expires, s, r,
                version, socketInfo, localContact, updated, updatedWinfo, flags, userAgent, created);
    }

    /** Plain JDK data for the shared store: an immutable map without the null fields. */
    Map<String, Object> toMap() {
        Object[] kv = { "presentity_uri", presentityUri, "event", event, "event_id", eventId,
            "watcher_username", watcherUser, "watcher_domain", watcherDomain, "to_user", toUser, "to_domain", toDomain,
            "from_user", fromUser, "from_domain", fromDomain, "callid", callId, "to_tag", toTag, "from_tag", fromTag,
            "local_cseq", localCseq, "remote_cseq", remoteCseq, "contact", contact, "record_route", recordRoute,
            "expires", expires, "status", (long) status, "reason", reason, "version", version,
            "socket_info", socketInfo, "local_contact", localContact, "updated", updated,
            "updated_winfo", updatedWinfo, "flags", (long) flags, "user_agent", userAgent, "created", created };
        int n = 0;
        for (int i = 1; i < kv.length; i += 2) {
            if (kv[i] != null) {
                n++;
            }
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, Object>[] entries = new Map.Entry[n];
        for (int i = 0, j = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                entries[j++] = Map.entry((String) kv[i], kv[i + 1]);
            }
        }
        return Map.ofEntries(entries); // straight into the immutable map: no HashMap built and copied
    }

    static Subscription fromMap(Map<?, ?> m) {
        return new Subscription(s(m, "presentity_uri"), s(m, "event"), s(m, "event_id"), s(m, "watcher_username"),
                s(m, "watcher_domain"), s(m, "to_user"), s(m, "to_domain"), s(m, "from_user"), s(m, "from_domain"),
                s(m, "callid"), s(m, "to_tag"), s(m, "from_tag"), l(m, "local_cseq"), l(m, "remote_cseq"),
                s(m, "contact"), s(m, "record_route"), l(m, "expires"), (int) l(m, "status"), s(m, "reason"),
                l(m, "version"), s(m, "socket_info"), s(m, "local_contact"), l(m, "updated"), l(m, "updated_winfo"),
                (int) l(m, "flags"), s(m, "user_agent"), l(m, "created"));
    }

    private static String s(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static long l(Map<?, ?> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }
}
