package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lookup()} and {@code lookup_branches()}: the Request-URI (and each plain branch) becomes
 * the registered contacts of its AOR, best first; a contact's Path becomes Route headers and the
 * destination, else its {@code received} address (NAT) is the destination; its saved branch
 * flags come back. Kamailio's return codes: 1 found, -1 no contact, -2 contacts but none accepts
 * the method ({@code method_filtering}), -3 a stored contact is unusable.
 */
final class Lookup {

    private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

    private final RegistrarComponent r;

    Lookup(RegistrarComponent r) {
        this.r = r;
    }

    int lookup(ActionContext ctx, String uri) {
        if (!(ctx.message() instanceof SipRequest req)) {
            return -1;
        }
        String aor = r.aorOf(ctx, uri);
        if (aor == null) {
            return -1;
        }
        List<Contact> contacts;
        try {
            contacts = contacts(req, aor);
        } catch (IllegalStateException e) {
            LOG.warn("lookup of {}: {}", aor, e.getMessage());
            return -1;
        }
        if (contacts == null) {
            return -2;
        }
        if (contacts.isEmpty()) {
            return -1;
        }
        try {
            List<Branch> found = branches(contacts);
            Branch first = found.get(0);
            req.edits().setRequestUri(first.uri());
            if (first.path() != null) {
                req.edits().insertFirst("Route", first.path());
            }
            ctx.setDestination(first.destination());
            String socket = contacts.get(0).socket();
            if (socket != null && r.ownSocket(socket)) {
                ctx.setSendSocket(socket); // back out of the socket the contact registered through
            }
            ctx.setBranchFlags(first.flags());
            if (r.config.append__branches() != 0) {
                ctx.branches().addAll(found.subList(1, found.size()));
            }
            return 1;
        } catch (IllegalArgumentException e) {
            LOG.warn("lookup of {}: a stored contact is unusable: {}", aor, e.getMessage());
            return -3;
        }
    }

    /**
     * Kamailio's {@code lookup_branches}: lookup() on the Request-URI, then on every branch that
     * has nothing but a URI; a branch whose AOR has contacts is replaced by them, one whose AOR
     * has none stays as it was. 1 when any lookup found contacts, else the Request-URI's code.
     */
    int lookupBranches(ActionContext ctx) {
        if (!(ctx.message() instanceof SipRequest req)) {
            return -1;
        }
        List<Branch> before = new ArrayList<>(ctx.branches());
        ctx.branches().clear();
        int rc = lookup(ctx, null);
        List<Branch> after = new ArrayList<>(ctx.branches());
        for (Branch b : before) {
            String aor = b.destination() == null && b.path() == null ? r.aor(b.uri()) : null;
            List<Contact> contacts = null;
            try {
                contacts = aor == null ? null : contacts(req, aor);
            } catch (IllegalStateException e) {
                LOG.warn("lookup of {}: {}", aor, e.getMessage());
            }
            if (contacts == null || contacts.isEmpty()) {
                after.add(b);
                continue;
            }
            try {
                after.addAll(branches(contacts));
                rc = 1;
            } catch (IllegalArgumentException e) {
                LOG.warn("lookup of {}: a stored contact is unusable: {}", aor, e.getMessage());
                after.add(b);
            }
        }
        ctx.branches().clear();
        ctx.branches().addAll(after);
        return rc;
    }

    /** The live contacts of {@code aor} that accept the request's method; null when there were some but none does. */
    private List<Contact> contacts(SipRequest req, String aor) {
        List<Contact> all = r.location.contacts(aor, r.clock.getAsLong());
        if (r.config.method__filtering() == 0 || all.isEmpty()) {
            return all;
        }
        List<Contact> accepting = all.stream().filter(c -> c.accepts(req.method())).toList();
        return accepting.isEmpty() ? null : accepting;
    }

    /** Each contact as a branch: its Path's first hop or its received address as destination, its saved flags. */
    private static List<Branch> branches(List<Contact> contacts) {
        List<Branch> out = new ArrayList<>();
        for (Contact c : contacts) {
            Uri destination = c.path() != null ? NameAddress.parseAll(c.path()).get(0).uri()
                    : c.received() != null ? UriParser.parse(c.received()) : null;
            out.add(new Branch(UriParser.parse(c.uri()), destination, c.path(), c.q(), c.cflags()));
        }
        return out;
    }
}
