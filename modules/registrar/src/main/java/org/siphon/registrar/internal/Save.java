package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;

/**
 * {@code save()}: a REGISTER processed as RFC 3261 §10.3 says — the AOR from To (or the URI
 * given), a query without Contact, {@code *} with Expires 0 removing every binding, per-contact
 * expires (parameter, else Expires header, else {@code default_expires}; 423 with Min-Expires
 * below {@code min_expires}, cut to {@code max_expires}), bindings matched by URI (§19.1.4) and
 * refreshed only by a higher CSeq of the same Call-ID, {@code max_contacts}, Path
 * ({@code use_path}); the answer lists every binding with the seconds it has left.
 */
final class Save {

    /** flags of save(): 0x02 — do not answer the REGISTER (the script does). */
    static final int NO_REPLY = 0x02;

    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String reason;
        final List<SipHeader> extra;

        Refused(int status, String reason) {
            this(status, reason, List.of());
        }

        Refused(int status, String reason, List<SipHeader> extra) {
            super(reason, null, false, false);
            this.status = status;
            this.reason = reason;
            this.extra = extra;
        }
    }

    private final RegistrarComponent r;

    Save(RegistrarComponent r) {
        this.r = r;
    }

    int save(ActionContext ctx, int flags, String uri) {
        if (!(ctx.message() instanceof SipRequest req) || !req.isMethod(SipMethods.REGISTER)) {
            return -1;
        }
        boolean reply = (flags & NO_REPLY) == 0;
        try {
            return doSave(ctx, req, uri, reply);
        } catch (IllegalStateException e) {
            r.rejected.increment();
            if (reply) {
                r.core.reply(req, 500, "Database Unavailable", List.of());
            }
            return -1;
        } catch (Refused e) {
            r.rejected.increment();
            if (reply) {
                List<SipHeader> extra = e.status == 423
                        ? List.of(SipHeader.of("Min-Expires", Integer.toString(r.config.min__expires()))) : e.extra;
                r.core.reply(req, e.status, e.reason, extra);
            }
            return -1;
        }
    }

    private int doSave(ActionContext ctx, SipRequest req, String uri, boolean reply) {
        String aor;
        try {
            aor = r.aor(uri != null ? UriParser.parse(uri) : req.to().uri());
        } catch (IllegalArgumentException e) {
            aor = null;
        }
        if (aor == null) {
            throw new Refused(400, "Bad To URI");
        }
        boolean pathInReply = checkPath(req);
        long now = r.clock.getAsLong();
        String contactValue = req.headerValue(SipHeaderNames.CONTACT);
        List<Contact> after;
        if (contactValue == null) {
            after = r.location.contacts(aor, now); // a query
        } else if (contactValue.trim().equals("*")) {
            if (req.expires() != 0 || req.headers(SipHeaderNames.CONTACT).size() > 1) {
                throw new Refused(400, "Bad Wildcard Contact");
            }
            String callId = req.callId();
            long cseq = req.cseq().number();
            after = r.update(aor, now, current -> {
                for (Contact c : current) {
                    if (c.callId().equals(callId) && cseq <= c.cseq()) {
                        throw new Refused(500, "Out Of Order CSeq");
                    }
                }
                return List.of();
            });
        } else {
            after = bind(ctx, req, aor, now);
        }
        r.accepted.increment();
        if (reply) {
            List<SipHeader> extra = new ArrayList<>(r.contactHeaders(after, now));
            if (pathInReply) {
                for (SipHeader p : req.headers("Path")) {
                    extra.add(SipHeader.of("Path", p.value()));
                }
            }
            r.core.reply(req, 200, "OK", extra);
        }
        return 1;
    }

    /**
     * use_path and path_mode (RFC 3327): with path_mode 2 (the default) a REGISTER with Path whose
     * Supported lacks "path" is refused 420 with Unsupported: path; mode 1 echoes Path in the 200
     * only when the UA supports it, mode 0 never. Returns whether the 200 carries the Path headers.
     */
    private boolean checkPath(SipRequest req) {
        if (r.config.use__path() == 0 || req.headers("Path").isEmpty()) {
            return false;
        }
        boolean supported = false;
        for (SipHeader h : req.headers(SipHeaderNames.SUPPORTED)) {
            for (String tag : h.value().split(",")) {
                supported |= tag.trim().equalsIgnoreCase("path");
            }
        }
        return switch (r.config.path__mode()) {
            case 0 -> false;
            case 1 -> supported;
            default -> {
                if (!supported) {
                    List<SipHeader> extra = new ArrayList<>(List.of(SipHeader.of("Unsupported", "path")));
                    req.headers("Path").forEach(p -> extra.add(SipHeader.of("Path", p.value())));
                    throw new Refused(420, "Bad Extension", extra);
                }
                yield true;
            }
        };
    }

    private List<Contact> bind(ActionContext ctx, SipRequest req, String aor, long now) {
        List<NameAddress> given;
        try {
            given = req.contacts();
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "Bad Contact");
        }
        long headerExpires = req.expires();
        List<Contact> incoming = new ArrayList<>();
        String path = null;
        if (r.config.use__path() != 0 && !req.headers("Path").isEmpty()) {
            path = String.join(", ", values(req.headers("Path")));
        }
        String ua = req.headerValue("User-Agent");
        String received = r.received(ctx);
        String socket = RegistrarComponent.socketOf(req.source());
        long cflags = ctx.branchFlags();
        String allow = methods(values(req.headers("Allow")));
        for (NameAddress na : given) {
            if (na.isWildcard()) {
                throw new Refused(400, "Bad Wildcard Contact");
            }
            long expires = expires(na, headerExpires);
            int q = q(na);
            String methods = na.params().get("methods");
            incoming.add(new Contact(na.uri().toString(), expires == 0 ? 0 : now + expires * 1000, q, req.callId(),
                    req.cseq().number(), path, received, ua, now, cflags,
                    methods != null ? methods(List.of(unquote(methods))) : allow, socket));
        }
        int max = r.config.max__contacts();
        return r.update(aor, now, current -> {
            List<Contact> next = new ArrayList<>(current);
            for (Contact in : incoming) {
                int at = indexOf(next, in.uri());
                if (at >= 0) {
                    Contact old = next.get(at);
                    if (old.callId().equals(in.callId()) && in.cseq() <= old.cseq()) {
                        throw new Refused(500, "Out Of Order CSeq");
                    }
                    if (in.expires() == 0) {
                        next.remove(at);
                    } else {
                        next.set(at, in.sharing(old));
                    }
                } else if (in.expires() != 0) {
                    next.add(in);
                }
            }
            if (max > 0 && next.size() > max) {
                throw new Refused(503, "Too Many Registered Contacts");
            }
            return next;
        });
    }

    private static List<String> values(List<SipHeader> headers) {
        if (headers.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(headers.size());
        for (SipHeader h : headers) {
            out.add(h.value());
        }
        return out;
    }

    /** The methods of Allow header values (or a contact's methods parameter), upper case, comma-separated; null when none. */
    static String methods(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String m : v.split(",")) {
                String t = m.trim().toUpperCase(java.util.Locale.ROOT);
                if (!t.isEmpty() && !out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out.isEmpty() ? null : String.join(",", out);
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static int indexOf(List<Contact> contacts, String uri) {
        for (int i = 0; i < contacts.size(); i++) {
            if (same(contacts.get(i).uri(), uri)) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3261 §10.3 step 6: contact URIs compare as §19.1.4 says. */
    private static boolean same(String a, String b) {
        if (a.equals(b)) {
            return true; // a refresh repeats the contact as it was
        }
        try {
            if (UriParser.parse(a) instanceof SipUri x && UriParser.parse(b) instanceof SipUri y) {
                return UriParser.equivalent(x, y);
            }
        } catch (IllegalArgumentException e) {
            // compare as text
        }
        return a.equals(b);
    }

    /** Seconds: the contact's expires parameter, else the Expires header, else default_expires; checked and capped. */
    private long expires(NameAddress na, long headerExpires) {
        long e;
        String p = na.params().get("expires");
        try {
            e = p != null ? Long.parseLong(p.trim()) : headerExpires >= 0 ? headerExpires : r.config.default__expires();
        } catch (NumberFormatException x) {
            e = r.config.default__expires();
        }
        if (e != 0 && e < r.config.min__expires()) {
            throw new Refused(423, "Interval Too Brief");
        }
        if (r.config.max__expires() > 0 && e > r.config.max__expires()) {
            e = r.config.max__expires();
        }
        return e;
    }

    private static int q(NameAddress na) {
        String q = na.params().get("q");
        if (q == null) {
            return -1;
        }
        try {
            return (int) Math.round(Math.min(1.0, Math.max(0.0, Double.parseDouble(q.trim()))) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
