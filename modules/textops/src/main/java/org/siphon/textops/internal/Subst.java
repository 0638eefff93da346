package org.siphon.textops.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sed-like substitution {@code /regex/replacement/flags} as Kamailio writes them: any separator,
 * {@code \1}…{@code \9} for groups, flags {@code i} (ignore case) and {@code g} (every match).
 */
record Subst(Pattern pattern, String replacement, boolean global) {

    static Subst parse(String expr) {
        if (expr.length() < 4) {
            throw new IllegalArgumentException("expected /regex/replacement/flags, not \"" + expr + "\"");
        }
        char sep = expr.charAt(0);
        String[] parts = expr.substring(1).split(Pattern.quote(String.valueOf(sep)), -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("expected /regex/replacement/flags, not \"" + expr + "\"");
        }
        String flags = parts.length > 2 ? parts[2] : "";
        Pattern p = TextopsComponent.regex(parts[0], flags.contains("i"));
        String replacement = Matcher.quoteReplacement(parts[1]).replaceAll("\\\\\\\\(\\d)", "\\$$1");
        return new Subst(p, replacement, flags.contains("g"));
    }

    /** The text with the substitution applied, or null when the expression does not match. */
    String apply(String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        m.reset();
        return global ? m.replaceAll(replacement) : m.replaceFirst(replacement);
    }
}
