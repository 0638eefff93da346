package org.siphon.textops.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgi.service.component.annotations.Component;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.MediaType;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Module {@code textops}: {@code is_method}, {@code append_hf}, {@code insert_hf},
 * {@code remove_hf}, {@code remove_hf_re}, {@code is_present_hf}, {@code is_present_hf_re},
 * {@code has_body}, {@code set_body}, {@code search}, {@code search_append}, {@code replace},
 * {@code replace_all}, {@code subst} (see {@link TextRewrite}), {@code subst_uri}, {@code subst_user},
 * {@code append_to_reply}, {@code set_reply_body}. Header
 * changes go to the edit list (so {@code is_present_hf} keeps seeing the message as received, as
 * in Kamailio). Regular expressions are compiled when the script loads.
 */
@Component(immediate = true)
public class TextopsComponent implements SiphonModule {

    static final String MODULE = "textops";

    @Override
    public String name() {
        return MODULE;
    }

    private static FunctionExport.Builder f(String name, int min, int max) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(RouteType.any());
    }

    private static int truth(boolean b) {
        return b ? 1 : -1;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
            f("append_to_reply", 1, 1).description("Adds header lines (\"Name: value\\r\\n\") to the next reply the server makes for this request.")
                .routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .handler((ctx, a) -> appendToReply(ctx, String.valueOf(a[0]))).build(),
            f("set_reply_body", 2, 2).description("Sets the body and Content-Type of the next reply the server makes for this request.")
                .routes(RouteType.REQUEST, RouteType.FAILURE)
                .handler((ctx, a) -> {
                    ctx.attribute(ActionContext.REPLY_BODY, new String[] { String.valueOf(a[1]), String.valueOf(a[0]) });
                    return 1;
                }).build(),
            f("cmp_str", 2, 2).description("1 when the two strings are equal (case-sensitive).")
                .handler((ctx, a) -> truth(String.valueOf(a[0]).equals(String.valueOf(a[1])))).build(),
            f("cmp_istr", 2, 2).description("1 when the two strings are equal ignoring case.")
                .handler((ctx, a) -> truth(String.valueOf(a[0]).equalsIgnoreCase(String.valueOf(a[1])))).build(),
            f("starts_with", 2, 2).description("1 when the first string starts with the second.")
                .handler((ctx, a) -> truth(String.valueOf(a[0]).startsWith(String.valueOf(a[1])))).build(),
            f("ends_with", 2, 2).description("1 when the first string ends with the second.")
                .handler((ctx, a) -> truth(String.valueOf(a[0]).endsWith(String.valueOf(a[1])))).build(),
            f("is_method", 1, 1).fixup(a -> new Object[] { a.get(0).split("\\|") })
                .description("1 when the method (of the request, or of the reply's CSeq) is one of m1|m2|….")
                .handler((ctx, a) -> isMethod(ctx.message(), (String[]) a[0])).build(),
            f("append_hf", 1, 2).description("Adds a header line (\"Name: value\\r\\n\") after the last header.")
                .handler((ctx, a) -> add(ctx, String.valueOf(a[0]), false)).build(),
            f("insert_hf", 1, 2).description("Adds a header line before the first header.")
                .handler((ctx, a) -> add(ctx, String.valueOf(a[0]), true)).build(),
            f("remove_hf", 1, 1).description("Removes every header of that name; -1 when there was none.")
                .handler((ctx, a) -> ctx.message().edits().removeAll(String.valueOf(a[0])) > 0 ? 1 : -1).build(),
            f("remove_hf_re", 1, 1).fixup(a -> new Object[] { regex(a.get(0), true) })
                .description("Removes every header whose name matches the regular expression.")
                .handler((ctx, a) -> removeMatching(ctx, (Pattern) a[0])).build(),
            f("is_present_hf", 1, 1).description("1 when the message has a header of that name.")
                .handler((ctx, a) -> truth(ctx.message().header(String.valueOf(a[0])) != null)).build(),
            f("is_present_hf_re", 1, 1).fixup(a -> new Object[] { regex(a.get(0), true) })
                .description("1 when a header name matches the regular expression.")
                .handler((ctx, a) -> truth(ctx.message().headers().stream()
                        .anyMatch(h -> ((Pattern) a[0]).matcher(h.name()).matches()))).build(),
            f("has_body", 0, 1).description("1 when the message has a body (of that content type, if given).")
                .handler((ctx, a) -> hasBody(ctx.message(), a.length > 0 ? String.valueOf(a[0]) : null)).build(),
            f("set_body", 2, 2).description("Replaces the body and its Content-Type.")
                .handler((ctx, a) -> {
                    ctx.message().edits().setBody(String.valueOf(a[0]).getBytes(StandardCharsets.UTF_8), String.valueOf(a[1]));
                    return 1;
                }).build(),
            f("search", 1, 1).fixup(a -> new Object[] { regex(a.get(0), false) })
                .description("1 when the regular expression matches somewhere in the message as received.")
                .handler((ctx, a) -> truth(((Pattern) a[0]).matcher(new String(ctx.message().bytes(), StandardCharsets.UTF_8)).find()))
                .build(),
            f("search_append", 2, 2).fixup(a -> new Object[] { regex(a.get(0), false), a.get(1) })
                .description("Adds the text after the first match (a header line or the body); -1 when nothing matched.")
                .handler((ctx, a) -> TextRewrite.rewrite(ctx.message(), (Pattern) a[0],
                        "$0" + Matcher.quoteReplacement(String.valueOf(a[1])), false)).build(),
            f("replace", 2, 2).fixup(a -> new Object[] { regex(a.get(0), false), a.get(1) })
                .description("Replaces the first match with the text; -1 when nothing matched.")
                .handler((ctx, a) -> TextRewrite.rewrite(ctx.message(), (Pattern) a[0],
                        Matcher.quoteReplacement(String.valueOf(a[1])), false)).build(),
            f("replace_all", 2, 2).fixup(a -> new Object[] { regex(a.get(0), false), a.get(1) })
                .description("Replaces every match with the text; -1 when nothing matched.")
                .handler((ctx, a) -> TextRewrite.rewrite(ctx.message(), (Pattern) a[0],
                        Matcher.quoteReplacement(String.valueOf(a[1])), true)).build(),
            f("subst", 1, 1).fixup(a -> new Object[] { Subst.parse(a.get(0)) })
                .description("sed-like /regex/replacement/flags (i, g) on the header lines and the body; -1 when nothing matched.")
                .handler((ctx, a) -> {
                    Subst s = (Subst) a[0];
                    return TextRewrite.rewrite(ctx.message(), s.pattern(), s.replacement(), s.global());
                }).build(),
            FunctionExport.builder("subst_uri", MODULE).args(1).routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .fixup(a -> new Object[] { Subst.parse(a.get(0)) })
                .description("Rewrites the Request-URI with /regex/replacement/flags; -1 when nothing matched.")
                .handler((ctx, a) -> substUri(ctx, (Subst) a[0], false)).build(),
            FunctionExport.builder("subst_user", MODULE).args(1).routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .fixup(a -> new Object[] { Subst.parse(a.get(0)) })
                .description("Rewrites the Request-URI's user with /regex/replacement/flags; -1 when nothing matched.")
                .handler((ctx, a) -> substUri(ctx, (Subst) a[0], true)).build());
    }

    private static int isMethod(SipMessage m, String[] methods) {
        String method = m instanceof SipRequest r ? r.method() : m.cseq() == null ? null : m.cseq().method();
        for (String want : methods) {
            if (want.trim().equalsIgnoreCase(method)) {
                return 1;
            }
        }
        return -1;
    }

    /** {@code "Name: value\r\n"} (the CRLF optional) becomes one header. */
    @SuppressWarnings("unchecked")
    private static int appendToReply(ActionContext ctx, String lines) {
        java.util.List<SipHeader> l = ctx.attribute(ActionContext.REPLY_HEADERS) instanceof java.util.List<?> old
                ? (java.util.List<SipHeader>) old : new java.util.ArrayList<>();
        for (String line : lines.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            l.add(SipHeader.of(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        ctx.attribute(ActionContext.REPLY_HEADERS, l);
        return l.isEmpty() ? -1 : 1;
    }

    private static int add(ActionContext ctx, String line, boolean first) {
        String l = line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        int colon = l.indexOf(':');
        if (colon <= 0 || l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
            return -1;
        }
        if (first) {
            ctx.message().edits().insertFirst(l.substring(0, colon), l.substring(colon + 1));
        } else {
            ctx.message().edits().append(l.substring(0, colon), l.substring(colon + 1));
        }
        return 1;
    }

    private static int removeMatching(ActionContext ctx, Pattern p) {
        int n = 0;
        for (SipHeader h : ctx.message().headers()) {
            if (p.matcher(h.name()).matches()) {
                ctx.message().edits().remove(h);
                n++;
            }
        }
        return n > 0 ? 1 : -1;
    }

    private static int hasBody(SipMessage m, String type) {
        if (m.body().length == 0) {
            return -1;
        }
        if (type == null) {
            return 1;
        }
        try {
            MediaType t = m.contentType();
            return truth(t != null && t.essence().equalsIgnoreCase(type.trim()));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static int substUri(ActionContext ctx, Subst s, boolean userOnly) {
        Uri u = ctx.message().edits().requestUri();
        if (userOnly) {
            if (!(u instanceof SipUri su)) {
                return -1;
            }
            String user = su.user() == null ? "" : su.user();
            String next = s.apply(user);
            if (next == null) {
                return -1;
            }
            ctx.message().edits().setRequestUri(su.withUser(next));
            return 1;
        }
        String next = s.apply(String.valueOf(u));
        if (next == null) {
            return -1;
        }
        try {
            ctx.message().edits().setRequestUri(UriParser.parse(next));
            return 1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    static Pattern regex(String text, boolean caseInsensitive) {
        try {
            return Pattern.compile(text, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression: " + e.getDescription());
        }
    }
}
