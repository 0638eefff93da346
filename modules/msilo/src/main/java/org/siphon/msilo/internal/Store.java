package org.siphon.msilo.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.MediaType;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;

/**
 * {@code m_store([owner])}: keeps the MESSAGE being routed in the silo table for its owner, then
 * (with {@code from_address} and {@code offline_message}) tells the sender through tm that it was
 * stored. The row is committed before this returns, so the script's 202 never goes out for a
 * message that is not in the database: this one call waits for the database on the SIP worker,
 * as Kamailio's does. Returns 1 stored, -1 not stored (with an ERROR line saying why).
 * Thread-safe.
 */
final class Store {

    /**
     * The largest body stored: what Kamailio's MySQL schema holds (BLOB, 65,535 bytes), so a row
     * written here can be read by every Kamailio database.
     */
    static final int MAX_BODY = 65_535;
    /** ctype is VARCHAR(32) in Kamailio's schema. */
    static final int MAX_CTYPE = 32;

    private final MsiloComponent m;

    Store(MsiloComponent m) {
        this.m = m;
    }

    int store(ActionContext ctx, String ownerArg) {
        if (!(ctx.message() instanceof SipRequest req)) {
            return -1;
        }
        MsiloComponent.Settings s = m.settings();
        SipUri owner = owner(req, ownerArg);
        if (owner == null) {
            return -1;
        }
        NameAddress from = req.from();
        NameAddress to = req.to();
        if (from == null || !(from.uri() instanceof SipUri f) || empty(f.user())) {
            MsiloComponent.LOG.error("msilo: m_store: the From of {} has no user ({}): not stored", req.callId(),
                    from == null ? "no From" : from.uri());
            return -1;
        }
        if (to == null || to.uri() == null) {
            MsiloComponent.LOG.error("msilo: m_store: {} has no To: not stored", req.callId());
            return -1;
        }
        byte[] body = req.body();
        if (body == null || body.length == 0) {
            MsiloComponent.LOG.error("msilo: m_store: the body of the message is empty ({} from {}): not stored",
                    req.callId(), f);
            return -1;
        }
        if (body.length > MAX_BODY) {
            MsiloComponent.LOG.error("msilo: m_store: body of {} bytes ({} from {}) is larger than the {} a silo row "
                    + "holds: not stored", body.length, req.callId(), f, MAX_BODY);
            return -1;
        }
        String ctype = ctype(req.contentType());
        if (ctype == null) {
            MsiloComponent.LOG.error("msilo: m_store: {} from {} has {}: not stored", req.callId(), f,
                    req.contentType() == null ? "no Content-Type" : "a Content-Type longer than " + MAX_CTYPE
                            + " characters");
            return -1;
        }
        long nowMillis = m.now();
        long now = nowMillis / 1000;
        long sndTime = 0;
        if (!s.sndTimeAvp().isEmpty()) {
            Object v = ctx.avp(s.sndTimeAvp());
            if (v != null && !v.toString().isBlank()) {
                sndTime = Messages.sendTime(v.toString(), m.zone());
                if (sndTime < 0) {
                    MsiloComponent.LOG.error("msilo: m_store: bad time \"{}\" in $avp({}) (YYYYMMDDHHMMSS): not stored", v,
                            s.sndTimeAvp());
                    return -1;
                }
            }
        }
        String extra = null;
        if (!s.extraHdrsAvp().isEmpty()) {
            Object v = ctx.avp(s.extraHdrsAvp());
            if (v != null && !v.toString().isEmpty()) {
                extra = v.toString().replace("\\r\\n", "\r\n");
            }
        }
        MsiloComponent.Config c = s.config();
        String user = owner.user();
        String host = owner.host();
        try {
            if (c.max__messages() > 0) {
                int n = s.db().count(user, host);
                if (n >= c.max__messages()) {
                    MsiloComponent.LOG.error("msilo: m_store: too many messages for AoR '{}@{}' ({} stored, max_messages "
                            + "{}): not stored", user, host, n, c.max__messages());
                    return -1;
                }
            }
            s.db().insert(new SiloDb.NewMessage(f.toString(), to.uri().toString(), user, host, body, ctype, now,
                    now + c.expire__time(), sndTime, extra, req.callId()));
        } catch (SQLException | RuntimeException e) {
            MsiloComponent.LOG.error("msilo: m_store: message for {}@{} not stored: {}", user, host, e.getMessage());
            return -1;
        }
        m.stored.increment();
        MsiloComponent.LOG.debug("msilo: message stored. T:<{}> F:<{}>", to.uri(), f);
        ScriptHandle script = ctx.scriptHandle();
        int flag = c.skip__notification__flag();
        if (flag < 0 || script == null || (script.flags() & 1L << flag) == 0) {
            notifySender(req, from, script, s);
        }
        return 1;
    }

    /** The owner: the argument, else the R-URI when it is an AoR (user@host), else the To URI. */
    static SipUri owner(SipRequest req, String ownerArg) {
        Uri u;
        if (ownerArg != null) {
            try {
                u = UriParser.parse(ownerArg.trim());
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (!(u instanceof SipUri)) {
                MsiloComponent.LOG.error("msilo: bad owner SIP address \"{}\"", ownerArg);
                return null;
            }
        } else {
            u = req.edits().requestUri();
            if (!(u instanceof SipUri r) || empty(r.user())) {
                u = req.to() == null ? null : req.to().uri();
            }
        }
        if (!(u instanceof SipUri o) || empty(o.user())) {
            MsiloComponent.LOG.error("msilo: no username for owner ({}) of {}", u, req.callId());
            return null;
        }
        return o;
    }

    /** The type as it goes into ctype: with its parameters when they fit, else its essence; null when none fits. */
    static String ctype(MediaType t) {
        if (t == null) {
            return null;
        }
        String full = t.toString();
        if (full.length() <= MAX_CTYPE) {
            return full;
        }
        String essence = t.essence();
        return essence.length() <= MAX_CTYPE ? essence : null;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /**
     * The notice to the sender (Kamailio's "offline message" info): from {@code from_address}, to the
     * sender's Contact ({@code use_contact}) or From URI, body {@code offline_message}. Not waited for.
     */
    private void notifySender(SipRequest req, NameAddress from, ScriptHandle script, MsiloComponent.Settings s) {
        if (s.fromAddress().isEmpty() || s.offlineMessage().isEmpty()) {
            return;
        }
        TmApi tm = m.tm();
        if (tm == null) {
            MsiloComponent.LOG.warn("msilo: tm is not active: no notice to {}", from.uri());
            return;
        }
        String target = from.uri().toString();
        if (s.config().use__contact() != 0) {
            List<NameAddress> contacts = req.contacts();
            if (!contacts.isEmpty() && !contacts.get(0).isWildcard() && contacts.get(0).uri() != null) {
                target = contacts.get(0).uri().toString();
            }
        }
        List<SipHeader> ctHdrs = Messages.headers(s.contentTypeHdr().expand(script, req));
        String ctype = Messages.value(ctHdrs, "Content-Type");
        List<SipHeader> headers = Messages.headers(s.contactHdr().expand(script, req));
        byte[] body = s.offlineMessage().expand(script, req).getBytes(StandardCharsets.UTF_8);
        try {
            tm.send(new UacRequest("MESSAGE", target, s.outboundProxy().isEmpty() ? null : s.outboundProxy(),
                    s.fromAddress().expand(script, req), from.uri().toString(), headers,
                    ctype == null ? "text/plain" : ctype, body)).whenComplete((r, e) -> {
                        if (e != null) {
                            MsiloComponent.LOG.debug("msilo: notice to {} not sent: {}", from.uri(), e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            MsiloComponent.LOG.warn("msilo: notice to {} not sent: {}", target, e.toString());
        }
    }
}
