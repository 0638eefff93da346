package org.siphon.presence.xml.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.siphon.presence.PresenceEvent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Event package {@code presence} (RFC 3856) with PIDF bodies (RFC 3863): a PUBLISH body must be
 * well-formed XML (parsed safely, {@link Xml}) of at most {@code max_body_size} bytes whose root is
 * PIDF's {@code <presence>}; a NOTIFY carries one PIDF document aggregating every publication of
 * the presentity: the first's root, then the children ({@code <tuple>}, RFC 4479's
 * {@code <person>} and {@code <device>}, {@code <note>} …) of each publication, newest first,
 * an element whose {@code id} was already taken dropped. Authorisation: every watcher is active
 * with {@code force_active=1}, else the presentity's pres-rules decide ({@link RulesAuthoriser}).
 * Thread-safe.
 */
final class PidfEvent implements PresenceEvent {

    static final String NS = "urn:ietf:params:xml:ns:pidf";
    static final String TYPE = "application/pidf+xml";

    private final int maxBodySize;
    private final boolean dummy;
    /** null: force_active=1, every watcher active. */
    private final RulesAuthoriser rules;

    PidfEvent(int maxBodySize, boolean forceDummyPresence) {
        this(maxBodySize, forceDummyPresence, null);
    }

    PidfEvent(int maxBodySize, boolean forceDummyPresence, RulesAuthoriser rules) {
        this.maxBodySize = maxBodySize;
        this.dummy = forceDummyPresence;
        this.rules = rules;
    }

    @Override
    public int authStatus(String watcherUri, String presentityUri) {
        int s = authorise(watcherUri, presentityUri).status();
        return s == UNDECIDED ? PENDING : s;
    }

    @Override
    public Authorisation authorise(String watcherUri, String presentityUri) {
        return rules == null ? new Authorisation(ACTIVE, null) : rules.decide(watcherUri, presentityUri);
    }

    @Override
    public String name() {
        return "presence";
    }

    @Override
    public String contentType() {
        return TYPE;
    }

    @Override
    public boolean requiresAuthorisation() {
        return true;
    }

    @Override
    public Rejection check(byte[] body, String contentType) {
        if (maxBodySize > 0 && body.length > maxBodySize) {
            return new Rejection(413, "Request Entity Too Large (PIDF over " + maxBodySize + " bytes)");
        }
        String[] root;
        try {
            root = Xml.root(body); // well-formed, nothing built: the NOTIFYs send it as it came or parse it to aggregate
        } catch (Xml.BadXml e) {
            return new Rejection(400, "Bad PIDF: " + e.getMessage());
        }
        if (!"presence".equals(root[1]) || !NS.equals(root[0])) {
            return new Rejection(400, "Bad PIDF: the root is not <presence xmlns=\"" + NS + "\">");
        }
        return null;
    }

    @Override
    public byte[] notifyBody(String presentityUri, List<Publication> publications) {
        if (publications.isEmpty()) {
            return dummy ? dummy(presentityUri) : null;
        }
        if (publications.size() == 1) {
            return publications.get(0).body(); // checked when published: sent as it came
        }
        List<Publication> newestFirst = new ArrayList<>(publications);
        newestFirst.sort((a, b) -> Long.compare(b.receivedTime(), a.receivedTime()));
        Document out = Xml.newDocument();
        Element root = null;
        Set<String> ids = new HashSet<>();
        for (Publication p : newestFirst) {
            Document d;
            try {
                d = Xml.parse(p.body());
            } catch (Xml.BadXml e) {
                continue; // from the table, written by something else: left out
            }
            Element r = d.getDocumentElement();
            if (root == null) {
                root = (Element) out.importNode(r, false);
                root.setAttribute("entity", presentityUri);
                out.appendChild(root);
            }
            for (Node n = r.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    String id = e.getAttribute("id");
                    if (!id.isEmpty() && !ids.add(e.getLocalName() + "\u0001" + id)) {
                        continue;
                    }
                    root.appendChild(out.importNode(e, true));
                }
            }
        }
        return root == null ? (dummy ? dummy(presentityUri) : null) : Xml.write(out);
    }

    /** force_dummy_presence: a document with one open tuple when nothing is published. */
    static byte[] dummy(String presentityUri) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"" + NS + "\" entity=\""
                + Xml.escape(presentityUri) + "\">\n  <tuple id=\"siphon-dummy\">\n    <status><basic>open</basic></status>\n"
                + "  </tuple>\n</presence>\n").getBytes(StandardCharsets.UTF_8);
    }
}
