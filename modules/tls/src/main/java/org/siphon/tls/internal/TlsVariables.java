package org.siphon.tls.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.pv.PseudoVariableExport;

/**
 * Kamailio's {@code $tls_*} pseudo-variables for a message that came over TLS: the session's
 * protocol and cipher, the peer's and Siphon's certificates (subject, issuer, their CN and O,
 * serial, validity), whether the peer presented a certificate the profile verified, the SNI name.
 * {@code $null} for a message that did not come over TLS.
 */
final class TlsVariables {

    private final Supplier<SipCore> core;

    TlsVariables(Supplier<SipCore> core) {
        this.core = core;
    }

    SSLSession session(ActionContext ctx) {
        SipCore c = core.get();
        return c == null || ctx.message() == null ? null : c.tlsSession(ctx.message());
    }

    static X509Certificate peer(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static X509Certificate mine(SSLSession s) {
        Certificate[] chain = s.getLocalCertificates();
        return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    }

    /** The first value of attribute {@code type} (CN, O, OU …) of an X.500 name, or null. */
    static String attribute(String dn, String type) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    List<PseudoVariableExport> exports() {
        List<PseudoVariableExport> out = new ArrayList<>();
        session("tls_version", "The TLS protocol version (e.g. TLSv1.3)", SSLSession::getProtocol, out);
        session("tls_description", "Protocol and cipher suite", s -> s.getProtocol() + " " + s.getCipherSuite(), out);
        session("tls_cipher_info", "The cipher suite", SSLSession::getCipherSuite, out);
        session("tls_peer_server_name", "The SNI name the client asked for", s -> s instanceof ExtendedSSLSession e
                ? e.getRequestedServerNames().stream().filter(n -> n instanceof SNIHostName).map(n -> ((SNIHostName) n)
                .getAsciiName()).findFirst().orElse(null) : null, out);
        session("tls_peer_verified", "1 when the peer presented a certificate the profile checked, else 0",
                s -> peer(s) != null ? 1L : 0L, out);
        for (String side : List.of("peer", "my")) {
            Function<SSLSession, X509Certificate> cert = side.equals("peer") ? TlsVariables::peer : TlsVariables::mine;
            certificate("tls_" + side + "_subject", side + " certificate's subject", cert, c -> c.getSubjectX500Principal().getName(), out);
            certificate("tls_" + side + "_issuer", side + " certificate's issuer", cert, c -> c.getIssuerX500Principal().getName(), out);
            certificate("tls_" + side + "_subject_cn", side + " certificate's subject CN", cert,
                    c -> attribute(c.getSubjectX500Principal().getName(), "CN"), out);
            certificate("tls_" + side + "_issuer_cn", side + " certificate's issuer CN", cert,
                    c -> attribute(c.getIssuerX500Principal().getName(), "CN"), out);
            certificate("tls_" + side + "_subject_o", side + " certificate's subject O", cert,
                    c -> attribute(c.getSubjectX500Principal().getName(), "O"), out);
            certificate("tls_" + side + "_serial", side + " certificate's serial number", cert,
                    c -> c.getSerialNumber().toString(), out);
            certificate("tls_" + side + "_notBefore", side + " certificate valid from", cert,
                    c -> c.getNotBefore().toInstant().toString(), out);
            certificate("tls_" + side + "_notAfter", side + " certificate valid until", cert,
                    c -> c.getNotAfter().toInstant().toString(), out);
            certificate("tls_" + side + "_raw_cert", side + " certificate in PEM", cert, TlsVariables::pem, out);
            for (String[] san : SANS) {
                int type = Integer.parseInt(san[1]);
                certificate("tls_" + side + "_san_" + san[0], side + " certificate's first subjectAltName " + san[0], cert,
                        c -> subjectAltName(c, type), out);
            }
        }
        certificate("tls_peer_expired", "1 when the peer's certificate is past its notAfter, else 0", TlsVariables::peer,
                c -> c.getNotAfter().getTime() < System.currentTimeMillis() ? 1L : 0L, out);
        certificate("tls_peer_selfsigned", "1 when the peer's certificate is self-signed, else 0", TlsVariables::peer,
                c -> selfSigned(c) ? 1L : 0L, out);
        // a revoked certificate never completes a handshake whose profile checks a crl; without one nothing is known
        certificate("tls_peer_revoked", "0: a revoked peer certificate is refused at the handshake (crl)", TlsVariables::peer,
                c -> 0L, out);
        return out;
    }

    /** Kamailio's {@code san_*} names and their GeneralName tags (RFC 5280). */
    private static final String[][] SANS = { {"email", "1"}, {"hostname", "2"}, {"uri", "6"}, {"ip", "7"} };

    /** The first subjectAltName of {@code type} (1 email, 2 DNS name, 6 URI, 7 IP address), or null. */
    static String subjectAltName(X509Certificate c, int type) {
        try {
            java.util.Collection<List<?>> names = c.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() > 1 && n.get(0) instanceof Integer t && t == type && n.get(1) instanceof String v) {
                        return v;
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return null;
        }
        return null;
    }

    /** Issued by itself: subject equals issuer and its own key verifies its signature. */
    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificate as OpenSSL's PEM_write_X509 writes it (64-character lines). */
    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            return null;
        }
    }

    private void session(String name, String description, Function<SSLSession, Object> value, List<PseudoVariableExport> out) {
        out.add(PseudoVariableExport.builder(name, TlsComponent.MODULE).description(description)
                .getter((ctx, n) -> {
                    SSLSession s = session(ctx);
                    return s == null ? null : value.apply(s);
                }).build());
    }

    private void certificate(String name, String description, Function<SSLSession, X509Certificate> which,
            Function<X509Certificate, Object> value, List<PseudoVariableExport> out) {
        session(name, "The " + description, s -> {
            X509Certificate c = which.apply(s);
            return c == null ? null : value.apply(c);
        }, out);
    }
}
