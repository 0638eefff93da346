package org.siphon.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.tls.TlsConnection;
import org.siphon.test.TestConfigs;

class TlsRpcTest {

    @Test
    void tlsListHasKamailiosFieldsForEachConnection() {
        TlsConnection up = new TlsConnection(7, "server:default", "sip.example.com", Instant.parse("2026-12-07T10:00:00Z"), 95,
                new InetSocketAddress("192.0.2.5", 40001), new InetSocketAddress("10.0.0.1", 5061), false, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", "established");
        TlsConnection handshaking = new TlsConnection(8, null, null, Instant.now(), 120,
                new InetSocketAddress("::1", 40002), new InetSocketAddress("::1", 5061), false, null, null, "tls_accept");
        List<Map<String, Object>> list = TlsRpc.list(List.of(up, handshaking));
        Map<String, Object> a = list.get(0);
        // Kamailio 5.6.3's fields with those of later Kamailio (dom, sni, timestamp) in their order, then Siphon's
        assertEquals(List.of("id", "dom", "sni", "timestamp", "timeout", "src_ip", "src_port", "dst_ip", "dst_port", "tls_version",
                "cipher", "ct_wq_size", "enc_rd_buf", "flags", "state", "direction"), List.copyOf(a.keySet()));
        assertEquals(7L, a.get("id"));
        assertEquals("192.0.2.5", a.get("src_ip"), "src is the peer, as Kamailio's con->rcv.src");
        assertEquals(40001, a.get("src_port"));
        assertEquals("10.0.0.1", a.get("dst_ip"));
        assertEquals(5061, a.get("dst_port"));
        assertEquals("TLS_AES_128_GCM_SHA256 TLSv1.3", a.get("cipher"));
        assertEquals("sip.example.com", a.get("sni"));
        assertEquals(95L, a.get("timeout"));
        assertTrue(((String) a.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), a.toString());
        Map<String, Object> b = list.get(1);
        assertEquals("::1", b.get("src_ip"), "IPv6 compressed, as Kamailio prints it");
        assertEquals("N/A", b.get("dom"), "no profile chosen yet");
        assertEquals("N/A", b.get("sni"));
        assertEquals("unknown", b.get("cipher"), "Kamailio's word while handshaking");
        assertEquals("tls_accept", b.get("state"));
        assertEquals("in", b.get("direction"));
        assertEquals(List.of(), TlsRpc.list(List.of()));
    }

    @Test
    void tlsOptionsNamesTheParametersAsKamailio() {
        Map<String, Object> o = TlsRpc.options(TestConfigs.of(TlsComponent.Config.class, "tls__method", "TLSv1.2+",
                "crl", "/etc/kamailio/ca.crl", "verify__certificate", 1));
        assertEquals("TLSv1.2+", o.get("method"));
        assertEquals("/etc/kamailio/ca.crl", o.get("crl"));
        assertEquals(1, o.get("verify_certificate"));
        assertEquals(9, o.get("verify_depth"));
        assertEquals(600, o.get("connection_timeout"));
        assertEquals("cert.pem", o.get("certificate"));
        for (String k : List.of("force_run", "verify_client", "private_key", "ca_list", "cipher_list", "session_cache",
                "session_id", "config", "log", "debug", "disable_compression", "ssl_release_buffers", "ssl_freelist_max",
                "ssl_max_send_fragment", "ssl_read_ahead", "send_close_notify", "low_mem_threshold1", "low_mem_threshold2",
                "ct_wq_max", "con_ct_wq_max", "ct_wq_blk_size")) {
            assertTrue(o.containsKey(k), k);
        }
    }

    @Test
    void ipv6AddressesArePrintedCompressedAsInetNtopDoes() throws Exception {
        String[][] cases = {
            {"::1", "::1"}, {"::", "::"}, {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
            {"2001:DB8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, // one zero group stays
            {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"}, // the longest run
            {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, // the first of two equal runs
            {"fe80:0:0:0:0:0:0:0", "fe80::"}, {"0:0:0:0:0:0:0:5", "::5"},
            {"2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], TlsRpc.compressed(java.net.InetAddress.getByName(c[0]).getAddress()), c[0]);
        }
        TlsConnection v6 = new TlsConnection(9, null, null, Instant.now(), 1, new InetSocketAddress("2001:db8:0:0:0:0:0:7", 5),
                new InetSocketAddress("::1", 5061), true, null, null, "tls_connect");
        assertEquals("2001:db8::7", TlsRpc.list(List.of(v6)).get(0).get("src_ip"));
    }
}
