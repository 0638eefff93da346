package org.siphon.auth.internal;

import java.util.List;

import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.AuthHeader;

/**
 * Kamailio's {@code $au} (user of the credentials, {@code @domain} cut), {@code $ad} (their
 * domain part, else empty) and {@code $ar} (realm): from the Authorization header of a REGISTER
 * or an HTTP request, else Proxy-Authorization; $null without Digest credentials. Stateless.
 */
final class CredentialVariables {

    private CredentialVariables() {
    }

    static List<PseudoVariableExport> exports() {
        return List.of(variable("au", "User of the request's Digest credentials (before any @)"),
                variable("ad", "Domain of the request's Digest username (after @), else empty"),
                variable("ar", "Realm of the request's Digest credentials"));
    }

    private static PseudoVariableExport variable(String name, String description) {
        return PseudoVariableExport.builder(name, AuthComponent.MODULE).description(description)
                .getter((ctx, n) -> ctx.message() instanceof SipRequest r ? value(name, r) : null).build();
    }

    private static String value(String name, SipRequest r) {
        String header = r.isMethod(SipMethods.REGISTER) || r.isHttp() ? "Authorization" : "Proxy-Authorization";
        for (SipHeader h : r.headers(header)) {
            try {
                AuthHeader a = AuthHeader.parse(h.value());
                if (!a.isDigest()) {
                    continue;
                }
                if (name.equals("ar")) {
                    return a.param("realm");
                }
                String u = a.param("username");
                if (u == null) {
                    return null;
                }
                int at = u.indexOf('@');
                return name.equals("au") ? (at < 0 ? u : u.substring(0, at)) : (at < 0 ? "" : u.substring(at + 1));
            } catch (IllegalArgumentException e) {
                // not Digest credentials we can read
            }
        }
        return null;
    }
}
