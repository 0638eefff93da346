package org.siphon.presence.xml.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A presentity's pres-rules document (RFC 5025 over common-policy, RFC 4745; also OMA's
 * {@code org.openmobilealliance.pres-rules}) and its answer for one watcher. A rule applies when
 * each of its conditions holds: {@code <identity>} ({@code <one id>}, {@code <many [domain]>} with
 * {@code <except id|domain>}; OMA's {@code <other-identity/>} for watchers no other rule's identity
 * names), {@code <validity>} ({@code <from>}/{@code <until>} pairs), {@code <sphere>} (accepted,
 * always true: no sphere is published to compare it with); a condition this class does not know
 * makes its rule not apply (RFC 4745 section 10). Of the rules that apply, the highest
 * {@code <sub-handling>} wins (block &lt; confirm &lt; polite-block &lt; allow, RFC 4745 section
 * 10.2). Immutable, thread-safe.
 */
final class PresRules {

    static final String COMMON_POLICY = "urn:ietf:params:xml:ns:common-policy";

    /** sub-handling values in RFC 5025's order; -1: none said. */
    static final int BLOCK = 0;
    static final int CONFIRM = 1;
    static final int POLITE_BLOCK = 2;
    static final int ALLOW = 3;

    private record Rule(String id, Element conditions, int subHandling) {
    }

    private final List<Rule> rules;

    private PresRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** Parses a document (safely, {@link Xml}); a document that is no ruleset has no rules. */
    static PresRules parse(byte[] doc) throws Xml.BadXml {
        Document d = Xml.parse(doc);
        Element root = d.getDocumentElement();
        List<Rule> rules = new ArrayList<>();
        if (root != null && "ruleset".equals(root.getLocalName())) {
            for (Element r : children(root, "rule")) {
                Element actions = child(r, "actions");
                Element sh = actions == null ? null : child(actions, "sub-handling");
                rules.add(new Rule(r.getAttribute("id"), child(r, "conditions"), sh == null ? -1
                        : subHandling(sh.getTextContent())));
            }
        }
        return new PresRules(List.copyOf(rules));
    }

    static int subHandling(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "block" -> BLOCK;
            case "confirm" -> CONFIRM;
            case "polite-block" -> POLITE_BLOCK;
            case "allow" -> ALLOW;
            default -> -1;
        };
    }

    /**
     * The sub-handling for {@code watcherUri} ({@code sip:user@domain}) at {@code now}: the highest
     * of the rules that apply and say one, or -1 when none does.
     */
    int subHandling(String watcherUri, OffsetDateTime now) {
        int best = -1;
        for (Rule r : rules) {
            if (r.subHandling() > best && applies(r, watcherUri, now)) {
                best = r.subHandling();
            }
        }
        return best;
    }

    int size() {
        return rules.size();
    }

    private boolean applies(Rule r, String watcher, OffsetDateTime now) {
        if (r.conditions() == null) {
            return true;
        }
        for (Node n = r.conditions().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && !holds(c, watcher, now)) {
                return false;
            }
        }
        return true;
    }

    private boolean holds(Element c, String watcher, OffsetDateTime now) {
        return switch (c.getLocalName()) {
            case "identity" -> identity(c, watcher);
            case "validity" -> validity(c, now);
            case "sphere" -> true;
            case "other-identity" -> !namedByAnyRule(watcher, now);
            default -> false;
        };
    }

    /** OMA other-identity: no rule's identity condition names the watcher. */
    private boolean namedByAnyRule(String watcher, OffsetDateTime now) {
        for (Rule r : rules) {
            if (r.conditions() == null) {
                continue;
            }
            for (Element id : children(r.conditions(), "identity")) {
                if (identity(id, watcher)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean identity(Element identity, String watcher) {
        String w = watcher.toLowerCase(Locale.ROOT);
        String domain = w.substring(w.indexOf('@') + 1);
        for (Node n = identity.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if ("one".equals(e.getLocalName()) && sameUri(e.getAttribute("id"), w)) {
                return true;
            }
            if ("many".equals(e.getLocalName())) {
                String d = e.getAttribute("domain").trim().toLowerCase(Locale.ROOT);
                if (!d.isEmpty() && !d.equals(domain)) {
                    continue;
                }
                boolean excepted = false;
                for (Element x : children(e, "except")) {
                    String xd = x.getAttribute("domain").trim().toLowerCase(Locale.ROOT);
                    if ((!xd.isEmpty() && xd.equals(domain)) || sameUri(x.getAttribute("id"), w)) {
                        excepted = true;
                    }
                }
                if (!excepted) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An id as written in a rule (with or without {@code sip:}) against the watcher's lower-case URI. */
    private static boolean sameUri(String id, String watcher) {
        String i = id.trim().toLowerCase(Locale.ROOT);
        if (i.isEmpty()) {
            return false;
        }
        if (!i.startsWith("sip:") && !i.startsWith("sips:") && !i.startsWith("pres:") && !i.startsWith("tel:")) {
            i = "sip:" + i;
        }
        if (i.startsWith("sips:")) {
            i = "sip:" + i.substring(5);
        } else if (i.startsWith("pres:")) {
            i = "sip:" + i.substring(5);
        }
        return i.equals(watcher);
    }

    private static boolean validity(Element v, OffsetDateTime now) {
        List<Element> from = children(v, "from");
        List<Element> until = children(v, "until");
        for (int i = 0; i < Math.min(from.size(), until.size()); i++) {
            try {
                OffsetDateTime f = OffsetDateTime.parse(from.get(i).getTextContent().trim());
                OffsetDateTime u = OffsetDateTime.parse(until.get(i).getTextContent().trim());
                if (!now.isBefore(f) && now.isBefore(u)) {
                    return true;
                }
            } catch (DateTimeParseException e) {
                // a period that does not parse grants nothing
            }
        }
        return false;
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }
}
