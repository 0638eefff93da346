package org.siphon.tls.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.siphon.core.tls.TlsProfile;

/**
 * Builds a {@link TlsProfile} from one section's settings (Kamailio's names: {@code method},
 * {@code certificate}, {@code private_key}, {@code ca_list}, {@code verify_certificate},
 * {@code require_certificate}, {@code crl}, {@code cipher_list}, {@code server_name}); relative paths are
 * taken from {@code base}. Reports the files it read, for reloading when they change.
 */
final class ProfileBuilder {

    /** What a built profile came from. */
    record Built(TlsProfile profile, List<Path> files, X509Certificate certificate) {
    }

    private static final List<String> ORDER = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private ProfileBuilder() {
    }

    static Built build(String name, Map<String, String> s, Path base, boolean server) throws IOException, GeneralSecurityException {
        List<Path> files = new ArrayList<>();
        KeyManagerFactory kmf = null;
        X509Certificate leaf = null;
        String certificate = s.getOrDefault("certificate", "");
        if (!server && !certificate.isEmpty() && !java.nio.file.Files.exists(resolve(base, certificate))) {
            certificate = ""; // a client profile without its (default) certificate file presents none
        }
        if (!certificate.isEmpty()) {
            Path cert = resolve(base, certificate);
            Path keyFile = resolve(base, s.getOrDefault("private_key", certificate));
            files.add(cert);
            files.add(keyFile);
            List<X509Certificate> chain = Pem.certificates(cert);
            PrivateKey key = Pem.privateKey(keyFile);
            leaf = chain.get(0);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = "siphon".toCharArray();
            ks.setKeyEntry("key", key, password, chain.toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
        } else if (server) {
            throw new GeneralSecurityException(name + ": a server profile needs a certificate and its private_key");
        }
        boolean verify = yes(s.get("verify_certificate"));
        boolean require = yes(s.get("require_certificate"));
        TrustManager[] trust;
        String caList = s.getOrDefault("ca_list", "");
        if (verify || require) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            if (!caList.isEmpty()) {
                Path ca = resolve(base, caList);
                files.add(ca);
                int i = 0;
                for (X509Certificate c : Pem.certificates(ca)) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
            } else if (!server) {
                ts = null; // a client verifying without ca_list trusts the JDK's CAs
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            String crl = s.getOrDefault("crl", "");
            if (crl.isBlank()) {
                tmf.init(ts);
            } else {
                if (ts == null) {
                    throw new GeneralSecurityException(name + ": crl needs ca_list (the CAs whose revocations it lists)");
                }
                Path crlFile = resolve(base, crl);
                files.add(crlFile);
                tmf.init(revocationChecking(ts, crlFile));
            }
            trust = tmf.getTrustManagers();
        } else {
            trust = new TrustManager[] { TRUST_ANY };
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), trust, new SecureRandom());
        List<String> ciphers = s.getOrDefault("cipher_list", "").isBlank() ? List.of()
                : Arrays.stream(s.get("cipher_list").split("[:, ]+")).filter(c -> c.startsWith("TLS_")).toList();
        String serverName = s.getOrDefault("server_name", "");
        return new Built(new TlsProfile(name, context, verify, require, protocols(s.getOrDefault("method", "TLSv1+")),
                ciphers, server || serverName.isEmpty() ? null : serverName), List.copyOf(files), leaf);
    }

    /**
     * Kamailio's {@code crl}: the peer's chain is checked against the revocation lists in
     * {@code crlFile} (PEM or DER, one or more); as OpenSSL's CRL_CHECK_ALL, a certificate of the
     * chain whose issuer has no list there is refused too. Nothing is fetched from the network.
     */
    static javax.net.ssl.CertPathTrustManagerParameters revocationChecking(KeyStore trusted, Path crlFile)
            throws IOException, GeneralSecurityException {
        java.util.Collection<? extends java.security.cert.CRL> crls;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(crlFile)) {
            crls = java.security.cert.CertificateFactory.getInstance("X.509").generateCRLs(in);
        }
        if (crls.isEmpty()) {
            throw new GeneralSecurityException(crlFile + ": no certificate revocation list in it");
        }
        java.security.cert.PKIXBuilderParameters p = new java.security.cert.PKIXBuilderParameters(trusted,
                new java.security.cert.X509CertSelector());
        p.addCertStore(java.security.cert.CertStore.getInstance("Collection",
                new java.security.cert.CollectionCertStoreParameters(crls)));
        p.setRevocationEnabled(true);
        return new javax.net.ssl.CertPathTrustManagerParameters(p);
    }

    /**
     * Kamailio's {@code tls_method}: {@code TLSv1.2} one version, {@code TLSv1.2+} that one and
     * newer, {@code SSLv23} any. Versions the JDK disables (TLSv1.0 and 1.1) are left to it: a
     * method naming only them gets TLSv1.2 and TLSv1.3.
     */
    static List<String> protocols(String method) {
        String m = method.trim();
        if (m.equalsIgnoreCase("SSLv23") || m.isEmpty()) {
            return List.of();
        }
        boolean andNewer = m.endsWith("+");
        String version = andNewer ? m.substring(0, m.length() - 1) : m;
        int i = -1;
        for (int j = 0; j < ORDER.size(); j++) {
            if (ORDER.get(j).equalsIgnoreCase(version)) {
                i = j;
            }
        }
        if (i < 0) {
            throw new IllegalArgumentException("tls_method " + method + " is not one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 "
                    + "(each optionally with +) or SSLv23");
        }
        List<String> out = new ArrayList<>(andNewer ? ORDER.subList(i, ORDER.size()) : List.of(ORDER.get(i)));
        out.removeIf(v -> v.equals("TLSv1") || v.equals("TLSv1.1"));
        return out.isEmpty() ? List.of("TLSv1.2", "TLSv1.3") : out;
    }

    static boolean yes(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "on", "true", "enable", "enabled" -> true;
            default -> false;
        };
    }

    static Path resolve(Path base, String file) {
        Path p = Path.of(file);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }

    /** verify_certificate = no: any peer certificate is accepted, as Kamailio does. */
    private static final X509TrustManager TRUST_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
