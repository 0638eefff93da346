package org.siphon.tls.internal;

import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.tls.TlsConnection;

/**
 * The answers of Kamailio's {@code tls.list} (the live TLS connections, WSS included) and
 * {@code tls.options} (the module's parameters), with Kamailio's field names. Stateless.
 */
final class TlsRpc {

    /** Kamailio's {@code timestamp} format, in the server's time zone. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private TlsRpc() {
    }

    /**
     * One entry per connection with Kamailio 5.6's fields: {@code id}, {@code timeout} (seconds left
     * while idle), {@code src_ip}/{@code src_port} (the peer), {@code dst_ip}/{@code dst_port}
     * (Siphon), {@code cipher} (suite and version), {@code ct_wq_size}, {@code enc_rd_buf},
     * {@code flags}, {@code state}; later Kamailio's {@code dom} (the profile), {@code sni},
     * {@code timestamp} (opened); Siphon's {@code tls_version} and {@code direction}.
     */
    static List<Map<String, Object>> list(List<TlsConnection> connections) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TlsConnection c : connections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("dom", c.profile() == null ? "N/A" : c.profile());
            m.put("sni", c.serverName() == null ? "N/A" : c.serverName());
            m.put("timestamp", TIMESTAMP.format(c.created()));
            m.put("timeout", c.timeoutSeconds());
            m.put("src_ip", ip(c.remote()));
            m.put("src_port", c.remote() == null ? 0 : c.remote().getPort());
            m.put("dst_ip", ip(c.local()));
            m.put("dst_port", c.local() == null ? 0 : c.local().getPort());
            m.put("tls_version", c.protocol() == null ? "unknown" : c.protocol());
            // Kamailio's is OpenSSL's description, which starts with the suite and the version
            m.put("cipher", c.cipher() == null ? "unknown" : c.cipher() + " " + c.protocol());
            m.put("ct_wq_size", 0); // written straight to Netty's outbound buffer: no clear-text queue of its own
            m.put("enc_rd_buf", 0);
            m.put("flags", 0);
            m.put("state", c.state());
            m.put("direction", c.outgoing() ? "out" : "in");
            out.add(m);
        }
        return out;
    }

    private static String ip(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        if (a.getAddress() == null) {
            return a.getHostString();
        }
        return a.getAddress() instanceof java.net.Inet6Address v6 ? compressed(v6.getAddress())
                : a.getAddress().getHostAddress();
    }

    /**
     * An IPv6 address as Kamailio prints it (RFC 5952, as {@code inet_ntop}): lower-case hex groups without
     * leading zeros, the longest run of two or more zero groups (the first of equal ones) as {@code ::}, no scope.
     */
    static String compressed(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | a[2 * i + 1] & 0xff;
        }
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The parameters as Kamailio's {@code tls.options} names them. */
    static Map<String, Object> options(TlsComponent.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("force_run", c.tls__force__run());
        m.put("method", c.tls__method());
        m.put("verify_certificate", c.verify__certificate());
        m.put("verify_depth", c.verify__depth());
        m.put("require_certificate", c.require__certificate());
        m.put("verify_client", c.verify__client());
        m.put("private_key", c.private__key());
        m.put("ca_list", c.ca__list());
        m.put("crl", c.crl());
        m.put("certificate", c.certificate());
        m.put("cipher_list", c.cipher__list());
        m.put("session_cache", c.session__cache());
        m.put("session_id", c.session__id());
        m.put("config", c.config());
        m.put("log", c.tls__log());
        m.put("debug", c.tls__debug());
        m.put("connection_timeout", c.connection__timeout());
        m.put("disable_compression", c.tls__disable__compression());
        m.put("ssl_release_buffers", c.ssl__release__buffers());
        m.put("ssl_freelist_max", c.ssl__freelist__max__len());
        m.put("ssl_max_send_fragment", c.ssl__max__send__fragment());
        m.put("ssl_read_ahead", c.ssl__read__ahead());
        m.put("send_close_notify", c.send__close__notify());
        m.put("low_mem_threshold1", c.low__mem__threshold1());
        m.put("low_mem_threshold2", c.low__mem__threshold2());
        m.put("ct_wq_max", c.ct__wq__max());
        m.put("con_ct_wq_max", c.con__ct__wq__max());
        m.put("ct_wq_blk_size", c.ct__wq__blk__size());
        return m;
    }
}
