package org.siphon.tls.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class TlsConfigFileTest {

    @Test
    void sectionsAndSettingsAsKamailioWritesThem() {
        TlsConfigFile f = TlsConfigFile.parse(List.of("# comment", "[server:default]", "method = TLSv1.2+",
                "certificate = /etc/kamailio/cert.pem  # trailing comment", "", "[client:[::1]:5061]",
                "verify_certificate = yes"), "tls.cfg");
        assertEquals(2, f.sections().size());
        assertEquals("server:default", f.sections().get(0).name());
        assertEquals("/etc/kamailio/cert.pem", f.sections().get(0).settings().get("certificate"));
        assertEquals("client:[::1]:5061", f.sections().get(1).name());
    }

    @Test
    void mistakesAreRefusedWithFileAndLine() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TlsConfigFile.parse(List.of("[server:default]", "certificat = x"), "tls.cfg"));
        assertTrue(unknown.getMessage().startsWith("tls.cfg:2: unknown key certificat"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfigFile.parse(List.of("certificate = x"), "tls.cfg"));
        assertThrows(IllegalArgumentException.class, () -> TlsConfigFile.parse(List.of("[proxy:default]"), "tls.cfg"));
        assertThrows(IllegalArgumentException.class, () -> TlsConfigFile.parse(List.of("[server:default"), "tls.cfg"));
        assertThrows(IllegalArgumentException.class, () -> TlsConfigFile.parse(List.of("[server:default]", "junk"), "tls.cfg"));
    }

    @Test
    void methodsMapToTheVersionsTheJdkAllows() {
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), ProfileBuilder.protocols("TLSv1.2+"));
        assertEquals(List.of("TLSv1.3"), ProfileBuilder.protocols("TLSv1.3"));
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), ProfileBuilder.protocols("TLSv1"), "Kamailio's default, which the JDK disables");
        assertEquals(List.of(), ProfileBuilder.protocols("SSLv23"));
        assertThrows(IllegalArgumentException.class, () -> ProfileBuilder.protocols("TLSv9"));
    }

    @Test
    void addressesAreWrittenAsInTlsCfg() {
        assertEquals("127.0.0.1:5061", TlsComponent.address(new InetSocketAddress("127.0.0.1", 5061)));
        assertEquals("[0:0:0:0:0:0:0:1]:5061", TlsComponent.address(new InetSocketAddress("::1", 5061)));
        TlsConfigFile f = TlsConfigFile.parse(List.of("[server:[::1]:5061]", "[client:10.0.0.1:5061]", "[server:host:1]"), "t");
        assertEquals(TlsComponent.address(new InetSocketAddress("::1", 5061)), assertDoesNotThrow(() -> TlsComponent.normalised(f.sections().get(0))));
        assertEquals("10.0.0.1:5061", assertDoesNotThrow(() -> TlsComponent.normalised(f.sections().get(1))));
        assertThrows(java.security.GeneralSecurityException.class, () -> TlsComponent.normalised(f.sections().get(2)));
    }
}
