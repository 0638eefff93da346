package org.siphon.core.internal.proxy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The SIP core's parameters (ConfigAdmin PID {@code org.siphon.core}), named as Kamailio's global
 * parameters. {@code bin/siphon -l} overrides {@code listen}. A double underscore in a method name
 * is a single underscore in the property name (Declarative Services maps a single one to a dot):
 * {@code tcp__connection__lifetime()} reads {@code tcp_connection_lifetime}.
 */
@ObjectClassDefinition(name = "Siphon SIP core")
public @interface CoreConfig {

    @AttributeDefinition(description = "listen=[proto:]addr[:port] [advertise host[:port]] (repeatable; "
            + "default 127.0.0.1:5060 for UDP and TCP)")
    String[] listen() default {};

    @AttributeDefinition(description = "Other names of this server, host[:port], for 'myself' (repeatable)")
    String[] alias() default {};

    @AttributeDefinition(description = "SIP worker threads that run the routing script (default 8)")
    int children() default 8;

    @AttributeDefinition(description = "Messages that may wait for a worker before load is shed (default 8192)")
    int queue() default 8192;

    @AttributeDefinition(description = "Netty event-loop threads for the transports (default 2)")
    int io__threads() default 2;

    @AttributeDefinition(description = "Seconds an idle TCP connection is kept (default 120)")
    int tcp__connection__lifetime() default 120;

    @AttributeDefinition(description = "Most TCP connections at once (default 2048)")
    int tcp__max__connections() default 2048;

    @AttributeDefinition(description = "Milliseconds to wait for an outgoing TCP connection (default 10000)")
    int tcp__connect__timeout() default 10_000;

    @AttributeDefinition(description = "Seconds a TCP/TLS message (SIP or HTTP) may take to arrive whole once it has started; "
            + "a slower one closes the connection (default 20)")
    int tcp__msg__read__timeout() default 20;

    @AttributeDefinition(description = "Seconds an accepted TCP/TLS connection may stay without a first message (default 20)")
    int tcp__msg__data__timeout() default 20;

    @AttributeDefinition(description = "UDP receive buffer asked of the kernel, bytes (default 8 MiB)")
    int udp__rcvbuf() default 8 << 20;

    @AttributeDefinition(description = "Requests larger than this go over TCP when a TCP socket exists "
            + "(RFC 3261 §18.1.1; default 1300 bytes)")
    int udp__mtu() default 1300;

    @AttributeDefinition(description = "Largest SIP message accepted, bytes (default 65535)")
    int max__message__size() default 65_535;

    @AttributeDefinition(description = "Most header fields in a message (default 256)")
    int max__headers() default 256;

    @AttributeDefinition(description = "As Kamailio's dns: resolve a Via sent-by name and add received= only "
            + "when it does not resolve to the source address (default false: add received= whenever the "
            + "sent-by is not the source IP literally)")
    boolean dns() default false;

    @AttributeDefinition(description = "As Kamailio's rev_dns: look the source address up in reverse DNS and add "
            + "received= only when the name differs from the Via sent-by (default false)")
    boolean rev__dns() default false;

    @AttributeDefinition(description = "Add the reverse-DNS names of the listen addresses to the aliases of 'myself' "
            + "(default true, as Kamailio's auto_aliases)")
    boolean auto__aliases() default true;

    @AttributeDefinition(description = "Seconds a resolved name is cached at most (default 60)")
    int dns__cache__max__ttl() default 60;

    @AttributeDefinition(description = "Seconds a failed lookup is cached (default 10)")
    int dns__cache__negative__ttl() default 10;

    @AttributeDefinition(description = "Server header of locally generated replies (default 'Siphon (VERSION)')")
    String server__header() default "";

    @AttributeDefinition(description = "Kamailio's advertised_address: the host put in Via/Record-Route/Contact of what "
            + "the server generates, for every listener without its own 'advertise' (default empty: the bound address)")
    String advertised__address() default "";

    @AttributeDefinition(description = "Kamailio's advertised_port: the port advertised with it (default 0: the bound port)")
    int advertised__port() default 0;
}
