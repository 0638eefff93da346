package org.siphon.core.sip.header;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.sip.SipParseException;

/**
 * Comma-separated token lists: option tags of Supported, Require, Proxy-Require, Unsupported
 * (RFC 3261 §20.37, §20.32, §20.29), methods of Allow (§20.5), event packages of Allow-Events.
 */
public final class OptionTags {

    private OptionTags() {
    }

    /** The tokens of a list; an empty value is an empty list (Supported may be empty). */
    public static List<String> parse(String value) {
        List<String> tags = new ArrayList<>();
        if (value.isBlank()) {
            return tags;
        }
        for (String part : value.split(",", -1)) {
            String t = part.trim();
            if (!Lexer.isToken(t)) {
                throw new SipParseException("bad token \"" + t + "\" in list \"" + value + "\"");
            }
            tags.add(t);
        }
        return tags;
    }
}
