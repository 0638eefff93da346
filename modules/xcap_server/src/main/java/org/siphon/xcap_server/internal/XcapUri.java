package org.siphon.xcap_server.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An XCAP URI (RFC 4825 section 6) split into the parts Kamailio's {@code $xcapuri} shows:
 * {@code [scheme://host]ROOT/AUID/users/XUI/FILE[/~~/NODE][?xmlns(p=ns)...]} or
 * {@code ROOT/AUID/global/FILE...}. Segments are percent-decoded one by one; a segment that is
 * empty, {@code .} or {@code ..} (also written {@code %2e%2e}), or that decodes to a {@code /},
 * {@code \} or a control character, makes the URI invalid, so no path leaves its user's tree.
 * Immutable.
 *
 * @param uri     the URI as given
 * @param root    the part up to and including the XCAP root (no trailing {@code /})
 * @param auid    the application usage as written
 * @param tree    {@code users} or {@code global}
 * @param xuid    the user (XUI), empty in the global tree
 * @param file    the document's path below the user (e.g. {@code index} or {@code dir/doc.xml})
 * @param adoc    the document selector from the path's root: {@code ROOT-PATH/AUID/TREE[/XUI]/FILE}
 * @param rdoc    the document selector relative to the root: {@code AUID/TREE[/XUI]/FILE}
 * @param node    the node selector, decoded, starting with {@code /}; empty for the whole document
 * @param target  the node selector's last step ({@code @id}, {@code rule[@id="a"]}); empty without one
 * @param domain  the domain of an XUI {@code sip:user@domain} (or {@code user@domain}), else empty
 * @param uriAdoc the document's URI: the scheme and host given, if any, followed by {@code adoc}
 * @param namespaces the {@code xmlns(prefix=namespace)} bindings of the query
 */
record XcapUri(String uri, String root, String auid, String tree, String xuid, String file, String adoc, String rdoc,
        String node, String target, String domain, String uriAdoc, Map<String, String> namespaces) {

    /** The longest document selector: the {@code doc_uri} column of Kamailio's {@code xcap} table. */
    static final int MAX_DOC_URI = 255;

    private static final Pattern XMLNS = Pattern.compile("xmlns\\(\\s*([A-Za-z_][\\w.-]*)\\s*=\\s*([^)\\s]+)\\s*\\)");

    /** A URI this server refuses, with the reason (for the log and the 400's body). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
        }
    }

    /** The usage, or null when this server does not store it. */
    Auid usage() {
        return Auid.of(auid);
    }

    /** Whether a node selector is present. */
    boolean hasNode() {
        return !node.isEmpty();
    }

    /**
     * Parses {@code uri} below {@code xcapRoot} (the {@code xcap_root} parameter, e.g.
     * {@code /xcap-root/}).
     */
    static XcapUri parse(String uri, String xcapRoot) throws Invalid {
        if (uri == null || uri.isEmpty()) {
            throw new Invalid("no XCAP URI");
        }
        String rootPath = "/" + trimSlashes(xcapRoot);
        String s = uri;
        String query = "";
        int q = s.indexOf('?');
        if (q >= 0) {
            query = s.substring(q + 1);
            s = s.substring(0, q);
        }
        String hostPart = "";
        int scheme = s.indexOf("://");
        if (scheme > 0 && s.indexOf('/') > scheme) {
            int slash = s.indexOf('/', scheme + 3);
            hostPart = slash < 0 ? s : s.substring(0, slash);
            s = slash < 0 ? "/" : s.substring(slash);
        }
        if (!(s.startsWith(rootPath + "/") || rootPath.equals("/") && s.startsWith("/"))) {
            throw new Invalid("the URI is not below the XCAP root " + rootPath);
        }
        String rest = rootPath.equals("/") ? s.substring(1) : s.substring(rootPath.length() + 1);
        String docPart = rest;
        String nodePart = "";
        int nss = rest.indexOf("/~~");
        if (nss >= 0) {
            docPart = rest.substring(0, nss);
            nodePart = rest.substring(nss + 3);
        }
        List<String> segs = new ArrayList<>();
        for (String raw : docPart.split("/", -1)) {
            segs.add(segment(raw));
        }
        if (segs.size() < 3) {
            throw new Invalid("the URI names no document (ROOT/AUID/users/XUI/DOC or ROOT/AUID/global/DOC)");
        }
        String auid = segs.get(0);
        String tree = segs.get(1);
        String xuid;
        List<String> fileSegs;
        if (tree.equals("users")) {
            if (segs.size() < 4) {
                throw new Invalid("the URI names no document below the user " + segs.get(2));
            }
            xuid = segs.get(2);
            fileSegs = segs.subList(3, segs.size());
        } else if (tree.equals("global")) {
            xuid = "";
            fileSegs = segs.subList(2, segs.size());
        } else {
            throw new Invalid("the tree is \"" + tree + "\", not users or global");
        }
        String file = String.join("/", fileSegs);
        String rdoc = auid + "/" + tree + (xuid.isEmpty() ? "" : "/" + xuid) + "/" + file;
        String adoc = (rootPath.equals("/") ? "" : rootPath) + "/" + rdoc;
        if (adoc.length() > MAX_DOC_URI) {
            throw new Invalid("the document selector is longer than " + MAX_DOC_URI + " characters");
        }
        String node = "";
        String target = "";
        if (!nodePart.isEmpty() && !nodePart.equals("/")) {
            node = decode(nodePart);
            if (!node.startsWith("/")) {
                node = "/" + node;
            }
            if (node.chars().anyMatch(c -> c < 0x20)) {
                throw new Invalid("the node selector holds a control character");
            }
            List<String> steps = NodeSelector.steps(node);
            target = steps.isEmpty() ? "" : steps.get(steps.size() - 1);
        }
        String domain = "";
        int at = xuid.lastIndexOf('@');
        if (at >= 0) {
            domain = xuid.substring(at + 1);
            int semi = domain.indexOf(';');
            domain = semi >= 0 ? domain.substring(0, semi) : domain;
        }
        Map<String, String> namespaces = new LinkedHashMap<>();
        Matcher m = XMLNS.matcher(decode(query));
        while (m.find()) {
            namespaces.put(m.group(1), m.group(2));
        }
        String root = hostPart + (rootPath.equals("/") ? "" : rootPath);
        return new XcapUri(uri, root, auid, tree, xuid, file, adoc, rdoc, node, target, domain, hostPart + adoc,
                Map.copyOf(namespaces));
    }

    private static String segment(String raw) throws Invalid {
        String d = decode(raw);
        if (d.isEmpty()) {
            throw new Invalid("the URI has an empty path segment");
        }
        if (d.equals(".") || d.equals("..")) {
            throw new Invalid("the URI has a \"" + d + "\" segment (no path traversal)");
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                throw new Invalid("the URI has an encoded '/', '\\' or control character in a segment");
            }
        }
        return d;
    }

    /** Percent-decoding (UTF-8); a bad escape is kept as written. {@code +} stays {@code +} (a path). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static String trimSlashes(String s) {
        String r = s == null ? "" : s.trim();
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    /** Kamailio's {@code $xcapuri(name=>key)} keys and their values; null for an unknown key. */
    Object key(String key) {
        return switch (key) {
            case "data", "uri" -> uri;
            case "root" -> root;
            case "auid" -> auid;
            case "type" -> (long) (usage() == null ? 0 : usage().docType);
            case "tree" -> tree;
            case "xuid" -> xuid;
            case "file" -> file;
            case "adoc" -> adoc;
            case "rdoc" -> rdoc;
            case "node" -> node;
            case "target" -> target;
            case "domain" -> domain;
            case "uri_adoc" -> uriAdoc;
            default -> null;
        };
    }

    static final List<String> KEYS = List.of("data", "uri", "root", "auid", "type", "tree", "xuid", "file", "adoc",
            "rdoc", "node", "target", "domain", "uri_adoc");
}
