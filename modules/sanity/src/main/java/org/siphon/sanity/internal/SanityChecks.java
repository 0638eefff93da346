package org.siphon.sanity.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.AuthHeader;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.header.OptionTags;
import org.siphon.core.sip.header.Via;

/**
 * Kamailio's sanity checks by bit: each returns null when the request passes, else the reply to
 * send. Most faults these look for are already answered by the core's parser before the script
 * runs; the checks stay for what the parser lets through (unknown URI schemes and transports,
 * Expires, Proxy-Require, URIs and credentials parsed on first use, duplicate tags). Bit 1 (the
 * Request-URI's SIP version) is the parser's: a request of another version never reaches the
 * script (505), so the bit is accepted and has nothing left to check.
 */
final class SanityChecks {

    /** A failed check: status, reason, and an extra header line (Unsupported) or null. */
    record Failure(int status, String reason, SipHeader extra) {
    }

    static final int RURI_SCHEME = 2;
    static final int REQUIRED_HEADERS = 4;
    static final int VIA_SIP_VERSION = 8;
    static final int VIA_PROTOCOL = 16;
    static final int CSEQ_METHOD = 32;
    static final int CSEQ_VALUE = 64;
    static final int CONTENT_LENGTH = 128;
    static final int EXPIRES_VALUE = 256;
    static final int PROXY_REQUIRE = 512;
    static final int PARSE_URIS = 1024;
    static final int DIGEST_CREDENTIALS = 2048;
    static final int DUPLICATE_TAGS = 4096;
    static final int AUTHORIZATION = 8192;
    static final int VIA1_HEADER = 16384;

    static final int URI_RURI = 1;
    static final int URI_FROM = 2;
    static final int URI_TO = 4;
    static final int URI_CONTACT = 8;

    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel", "tels");
    private static final Set<String> TRANSPORTS = Set.of("UDP", "TCP", "TLS", "SCTP", "WS", "WSS");

    private SanityChecks() {
    }

    /** The checks that look at a request line or at what only requests carry: skipped for a reply. */
    static final int REQUEST_ONLY = RURI_SCHEME | CSEQ_METHOD | PROXY_REQUIRE | DIGEST_CREDENTIALS | AUTHORIZATION;

    /**
     * Runs the checks named by the bits, lowest bit first; the first failure wins. On a reply
     * (sanity_check() in reply_route or onreply_route) the request-only checks are skipped, and
     * the Request-URI is not among the URIs parsed.
     */
    static Failure check(SipMessage r, int msgChecks, int uriChecks, Set<String> supported) {
        if (!r.isRequest()) {
            msgChecks &= ~REQUEST_ONLY;
            uriChecks &= ~URI_RURI;
        }
        for (int bit = RURI_SCHEME; bit <= VIA1_HEADER; bit <<= 1) {
            Failure f = (msgChecks & bit) == 0 ? null : check(bit, r, uriChecks, supported);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static Failure check(int bit, SipMessage r, int uriChecks, Set<String> supported) {
        return switch (bit) {
            case RURI_SCHEME -> ((SipRequest) r).requestUri() == null || SCHEMES.contains(((SipRequest) r).requestUri().scheme())
                    ? null : new Failure(416, "Unsupported URI Scheme in Request URI", null);
            case REQUIRED_HEADERS -> r.header(SipHeaderNames.TO) != null && r.header(SipHeaderNames.FROM) != null
                    && r.cseq() != null && r.callId() != null && r.topVia() != null ? null
                    : new Failure(400, "Missing Required Header in Request", null);
            case VIA_SIP_VERSION -> viaVersions(r);
            case VIA_PROTOCOL -> {
                Via top = r.topVia();
                yield top == null || TRANSPORTS.contains(top.transport().toUpperCase(Locale.ROOT)) ? null
                        : new Failure(400, "Unsupported Transport in Topmost Via", null);
            }
            case CSEQ_METHOD -> r.cseq() == null || r.cseq().method().equals(((SipRequest) r).method()) ? null
                    : new Failure(400, "CSeq method does not match request method", null);
            case CSEQ_VALUE -> r.cseq() == null || r.cseq().number() < (1L << 31) ? null
                    : new Failure(400, "CSeq number is illegal", null);
            case CONTENT_LENGTH -> {
                String cl = r.headerValue(SipHeaderNames.CONTENT_LENGTH);
                yield cl == null || r.source() != null && "udp".equals(r.source().transport())
                        || cl.trim().equals(Integer.toString(r.body().length)) ? null
                        : new Failure(400, "Content-Length mis-match", null);
            }
            case EXPIRES_VALUE -> expires(r);
            case PROXY_REQUIRE -> proxyRequire(r, supported);
            case PARSE_URIS -> uris(r, uriChecks);
            case DIGEST_CREDENTIALS -> credentials(r, List.of(SipHeaderNames.AUTHORIZATION, SipHeaderNames.PROXY_AUTHORIZATION));
            case AUTHORIZATION -> credentials(r, List.of(SipHeaderNames.AUTHORIZATION));
            case VIA1_HEADER -> r.topVia() != null && r.topVia().host() != null && !r.topVia().host().isEmpty() ? null
                    : new Failure(400, "Invalid Via1 header", null);
            case DUPLICATE_TAGS -> duplicateTag(r, SipHeaderNames.FROM) || duplicateTag(r, SipHeaderNames.TO)
                    ? new Failure(400, "Duplicated tag in From or To", null) : null;
            default -> null;
        };
    }

    private static Failure viaVersions(SipMessage r) {
        for (Via v : r.vias()) {
            if (!v.protocol().equalsIgnoreCase("SIP/2.0")) {
                return new Failure(505, "Version Not Supported (Via)", null);
            }
        }
        return null;
    }

    private static Failure expires(SipMessage r) {
        try {
            r.expires();
            return null;
        } catch (IllegalArgumentException e) {
            return new Failure(400, "Expires value is illegal", null);
        }
    }

    private static Failure proxyRequire(SipMessage r, Set<String> supported) {
        List<String> unsupported = new ArrayList<>();
        for (SipHeader h : r.headers(SipHeaderNames.PROXY_REQUIRE)) {
            try {
                for (String tag : OptionTags.parse(h.value())) {
                    if (!supported.contains(tag.toLowerCase(Locale.ROOT))) {
                        unsupported.add(tag);
                    }
                }
            } catch (IllegalArgumentException e) {
                return new Failure(400, "Bad Proxy-Require Header", null);
            }
        }
        return unsupported.isEmpty() ? null
                : new Failure(420, "Bad Extension", SipHeader.of("Unsupported", String.join(", ", unsupported)));
    }

    /**
     * The Request-URI was parsed with the request line (a malformed one is answered 400 before the
     * script runs); From, To and Contact are parsed here, on first use.
     */
    private static Failure uris(SipMessage r, int uriChecks) {
        if ((uriChecks & URI_RURI) != 0 && ((SipRequest) r).requestUri() == null) {
            return new Failure(400, "Bad Request URI", null);
        }
        try {
            if ((uriChecks & URI_FROM) != 0) {
                r.from();
            }
        } catch (IllegalArgumentException e) {
            return new Failure(400, "Bad From URI", null);
        }
        try {
            if ((uriChecks & URI_TO) != 0) {
                r.to();
            }
        } catch (IllegalArgumentException e) {
            return new Failure(400, "Bad To URI", null);
        }
        if ((uriChecks & URI_CONTACT) != 0) {
            try {
                r.contacts();
            } catch (IllegalArgumentException e) {
                return new Failure(400, "Bad Contact URI", null);
            }
        }
        return null;
    }

    private static Failure credentials(SipMessage r, List<String> headers) {
        for (String name : headers) {
            for (SipHeader h : r.headers(name)) {
                try {
                    AuthHeader a = AuthHeader.parse(h.value());
                    if (a.isDigest() && (a.param("username") == null || a.param("realm") == null
                            || a.param("nonce") == null || a.param("response") == null)) {
                        return new Failure(400, "Credentials missing", null);
                    }
                } catch (IllegalArgumentException e) {
                    return new Failure(400, "Credentials header is invalid", null);
                }
            }
        }
        return null;
    }

    private static boolean duplicateTag(SipMessage r, String header) {
        try {
            NameAddress a = header.equals(SipHeaderNames.FROM) ? r.from() : r.to();
            if (a == null) {
                return false;
            }
            int tags = 0;
            for (Map.Entry<String, String> e : a.params().entries()) {
                if (e.getKey().equalsIgnoreCase("tag") && ++tags > 1) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
