package org.siphon.xcap_server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * XCAP node selectors (RFC 4825 section 6.3), the simple paths clients use: steps
 * {@code [prefix:]name} or {@code *}, each with predicates {@code [n]} (position among the
 * matching siblings, from 1) and {@code [@attr="value"]} (or single quotes), and a last step
 * {@code @attr} for an attribute. The first step names the root element. A prefixed name
 * matches in the namespace the prefix is bound to (the URI's {@code xmlns()}, then the
 * {@code xml_ns} parameter, then the document's own declarations); an unprefixed one matches
 * the local name in any namespace. Not supported: {@code namespace::*} and other XPath axes.
 * Stateless.
 */
final class NodeSelector {

    private static final Pattern STEP = Pattern.compile("(\\*|(?:([A-Za-z_][\\w.-]*):)?([A-Za-z_][\\w.-]*))((?:\\[[^\\]]*\\])*)");
    private static final Pattern PREDICATE = Pattern.compile("\\[\\s*(?:(\\d+)|@((?:[A-Za-z_][\\w.-]*:)?[A-Za-z_][\\w.-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'))\\s*\\]");

    /** A selector this server cannot follow (400), or one that does not parse. */
    static final class BadSelector extends Exception {
        private static final long serialVersionUID = 1L;

        BadSelector(String reason) {
            super(reason);
        }
    }

    private NodeSelector() {
    }

    /** The steps of {@code node} ({@code /a/b[@x="/"]/@c}); a {@code /} inside quotes or brackets does not split. */
    static List<String> steps(String node) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '/' && depth == 0) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /**
     * What {@code node} selects in {@code doc}: an {@link Element} or an {@link Attr}; null when
     * nothing matches or more than one element does (RFC 4825 wants exactly one).
     */
    static Node select(Document doc, String node, Map<String, String> namespaces) throws BadSelector {
        List<String> steps = steps(node);
        if (steps.isEmpty()) {
            return doc.getDocumentElement();
        }
        Node current = doc;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            if (step.startsWith("@")) {
                if (i != steps.size() - 1) {
                    throw new BadSelector("an attribute step must be the last: " + step);
                }
                if (!(current instanceof Element e)) {
                    return null;
                }
                return attribute(e, step.substring(1), namespaces);
            }
            current = child(current, step, namespaces);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static Node attribute(Element e, String qname, Map<String, String> namespaces) throws BadSelector {
        int colon = qname.indexOf(':');
        if (colon < 0) {
            return e.getAttributeNode(qname);
        }
        String ns = namespace(e, qname.substring(0, colon), namespaces);
        return e.getAttributeNodeNS(ns, qname.substring(colon + 1));
    }

    /** The one child element of {@code parent} the step selects, or null. */
    private static Element child(Node parent, String step, Map<String, String> namespaces) throws BadSelector {
        Matcher m = STEP.matcher(step);
        if (!m.matches()) {
            throw new BadSelector("unsupported node selector step: " + step);
        }
        String prefix = m.group(2);
        String local = m.group(1).equals("*") ? null : m.group(3);
        String ns = prefix == null ? null : namespace(parent, prefix, namespaces);
        List<Element> matching = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (local == null || local.equals(localName(e)))
                    && (prefix == null || ns.equals(e.getNamespaceURI()))) {
                matching.add(e);
            }
        }
        Matcher p = PREDICATE.matcher(m.group(4));
        int end = 0;
        while (p.find()) {
            if (p.start() != end) {
                throw new BadSelector("unsupported predicate in: " + step);
            }
            end = p.end();
            if (p.group(1) != null) {
                int pos = Integer.parseInt(p.group(1));
                matching = pos >= 1 && pos <= matching.size() ? List.of(matching.get(pos - 1)) : List.of();
            } else {
                String value = p.group(3) != null ? p.group(3) : p.group(4);
                List<Element> kept = new ArrayList<>();
                for (Element e : matching) {
                    Attr a = (Attr) attribute(e, p.group(2), namespaces);
                    if (a != null && a.getValue().equals(value)) {
                        kept.add(e);
                    }
                }
                matching = kept;
            }
        }
        if (end != m.group(4).length()) {
            throw new BadSelector("unsupported predicate in: " + step);
        }
        return matching.size() == 1 ? matching.get(0) : null;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static String namespace(Node context, String prefix, Map<String, String> namespaces) throws BadSelector {
        String ns = namespaces.get(prefix);
        if (ns == null) {
            Node n = context instanceof Document d ? d.getDocumentElement() : context;
            ns = n == null ? null : n.lookupNamespaceURI(prefix);
        }
        if (ns == null) {
            throw new BadSelector("the prefix \"" + prefix + "\" is bound to no namespace (xmlns() in the URI, or xml_ns)");
        }
        return ns;
    }

    /** The step's element name and namespace prefix, for creating the element a PUT adds; null for {@code *}. */
    static String[] name(String step) {
        Matcher m = STEP.matcher(step);
        if (!m.matches() || m.group(1).equals("*")) {
            return null;
        }
        return new String[] { m.group(2), m.group(3) };
    }
}
