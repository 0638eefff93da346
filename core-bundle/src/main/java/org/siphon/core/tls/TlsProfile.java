package org.siphon.core.tls;

import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * One TLS profile, as a {@code [server:...]} or {@code [client:...]} section of Kamailio's
 * {@code tls.cfg} describes it: the JDK context holding its key, certificate chain and trusted
 * CAs, and the handshake rules. The core keeps the Netty context it builds for a profile as long
 * as the provider hands out the same instance: a provider that reloads certificates returns a new
 * profile, which the next handshake uses (live connections keep theirs).
 *
 * @param name            for logs and RPC, e.g. {@code server:default}
 * @param context         key managers (the certificate presented) and trust managers (whom to accept)
 * @param verifyPeer      check the peer's certificate against the trusted CAs
 * @param requirePeerCertificate a server profile refuses clients without a certificate
 * @param protocols       enabled protocol versions (e.g. {@code TLSv1.2}, {@code TLSv1.3}); empty: the JDK's defaults
 * @param ciphers         enabled cipher suites (JDK names); empty: the JDK's defaults
 * @param serverName      a client profile's SNI name; null: the host being connected to
 */
public record TlsProfile(String name, SSLContext context, boolean verifyPeer, boolean requirePeerCertificate,
        List<String> protocols, List<String> ciphers, String serverName) {

    public TlsProfile {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }
}
