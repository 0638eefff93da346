package org.siphon.core.internal.script;

import java.util.Set;

/**
 * The global parameters a script may set. Those the SIP core uses go to its configuration
 * (ConfigAdmin PID {@code org.siphon.core}); those without meaning on the JVM are accepted and
 * logged once; any other name is an error, as in Kamailio.
 */
final class GlobalParameters {

    /** Parameters the SIP core takes (their values go to PID org.siphon.core). */
    static final Set<String> CORE = Set.of("listen", "alias", "children", "tcp_connection_lifetime",
            "tcp_max_connections", "tcp_connect_timeout", "tcp_msg_read_timeout", "tcp_msg_data_timeout", "udp_mtu", "dns",
            "rev_dns", "auto_aliases", "server_header", "advertised_address", "advertised_port");

    /** Parameters of the script engine itself, and debug= (the log level). */
    static final Set<String> ENGINE = Set.of("max_while_loops", "latency_limit_action", "debug");

    /** Kamailio parameters accepted without effect here (memory, process and logging knobs of the C server). */
    static final Set<String> IGNORED = Set.of("log_stderror", "log_facility", "log_name", "log_prefix",
            "fork", "tcp_children", "mpath", "memdbg", "memlog", "mem_join", "mem_safety",
            "latency_limit_db", "latency_log", "port", "enable_tls", "tls_max_connections", "tls_port_no", "enable_sctp", "disable_tcp", "disable_sctp",
            "sip_warning", "user_agent_header", "onsend_route_reply", "tcp_accept_aliases", "tcp_async",
            "tcp_keepalive", "tcp_keepidle", "tcp_keepintvl", "tcp_keepcnt", "tcp_rd_buf_size", "tcp_wq_max",
            "tcp_crlf_ping", "tcp_accept_no_cl", "dns_try_ipv6", "dns_try_naptr", "use_dns_cache", "use_dns_failover",
            "dns_cache_flags", "dns_cache_negative_ttl", "dns_cache_min_ttl", "dns_cache_max_ttl", "dns_retr_time",
            "dns_retr_no", "dns_servers_no", "dns_use_search_list", "dns_search_full_match", "shm_force_alloc",
            "mlock_pages", "real_time", "rt_prio", "user", "group", "chroot", "workdir", "mhomed", "maxbuffer",
            "sock_mode", "sock_user", "sock_group", "phone2tel", "reply_to_via", "server_signature", "check_via",
            "async_workers", "corelog", "stun_refresh_interval", "pv_buffer_size", "pv_buffer_slots", "statistics",
            "tos", "xavp_via_params", "kemi.onsend_route_callback", "http_reply_parse", "open_files_limit",
            "shm_mem_size", "pkg_mem_size", "socket_workers", "auto_bind_ipv6", "bind_ipv6_link_local");

    private GlobalParameters() {
    }

    /** Null when {@code name=value} is acceptable, else why not. */
    static String check(String name, String value) {
        if (CORE.contains(name) || ENGINE.contains(name) || IGNORED.contains(name) || name.startsWith("dns_cache") || name.startsWith("tcp_")
                && IGNORED.contains(name)) {
            if (Set.of("children", "tcp_connection_lifetime", "advertised_port", "tcp_max_connections", "tcp_connect_timeout",
                    "tcp_msg_read_timeout", "tcp_msg_data_timeout", "udp_mtu",
                    "max_while_loops", "latency_limit_action", "debug").contains(name) && !value.matches("-?\\d+")) {
                return name + " needs a number, not \"" + value + "\"";
            }
            return null;
        }
        return "unknown global parameter '" + name + "'";
    }
}
