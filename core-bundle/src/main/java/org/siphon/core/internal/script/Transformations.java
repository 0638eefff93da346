package org.siphon.core.internal.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Kamailio's transformations, written after a pseudo-variable as {@code $(name{class.op,params})}
 * and chained: {@code s.*} (len, int, md5, sha256, tolower, toupper, substr, select, count,
 * strip, striptail, trim, encode.hexa, decode.hexa), {@code uri.*} (user, host, port, passwd,
 * params, param, transport, scheme), {@code param.*} (value, name, count), {@code nameaddr.*}
 * (name, uri, len), {@code tobody.*} (uri, display, tag, user, host, params), {@code line.*} (count,
 * at, sw) and {@code re.subst,/re/repl/flags}. Parameters may be
 * pseudo-variables, evaluated per use. A transformation of a value it cannot apply to gives null.
 */
final class Transformations {

    private Transformations() {
    }

    /** One compiled transformation. */
    @FunctionalInterface
    interface Tr {
        Object apply(ScriptRun r, Object v) throws Exception;
    }

    /** Splits {@code {a}{b,c}} into the texts {@code a} and {@code b,c}. */
    static List<String> split(String chain) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < chain.length()) {
            if (chain.charAt(i) != '{') {
                throw new IllegalArgumentException("expected '{' in transformations \"" + chain + "\"");
            }
            int depth = 0;
            int start = i + 1;
            for (; i < chain.length(); i++) {
                char c = chain.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            if (i >= chain.length()) {
                throw new IllegalArgumentException("unclosed '{' in transformations \"" + chain + "\"");
            }
            out.add(chain.substring(start, i));
            i++;
        }
        return out;
    }

    /** Compiles one {@code class.op[,params]}; {@code binder} compiles parameters holding {@code $}. */
    static Tr compile(String spec, Function<String, Expr> binder) {
        if (spec.trim().toLowerCase(Locale.ROOT).startsWith("re.subst,")) {
            return reSubst(spec.substring(spec.indexOf(',') + 1));
        }
        List<String> parts = params(spec);
        String op = parts.get(0).trim().toLowerCase(Locale.ROOT);
        List<Expr> args = new ArrayList<>();
        for (String p : parts.subList(1, parts.size())) {
            args.add(p.indexOf('$') >= 0 ? binder.apply(p) : r -> p);
        }
        return switch (op) {
            case "s.len" -> (r, v) -> (long) text(v).length();
            case "s.int" -> (r, v) -> Values.toLong(v);
            case "s.md5" -> (r, v) -> digest("MD5", text(v));
            case "s.sha256" -> (r, v) -> digest("SHA-256", text(v));
            case "s.tolower" -> (r, v) -> text(v).toLowerCase(Locale.ROOT);
            case "s.toupper" -> (r, v) -> text(v).toUpperCase(Locale.ROOT);
            case "s.trim" -> (r, v) -> text(v).trim();
            case "s.encode.hexa" -> (r, v) -> HexFormat.of().formatHex(text(v).getBytes(StandardCharsets.UTF_8));
            case "s.decode.hexa" -> (r, v) -> new String(HexFormat.of().parseHex(text(v)), StandardCharsets.UTF_8);
            case "s.substr" -> need(op, args, 2, (r, v) -> substr(text(v), num(args.get(0), r), num(args.get(1), r)));
            case "s.strip" -> need(op, args, 1, (r, v) -> { String t = text(v); int n = (int) num(args.get(0), r);
                return n >= t.length() ? "" : t.substring(Math.max(0, n)); });
            case "s.striptail" -> need(op, args, 1, (r, v) -> { String t = text(v); int n = (int) num(args.get(0), r);
                return n >= t.length() ? "" : t.substring(0, t.length() - Math.max(0, n)); });
            case "s.select" -> need(op, args, 2, (r, v) -> select(text(v), (int) num(args.get(0), r), sep(args.get(1), r)));
            case "s.count" -> need(op, args, 1, (r, v) -> { char c = sep(args.get(0), r); return text(v).chars().filter(x -> x == c).count(); });
            case "uri.user", "uri.host", "uri.port", "uri.passwd", "uri.params", "uri.transport", "uri.scheme" ->
                (r, v) -> uriPart(op, v);
            case "uri.param" -> need(op, args, 1, (r, v) -> uri(v) instanceof SipUri u ? u.params().get(text(args.get(0).eval(r))) : null);
            case "param.value" -> need(op, args, 1, (r, v) -> param(text(v), text(args.get(0).eval(r)), sep(args, 1, r), false));
            case "param.name" -> need(op, args, 1, (r, v) -> param(text(v), text(args.get(0).eval(r)), sep(args, 1, r), true));
            case "param.count" -> (r, v) -> (long) paramList(text(v), sep(args, 0, r)).size();
            case "nameaddr.name", "tobody.display" -> (r, v) -> addr(v) == null ? null : addr(v).displayName();
            case "nameaddr.uri", "tobody.uri" -> (r, v) -> addr(v) == null ? null : String.valueOf(addr(v).uri());
            case "nameaddr.len" -> (r, v) -> (long) text(v).length();
            case "tobody.tag" -> (r, v) -> addr(v) == null ? null : addr(v).tag();
            case "tobody.user" -> (r, v) -> addr(v) != null && addr(v).uri() instanceof SipUri u ? u.user() : null;
            case "tobody.host" -> (r, v) -> addr(v) != null && addr(v).uri() instanceof SipUri u ? u.host() : null;
            case "tobody.params" -> (r, v) -> addr(v) == null ? null : addr(v).params().toString();
            case "line.count" -> (r, v) -> (long) lines(text(v)).size();
            case "line.at" -> need(op, args, 1, (r, v) -> { List<String> l = lines(text(v)); int i = (int) num(args.get(0), r);
                int k = i < 0 ? l.size() + i : i; return k >= 0 && k < l.size() ? l.get(k) : null; });
            case "line.sw" -> need(op, args, 1, (r, v) -> { String prefix = text(args.get(0).eval(r));
                return lines(text(v)).stream().filter(x -> x.startsWith(prefix)).findFirst().orElse(null); });
            default -> throw new IllegalArgumentException("unknown transformation {" + spec + "}");
        };
    }

    /** {@code re.subst,/regex/replacement/flags}: {@code \\1} refers to a group; flag {@code g} replaces all, {@code i} ignores case. */
    private static Tr reSubst(String expr) {
        if (expr.length() < 4) {
            throw new IllegalArgumentException("{re.subst} needs /regex/replacement/flags");
        }
        char sep = expr.charAt(0);
        String[] parts = expr.substring(1).split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("{re.subst} needs /regex/replacement/flags");
        }
        String flags = parts.length > 2 ? parts[2] : "";
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(parts[0],
                flags.contains("i") ? java.util.regex.Pattern.CASE_INSENSITIVE : 0);
        String replacement = parts[1].replace("$", "\\$").replaceAll("\\\\(\\d)", "\\$$1");
        boolean all = flags.contains("g");
        return (r, v) -> {
            java.util.regex.Matcher m = p.matcher(text(v));
            return all ? m.replaceAll(replacement) : m.replaceFirst(replacement);
        };
    }

    private static List<String> lines(String t) {
        List<String> out = new ArrayList<>(List.of(t.split("\r?\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static Tr need(String op, List<Expr> args, int n, Tr tr) {
        if (args.size() < n) {
            throw new IllegalArgumentException("{" + op + "} needs " + n + " parameter" + (n == 1 ? "" : "s"));
        }
        return tr;
    }

    /** Splits {@code op,a,b} at commas; an empty parameter is kept (so {@code s.select,1,,} has separator ','). */
    private static List<String> params(String spec) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < spec.length(); i++) {
            if (spec.charAt(i) == ',') {
                String p = spec.substring(start, i);
                if (p.isEmpty() && i + 1 < spec.length() && spec.charAt(i + 1) == ',') {
                    out.add(",");
                    i++;
                    start = i + 1;
                    continue;
                }
                out.add(p);
                start = i + 1;
            }
        }
        out.add(spec.substring(start));
        if (spec.endsWith(",,")) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String text(Object v) {
        return v == null ? "" : Values.toText(v);
    }

    private static long num(Expr e, ScriptRun r) throws Exception {
        return Values.toLong(e.eval(r));
    }

    private static char sep(Expr e, ScriptRun r) throws Exception {
        String s = text(e.eval(r));
        return s.isEmpty() ? ',' : s.charAt(0);
    }

    private static char sep(List<Expr> args, int index, ScriptRun r) throws Exception {
        return index < args.size() ? sep(args.get(index), r) : ';';
    }

    private static Object substr(String t, long offset, long length) {
        int from = (int) (offset < 0 ? Math.max(0, t.length() + offset) : Math.min(offset, t.length()));
        int to = length <= 0 ? t.length() + (int) length : (int) Math.min(t.length(), from + length);
        return from >= to ? "" : t.substring(from, to);
    }

    /** Kamailio's s.select: the index-th field, negative counting from the end. */
    private static Object select(String t, int index, char sep) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= t.length(); i++) {
            if (i == t.length() || t.charAt(i) == sep) {
                fields.add(t.substring(start, i));
                start = i + 1;
            }
        }
        int i = index < 0 ? fields.size() + index : index;
        return i < 0 || i >= fields.size() ? null : fields.get(i);
    }

    private static Uri uri(Object v) {
        try {
            return v == null ? null : UriParser.parse(text(v).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object uriPart(String op, Object v) {
        Uri u = uri(v);
        if (op.equals("uri.scheme")) {
            return u == null ? null : u.scheme();
        }
        if (!(u instanceof SipUri s)) {
            return null;
        }
        return switch (op) {
            case "uri.user" -> s.user();
            case "uri.host" -> s.host();
            case "uri.port" -> s.port() < 0 ? "" : Integer.toString(s.port());
            case "uri.passwd" -> s.password();
            case "uri.params" -> s.params().toString().isEmpty() ? "" : s.params().toString().substring(1);
            default -> s.transport();
        };
    }

    private static List<String[]> paramList(String t, char sep) {
        List<String[]> out = new ArrayList<>();
        for (String part : t.split(java.util.regex.Pattern.quote(String.valueOf(sep)))) {
            String p = part.trim();
            if (!p.isEmpty()) {
                int eq = p.indexOf('=');
                out.add(new String[] { eq < 0 ? p : p.substring(0, eq).trim(), eq < 0 ? "" : p.substring(eq + 1).trim() });
            }
        }
        return out;
    }

    /** param.value,name: the value of that parameter; param.name,n: the name of the n-th. */
    private static Object param(String t, String key, char sep, boolean byIndex) {
        List<String[]> list = paramList(t, sep);
        if (byIndex) {
            int i = (int) Values.toLong(key);
            return i >= 0 && i < list.size() ? list.get(i)[0] : null;
        }
        for (String[] p : list) {
            if (p[0].equalsIgnoreCase(key)) {
                return p[1];
            }
        }
        return null;
    }

    private static NameAddress addr(Object v) {
        try {
            return v == null ? null : NameAddress.parse(HeaderText.splitCommas(text(v)).get(0));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object digest(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
