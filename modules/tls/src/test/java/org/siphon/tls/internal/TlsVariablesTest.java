package org.siphon.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate parts of {@code $tls_*}: subjectAltNames, self-signed, PEM, on certificates openssl makes. */
class TlsVariablesTest {

    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    @Test
    void subjectAltNamesSelfSignedAndPem() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=ca",
                "-days", "2");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem", "-subj",
                "/CN=self", "-days", "2", "-addext",
                "subjectAltName=DNS:sip.example.com,DNS:other.example.com,email:ops@example.com,URI:sip:proxy@example.com,IP:192.0.2.7");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=ca");
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "leaf.pem", "-days", "2");
        X509Certificate self = Pem.certificates(dir.resolve("self.pem")).get(0);
        X509Certificate leaf = Pem.certificates(dir.resolve("leaf.pem")).get(0);
        assertEquals("sip.example.com", TlsVariables.subjectAltName(self, 2), "the first DNS name");
        assertEquals("ops@example.com", TlsVariables.subjectAltName(self, 1));
        assertEquals("sip:proxy@example.com", TlsVariables.subjectAltName(self, 6));
        assertEquals("192.0.2.7", TlsVariables.subjectAltName(self, 7));
        assertNull(TlsVariables.subjectAltName(leaf, 2), "no subjectAltName");
        assertTrue(TlsVariables.selfSigned(self));
        assertFalse(TlsVariables.selfSigned(leaf), "subject CN=ca as its issuer's, but signed by the CA's key");
        assertEquals(Files.readString(dir.resolve("self.pem")).replace("\r", ""), TlsVariables.pem(self),
                "PEM as openssl writes it");
    }
}
