package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;

/**
 * textopsx's {@code remove_hf_value(hf_par)}: removes one value of a comma-separated header
 * (or every value), or one parameter of it. {@code hf_par} is {@code NAME}, {@code NAME[IDX]}
 * or {@code NAME[IDX].PARAM}; IDX counts the values of every field of that name from 1,
 * negative from the last, {@code *} for all. The changes go to the edit list (a field left
 * empty is removed). Parsed when the script loads; stateless.
 */
final class HeaderValues {

    /** A parsed {@code hf_par}; {@code index} 0 means every value. */
    record Spec(String name, int index, String param) {
    }

    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9!%*_+`'~.-]+?)(?:\\[(\\*|-?\\d+)])?(?:\\.([A-Za-z0-9_.-]+))?");

    private HeaderValues() {
    }

    static Spec parse(String text) {
        Matcher m = SPEC.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected NAME, NAME[IDX] or NAME[IDX].PARAM, not \"" + text + "\"");
        }
        int index = m.group(2) == null || m.group(2).equals("*") ? 0 : Integer.parseInt(m.group(2));
        if (m.group(2) != null && !m.group(2).equals("*") && index == 0) {
            throw new IllegalArgumentException("header value indexes start at 1 (or -1 from the last)");
        }
        return new Spec(SipHeaderNames.canonical(m.group(1)), index, m.group(3));
    }

    /** One value of one field. */
    private record Value(SipHeader field, int position) {
    }

    /** @return 1 when something was removed, -1 otherwise */
    static long remove(SipMessage m, Spec spec) {
        List<SipHeader> fields = m.headers(spec.name());
        List<List<String>> values = new ArrayList<>();
        List<Value> all = new ArrayList<>();
        for (SipHeader f : fields) {
            List<String> parts;
            try {
                parts = new ArrayList<>(HeaderText.splitCommas(f.value()));
            } catch (IllegalArgumentException e) {
                parts = new ArrayList<>(List.of(f.value().trim()));
            }
            values.add(parts);
            for (int i = 0; i < parts.size(); i++) {
                all.add(new Value(f, i));
            }
        }
        List<Value> targets;
        if (spec.index() == 0) {
            targets = all;
        } else {
            int i = spec.index() > 0 ? spec.index() - 1 : all.size() + spec.index();
            if (i < 0 || i >= all.size()) {
                return -1;
            }
            targets = List.of(all.get(i));
        }
        boolean changed = false;
        for (Value v : targets) {
            List<String> parts = values.get(fields.indexOf(v.field()));
            String before = parts.get(v.position());
            String after = spec.param() == null ? null : withoutParam(before, spec.param());
            if (spec.param() == null || !after.equals(before)) {
                parts.set(v.position(), after);
                changed = true;
            }
        }
        if (!changed) {
            return -1;
        }
        for (int i = 0; i < fields.size(); i++) {
            List<String> left = values.get(i).stream().filter(s -> s != null).toList();
            if (left.size() == values.get(i).size() && spec.param() == null) {
                continue;
            }
            if (left.isEmpty()) {
                m.edits().remove(fields.get(i));
            } else {
                m.edits().replace(fields.get(i), String.join(", ", left));
            }
        }
        return 1;
    }

    /**
     * The value without {@code ;param[=...]} among its header parameters: for an address (From,
     * To, Contact, Route, ...) through the core's {@link NameAddress} parser, so a URI parameter
     * inside {@code <...>} is never touched; for another value ({@code token;params}) the first
     * parameter of that name after the token.
     */
    private static String withoutParam(String value, String param) {
        try {
            NameAddress address = NameAddress.parse(value);
            if (!address.isWildcard()) {
                return address.params().has(param) ? address.withParams(address.params().without(param)).toString() : value;
            }
        } catch (IllegalArgumentException e) {
            // not an address: a token with parameters
        }
        Pattern p = Pattern.compile(";\\s*" + Pattern.quote(param.toLowerCase(Locale.ROOT))
                + "\\s*(=\\s*(\"[^\"]*\"|[^;]*))?", Pattern.CASE_INSENSITIVE);
        return p.matcher(value).replaceFirst("").trim();
    }
}
