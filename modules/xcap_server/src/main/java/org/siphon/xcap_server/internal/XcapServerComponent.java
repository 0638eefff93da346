package org.siphon.xcap_server.internal;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipRequest;
import org.siphon.xhttp.XhttpApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code xcap_server}, as Kamailio's: an XCAP server (RFC 4825) driven from
 * {@code event_route[xhttp:request]}. {@code xcaps_put(uri, path, doc)}, {@code xcaps_get(uri, path)}
 * and {@code xcaps_del(uri, path)} store, read and remove the documents of the user {@code uri}
 * (pres-rules, resource-lists, rls-services, pidf-manipulation, OMA pres-rules, xcap-caps) in
 * Kamailio's {@code xcap} table and answer the HTTP request, with an ETag; {@code $xcapuri(name=>key)}
 * splits an XCAP URI for the script. Database work runs on the SIP worker that runs the route.
 */
@Component(immediate = true, configurationPid = "org.siphon.xcap_server", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = XcapServerComponent.Config.class)
public class XcapServerComponent implements SiphonModule {

    static final Logger LOG = LoggerFactory.getLogger(XcapServerComponent.class);
    static final String MODULE = "xcap_server";
    /** Prefix of the attributes holding the URIs assigned to {@code $xcapuri(name=>data)}. */
    static final String URI_ATTRIBUTE = "xcap_server.uri.";

    @ObjectClassDefinition(name = "Siphon module xcap_server")
    public @interface Config {
        @AttributeDefinition(description = "The database of the xcap table; empty: the core's (config/org.siphon.db.cfg), "
                + "e.g. postgres://user:pass@host/db (default empty; Kamailio's is its MySQL URL)")
        String db__url() default "";

        @AttributeDefinition(description = "Table of the XCAP documents (Kamailio's xcap, version 4; created when missing) "
                + "(default xcap)")
        String xcap__table() default "xcap";

        @AttributeDefinition(description = "The path XCAP URIs start with (default /xcap-root/)")
        String xcap__root() default "/xcap-root/";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT
                + " Siphon's XML buffers grow as needed; documents are limited to 1 MiB and by the core's message size")
        int buf__size() default 1024;

        @AttributeDefinition(description = "Extra namespace prefixes for node selectors, prefix=href; several separated "
                + "by ; or given more than once (default none)")
        String[] xml__ns() default {};

        @AttributeDefinition(description = SiphonModule.NO_EFFECT
                + " there are no org.openmobilealliance.xcap-directory listings in Siphon's XCAP server")
        int directory__scheme() default -1;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT
                + " there are no org.openmobilealliance.xcap-directory listings in Siphon's XCAP server")
        String directory__hostname() default "";
    }

    /** {@code $xcapuri(name=>key)}'s parsed inner name. */
    record UriKey(String name, String key) {
    }

    /** The parameters, swapped whole by {@code cfg.reload}. */
    record Settings(String root, String dbUrl, XcapDb db, XcapOps ops) {
    }

    @Reference
    Database database;
    @Reference
    SipCore core;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile XhttpApi xhttp;

    private volatile Settings settings;

    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    final LongAdder puts = new LongAdder();
    final LongAdder gets = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder failures = new LongAdder();

    public XcapServerComponent() {
    }

    /** For tests: the services without DS. */
    XcapServerComponent(Database database, SipCore core, XhttpApi xhttp) {
        this.database = database;
        this.core = core;
        this.xhttp = xhttp;
    }

    @Activate
    void activate(Config c) {
        settings = settings(c, database);
        prepareTable(settings);
    }

    /** cfg.reload: every parameter applies to the next request; a bad {@code xml_ns} keeps the old settings (logged). */
    @Modified
    void modified(Config c) {
        try {
            Settings s = settings(c, database);
            Settings old = settings;
            settings = s;
            if (!s.db().table().equals(old.db().table()) || !s.dbUrl().equals(old.dbUrl())) {
                prepareTable(s);
            }
        } catch (IllegalArgumentException e) {
            LOG.error("{}: the old parameters stay", e.getMessage());
        }
    }

    /** Creates or checks the table off the activating thread (a remote database may be slow); requests check it again. */
    private static void prepareTable(Settings s) {
        Thread t = new Thread(() -> {
            try {
                s.db().ensure();
            } catch (java.sql.SQLException | RuntimeException e) {
                LOG.error("xcap_server: table {}: {} (XCAP requests get 500 until it is usable)", s.db().table(),
                        e.getMessage());
            }
        }, "xcap_server-table");
        t.setDaemon(true);
        t.start();
    }

    static Settings settings(Config c, Database database) {
        XcapDb db = new XcapDb(database.forUrl(c.db__url()), c.xcap__table());
        return new Settings(c.xcap__root(), c.db__url(), db, new XcapOps(db, namespaces(c.xml__ns())));
    }

    /** {@code xml_ns} values {@code prefix=href} (each may hold several, separated by {@code ;}). */
    static Map<String, String> namespaces(String[] values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            for (String one : v.split(";")) {
                String s = one.trim();
                if (s.isEmpty()) {
                    continue;
                }
                int eq = s.indexOf('=');
                if (eq <= 0 || eq == s.length() - 1) {
                    throw new IllegalArgumentException("xcap_server: xml_ns \"" + s + "\" is not prefix=href");
                }
                out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
        }
        return Map.copyOf(out);
    }

    Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return MODULE;
    }

    /** Operations under way: an update stops this version once they are done. */
    @Override
    public int inFlight() {
        return running.get();
    }

    @Override
    public long drainLimitMillis() {
        return 10_000;
    }

    @Override
    public Map<String, Object> statistics() {
        return Map.of("puts", puts.sum(), "gets", gets.sum(), "deletes", deletes.sum(), "failures", failures.sum());
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
                FunctionExport.builder("xcaps_put", MODULE).args(3).routes(EnumSet.allOf(RouteType.class))
                        .fixup(XcapServerComponent::texts)
                        .description("Stores the XCAP document (or element, attribute) of user uri at path from doc and "
                                + "answers the HTTP request; 1 when answered, -1 otherwise")
                        .handler((ctx, a) -> run(ctx, "PUT", a)).build(),
                FunctionExport.builder("xcaps_get", MODULE).args(2).routes(EnumSet.allOf(RouteType.class))
                        .fixup(XcapServerComponent::texts)
                        .description("Answers the HTTP request with the XCAP document (or element, attribute) at path; "
                                + "1 when answered, -1 otherwise")
                        .handler((ctx, a) -> run(ctx, "GET", a)).build(),
                FunctionExport.builder("xcaps_del", MODULE).args(2).routes(EnumSet.allOf(RouteType.class))
                        .fixup(XcapServerComponent::texts)
                        .description("Removes the XCAP document (or element, attribute) at path and answers the HTTP "
                                + "request; 1 when answered, -1 otherwise")
                        .handler((ctx, a) -> run(ctx, "DELETE", a)).build());
    }

    /**
     * The arguments as the script engine hands them over: literals at load time, and arguments with
     * pseudo-variables already expanded for each call (so a document holding a {@code $} is not
     * expanded twice).
     */
    private static Object[] texts(List<String> args) {
        return args.toArray();
    }

    int run(ActionContext ctx, String op, Object[] args) {
        XhttpApi api = xhttp;
        if (api == null || !(ctx.message() instanceof SipRequest request) || !request.isHttp()) {
            LOG.warn("xcap_server: xcaps_{}() needs module xhttp and an HTTP request (event_route[xhttp:request])",
                    op.equals("DELETE") ? "del" : op.toLowerCase(java.util.Locale.ROOT));
            return -1;
        }
        // the request is ours before the operation runs: answered already, nothing is done
        if (!api.claim(ctx)) {
            return -1;
        }
        String owner = (String) args[0];
        String path = (String) args[1];
        byte[] doc = null;
        if (args.length > 2) {
            // "$rb" (as Kamailio's configs write it): the body's bytes as received, whatever their encoding
            byte[] body = request.body();
            String text = (String) args[2];
            doc = text.equals(new String(body, StandardCharsets.UTF_8)) ? body : text.getBytes(StandardCharsets.UTF_8);
        }
        running.incrementAndGet();
        try {
            HttpAnswers.send(core, request, answer(request, op, owner, path, doc));
        } finally {
            running.decrementAndGet();
        }
        return 1;
    }

    /** What the XCAP operation answers (no network). */
    XcapOps.Answer answer(SipRequest request, String op, String owner, String path, byte[] doc) {
        Settings s = settings;
        XcapUri uri;
        try {
            uri = XcapUri.parse(path, s.root());
        } catch (XcapUri.Invalid e) {
            failures.increment();
            LOG.info("xcap_server: {} {} refused: {}", op, path, e.getMessage());
            return new XcapOps.Answer(400, "Bad Request", "text/plain", e.getMessage() + "\n", null);
        }
        XcapOps.Preconditions pre = new XcapOps.Preconditions(request.headerValue("If-Match"),
                request.headerValue("If-None-Match"));
        try {
            return switch (op) {
                case "PUT" -> {
                    puts.increment();
                    int port = request.source() == null || request.source().local() == null ? 0
                            : request.source().local().getPort();
                    yield s.ops().put(XcapOps.Owner.of(owner), uri, doc, pre, port);
                }
                case "GET" -> {
                    gets.increment();
                    yield s.ops().get(uri, pre);
                }
                default -> {
                    deletes.increment();
                    yield s.ops().delete(uri, pre);
                }
            };
        } catch (java.sql.SQLException | RuntimeException e) {
            failures.increment();
            LOG.error("xcap_server: {} {} failed: {}", op, path, e.toString());
            return XcapOps.Answer.of(500, "Server Error");
        }
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(PseudoVariableExport.builder("xcapuri", MODULE)
                .innerName(PseudoVariableExport.InnerName.REQUIRED, XcapServerComponent::uriKey)
                .description("Parts of the XCAP URI assigned to $xcapuri(name=>data): " + String.join(", ", XcapUri.KEYS))
                .getter((ctx, k) -> {
                    UriKey key = (UriKey) k;
                    return ctx.attribute(URI_ATTRIBUTE + key.name()) instanceof XcapUri u ? u.key(key.key()) : null;
                })
                .setter((ctx, k, value) -> {
                    UriKey key = (UriKey) k;
                    if (!key.key().equals("data") && !key.key().equals("uri")) {
                        throw new IllegalArgumentException("$xcapuri(" + key.name() + "=>" + key.key()
                                + ") is read-only: assign $xcapuri(" + key.name() + "=>data)");
                    }
                    XcapUri parsed = null;
                    if (value != null) {
                        try {
                            parsed = XcapUri.parse(value.toString(), settings.root());
                        } catch (XcapUri.Invalid e) {
                            LOG.debug("xcap_server: $xcapuri({}) = {}: {}", key.name(), value, e.getMessage());
                        }
                    }
                    ctx.attribute(URI_ATTRIBUTE + key.name(), parsed);
                }).build());
    }

    static Object uriKey(String inner) {
        String s = inner.trim();
        int arrow = s.indexOf("=>");
        if (arrow <= 0) {
            throw new IllegalArgumentException("$xcapuri takes name=>key, not \"" + inner + "\"");
        }
        String key = s.substring(arrow + 2).trim();
        if (!XcapUri.KEYS.contains(key)) {
            throw new IllegalArgumentException("$xcapuri: unknown key \"" + key + "\" (" + String.join(", ", XcapUri.KEYS) + ")");
        }
        return new UriKey(s.substring(0, arrow).trim(), key);
    }
}
