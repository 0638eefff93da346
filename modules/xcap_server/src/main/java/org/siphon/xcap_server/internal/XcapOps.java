package org.siphon.xcap_server.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XCAP operations (RFC 4825 sections 7 and 8) on the {@code xcap} table: PUT, GET and DELETE
 * of a document, or of an element or attribute inside it, with ETags and conditional requests.
 * Each returns the {@link Answer} to send; nothing here touches the network. Thread-safe.
 */
final class XcapOps {

    /** An HTTP answer: status, reason, body bytes and their type (empty body: none), and the ETag header's tag (or null). */
    record Answer(int code, String reason, String contentType, byte[] bytes, String etag) {
        Answer(int code, String reason, String contentType, String body, String etag) {
            this(code, reason, contentType, body.getBytes(StandardCharsets.UTF_8), etag);
        }

        static Answer of(int code, String reason) {
            return new Answer(code, reason, "", "", null);
        }

        /** The body as UTF-8 text (for logs and tests; a stored document keeps its own encoding in {@link #bytes}). */
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        static Answer error(String condition) {
            return new Answer(409, "Conflict", Auid.ERROR_TYPE, XmlDocs.errorBody(condition), null);
        }
    }

    /** The request's conditions: the If-Match and If-None-Match values, null when absent. */
    record Preconditions(String ifMatch, String ifNoneMatch) {
        static final Preconditions NONE = new Preconditions(null, null);
    }

    /** The owner of a document: the user and domain of the {@code uri} argument. */
    record Owner(String username, String domain) {
        /** {@code sip:user@domain[;params]} (also {@code sips:}, or without scheme) → its user and domain. */
        static Owner of(String uri) {
            String s = uri == null ? "" : uri.trim();
            int colon = s.indexOf(':');
            if (colon >= 0 && s.substring(0, colon).matches("(?i)sips?|tel")) {
                s = s.substring(colon + 1);
            }
            int semi = s.indexOf(';');
            if (semi >= 0) {
                s = s.substring(0, semi);
            }
            int at = s.lastIndexOf('@');
            String user = at < 0 ? "" : s.substring(0, at);
            String domain = at < 0 ? s : s.substring(at + 1);
            return new Owner(truncate(user), truncate(domain));
        }

        private static String truncate(String s) {
            return s.length() <= 64 ? s : s.substring(0, 64);
        }
    }

    private static final int ATTEMPTS = 5;
    private static final AtomicLong COUNTER = new AtomicLong();

    private final XcapDb db;
    private final Map<String, String> namespaces;

    /** @param namespaces the {@code xml_ns} parameter's prefixes, used when the URI does not bind one */
    XcapOps(XcapDb db, Map<String, String> namespaces) {
        this.db = db;
        this.namespaces = namespaces;
    }

    /** A new entity tag: unique across restarts and nodes in practice (time, counter, random). */
    static String newEtag() {
        return "sr-" + Long.toHexString(System.currentTimeMillis()) + "-" + Long.toHexString(COUNTER.incrementAndGet())
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0x7fffffff);
    }

    private Map<String, String> namespaces(XcapUri uri) {
        if (uri.namespaces().isEmpty()) {
            return namespaces;
        }
        var all = new java.util.HashMap<>(namespaces);
        all.putAll(uri.namespaces());
        return all;
    }

    Answer get(XcapUri uri, Preconditions pre) throws SQLException {
        Auid auid = uri.usage();
        if (auid == null) {
            return Answer.of(404, "Not Found");
        }
        XcapDb.Row row = db.get(uri.adoc());
        if (row == null) {
            return Answer.of(404, "Not Found");
        }
        int c = Conditions.check(true, row.etag(), pre.ifMatch(), pre.ifNoneMatch());
        if (c == 304) {
            return new Answer(304, "Not Modified", "", "", row.etag());
        }
        if (c == 412) {
            return new Answer(412, "Precondition Failed", "", "", row.etag());
        }
        if (!uri.hasNode()) {
            return new Answer(200, "OK", auid.mimeType, row.doc(), row.etag());
        }
        Node n;
        try {
            n = NodeSelector.select(XmlDocs.parse(row.doc()), uri.node(), namespaces(uri));
        } catch (NodeSelector.BadSelector e) {
            return new Answer(400, "Bad Request", "text/plain", e.getMessage() + "\n", null);
        } catch (XmlDocs.NotWellFormed e) {
            return Answer.of(500, "Server Error"); // stored documents were checked when they were put
        }
        if (n == null) {
            return Answer.of(404, "Not Found");
        }
        if (n instanceof Attr a) {
            return new Answer(200, "OK", Auid.ATTRIBUTE_TYPE, a.getValue(), row.etag());
        }
        return new Answer(200, "OK", Auid.ELEMENT_TYPE, XmlDocs.write(n), row.etag());
    }

    Answer put(Owner owner, XcapUri uri, byte[] body, Preconditions pre, int port) throws SQLException {
        Auid auid = uri.usage();
        if (auid == null) {
            return Answer.of(404, "Not Found");
        }
        Document whole = null;
        if (!uri.hasNode()) {
            try {
                whole = XmlDocs.parse(body);
            } catch (XmlDocs.NotWellFormed e) {
                return Answer.error("not-well-formed");
            }
            if (!XmlDocs.validFor(whole, auid)) {
                return Answer.error("schema-validation-error");
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            XcapDb.Row row = db.get(uri.adoc());
            String current = row == null ? null : row.etag();
            if (Conditions.check(false, current, pre.ifMatch(), pre.ifNoneMatch()) != Conditions.PASS) {
                return new Answer(412, "Precondition Failed", "", "", current);
            }
            byte[] doc = body;
            if (uri.hasNode()) {
                if (row == null) {
                    return Answer.error("no-parent");
                }
                Object changed = putNode(row.doc(), uri, body);
                if (changed instanceof Answer a) {
                    return a;
                }
                doc = ((String) changed).getBytes(StandardCharsets.UTF_8);
            }
            String etag = newEtag();
            if (db.put(owner.username(), owner.domain(), auid.docType, uri.adoc(), port, doc, etag, current)) {
                return row == null && !uri.hasNode() ? new Answer(201, "Created", "", "", etag)
                        : new Answer(200, "OK", "", "", etag);
            }
        }
        return Answer.of(503, "Service Unavailable"); // changed by others at every attempt
    }

    /** The document with the node put, as text; or the Answer refusing it. */
    private Object putNode(byte[] stored, XcapUri uri, byte[] body) {
        try {
            Document doc = XmlDocs.parse(stored);
            Map<String, String> ns = namespaces(uri);
            Node n = NodeSelector.select(doc, uri.node(), ns);
            String last = uri.target();
            if (last.startsWith("@")) {
                String value = new String(body, StandardCharsets.UTF_8);
                if (n instanceof Attr a) {
                    a.setValue(value);
                } else {
                    Node parent = NodeSelector.select(doc, parentOf(uri.node()), ns);
                    if (!(parent instanceof Element e)) {
                        return Answer.error("no-parent");
                    }
                    e.setAttribute(last.substring(1), value);
                }
                return XmlDocs.write(doc);
            }
            Node fresh;
            try {
                fresh = XmlDocs.parseElement(body, doc);
            } catch (XmlDocs.NotWellFormed e) {
                return Answer.error("not-xml-frag");
            }
            String[] name = NodeSelector.name(last.replaceAll("\\[.*$", ""));
            if (name != null && !name[1].equals(fresh.getLocalName())) {
                return Answer.error("cannot-insert");
            }
            if (n instanceof Element old) {
                if (old == doc.getDocumentElement()) {
                    return Answer.error("cannot-insert");
                }
                old.getParentNode().replaceChild(fresh, old);
            } else {
                Node parent = NodeSelector.select(doc, parentOf(uri.node()), ns);
                if (!(parent instanceof Element e)) {
                    return Answer.error("no-parent");
                }
                e.appendChild(fresh);
            }
            return XmlDocs.write(doc);
        } catch (NodeSelector.BadSelector e) {
            return new Answer(400, "Bad Request", "text/plain", e.getMessage() + "\n", null);
        } catch (XmlDocs.NotWellFormed e) {
            return Answer.of(500, "Server Error");
        }
    }

    static String parentOf(String node) {
        var steps = NodeSelector.steps(node);
        return "/" + String.join("/", steps.subList(0, Math.max(0, steps.size() - 1)));
    }

    Answer delete(XcapUri uri, Preconditions pre) throws SQLException {
        Auid auid = uri.usage();
        if (auid == null) {
            return Answer.of(404, "Not Found");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            XcapDb.Row row = db.get(uri.adoc());
            if (row == null) {
                return Answer.of(404, "Not Found");
            }
            if (Conditions.check(false, row.etag(), pre.ifMatch(), pre.ifNoneMatch()) != Conditions.PASS) {
                return new Answer(412, "Precondition Failed", "", "", row.etag());
            }
            if (!uri.hasNode()) {
                if (db.delete(uri.adoc(), row.etag())) {
                    return new Answer(200, "OK", "", "", row.etag());
                }
                continue;
            }
            Node n;
            Document doc;
            try {
                doc = XmlDocs.parse(row.doc());
                n = NodeSelector.select(doc, uri.node(), namespaces(uri));
            } catch (NodeSelector.BadSelector e) {
                return new Answer(400, "Bad Request", "text/plain", e.getMessage() + "\n", null);
            } catch (XmlDocs.NotWellFormed e) {
                return Answer.of(500, "Server Error");
            }
            if (n == null) {
                return Answer.of(404, "Not Found");
            }
            if (n instanceof Attr a) {
                a.getOwnerElement().removeAttributeNode(a);
            } else if (n == doc.getDocumentElement()) {
                return Answer.error("cannot-delete");
            } else {
                n.getParentNode().removeChild(n);
            }
            String etag = newEtag();
            if (db.replace(uri.adoc(), XmlDocs.write(doc).getBytes(StandardCharsets.UTF_8), etag, row.etag())) {
                return new Answer(200, "OK", "", "", etag);
            }
        }
        return Answer.of(503, "Service Unavailable");
    }
}
