package org.siphon.auth.internal;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.AuthHeader;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code auth} with {@code auth_db}: digest authentication (RFC 2617/7616, SHA-256 per
 * RFC 8760) against the {@code subscriber} table of the core's database. Return codes as
 * Kamailio's: 1 authenticated, -1 error, -2 wrong password, -3 unknown user, -4 stale nonce,
 * -5 no credentials, -6 nonce replayed, -8 the authentication user is not the From/To user.
 */
@Component(immediate = true, configurationPid = "org.siphon.auth", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuthComponent.Config.class)
public class AuthComponent implements SiphonModule {

    static final String MODULE = "auth";
    static final Logger LOG = LoggerFactory.getLogger(AuthComponent.class);
    static final String USED = "auth.header";
    static final String STALE = "auth.stale";

    @ObjectClassDefinition(name = "Siphon module auth")
    public @interface Config {
        @AttributeDefinition(description = "Secret the nonces are bound to (default: random at each start)")
        String secret() default "";

        @AttributeDefinition(description = "Seconds a nonce is valid (default 300)")
        int nonce__expire() default 300;

        @AttributeDefinition(description = "Algorithms offered, preferred first: MD5, SHA-256 or \"SHA-256,MD5\" (default MD5)")
        String algorithm() default "MD5";

        @AttributeDefinition(description = "1: the password column holds plain passwords, HA1 is computed; 0: it holds "
                + "HA1 strings (default 0)")
        int calculate__ha1() default 0;

        @AttributeDefinition(description = "Match the subscriber on username and realm (1) or username only (0, default)")
        int use__domain() default 0;

        @AttributeDefinition(description = "auth_db's database (table subscriber); empty: the core's "
                + "(config/org.siphon.db.cfg), e.g. postgres://user:pass@host/db (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "Subscriber columns loaded into AVPs after a successful check: "
                + "column or $avp(name)=column, separated by ; (default none)")
        String load__credentials() default "";

        @AttributeDefinition(description = "The column with the HA1 (calculate_ha1=0) or the plain password "
                + "(calculate_ha1=1; the default ha1 then reads column password) (default ha1)")
        String password__column() default "ha1";

        @AttributeDefinition(description = "The column with the HA1 computed with user@domain as user name, read when "
                + "the credentials' username has a domain and calculate_ha1=0 (default ha1b)")
        String password__column__2() default "ha1b";

        @AttributeDefinition(description = "The subscriber table's user name column (default username)")
        String user__column() default "username";

        @AttributeDefinition(description = "The subscriber table's domain column (default domain)")
        String domain__column() default "domain";

        @AttributeDefinition(description = "0: the version of the subscriber table is not checked (default 1)")
        int version__table() default 1;

        @AttributeDefinition(description = "1: load_credentials also after a wrong password (default 0)")
        int force__generate__avps() default 0;

        @AttributeDefinition(description = "auth: every challenge offers qop=\"auth\" (as flag 1 of the challenge "
                + "functions); empty: only where the flags ask (default empty)")
        String qop() default "";

        @AttributeDefinition(description = "Failed checks (wrong password, unknown user) from one address within "
                + "failed_auth_window that ban it; 0: no bans (default 10)")
        int failed__auth__limit() default 10;

        @AttributeDefinition(description = "Seconds over which failed checks are counted (default 60)")
        int failed__auth__window() default 60;

        @AttributeDefinition(description = "Seconds a banned address gets no challenge (default 300)")
        int failed__auth__ban() default 300;

        @AttributeDefinition(description = "What a banned address gets: reply (403 Forbidden) or drop (nothing) "
                + "(default reply)")
        String failed__auth__action() default "reply";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the nonce count of every used nonce is always "
                + "tracked: a replayed or lower nc is refused (-6)")
        int nonce__count() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " nonces are tracked in a map bounded by their "
                + "expiry, not in a fixed array")
        int nc__array__size() default 1048576;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " nonces are tracked in a map bounded by their "
                + "expiry, not in a fixed array")
        int nc__array__order() default 20;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " one nonce pool for all threads")
        int nid__pool__no() default 1;
    }

    @Reference
    private SipCore core;
    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile org.siphon.core.proxy.StatefulCore timers;
    /** Brute-force protection: failures per address and user, bans. */
    private final FailedAuth failures = new FailedAuth(() -> this.clock.getAsLong());
    @Reference
    private Database database;

    private volatile Config config;
    private volatile Nonces nonces;
    /** The subscriber tables in use, by name; emptied when db_url or a column parameter changes. */
    private final java.util.Map<String, Subscribers> tables = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile List<Digest.Algorithm> algorithms;
    /** load_credentials as [avp, column] pairs. */
    private volatile List<String[]> credentials = List.of();
    private byte[] secret;
    LongSupplier clock = System::currentTimeMillis;

    public AuthComponent() {
    }

    /** For tests. */
    AuthComponent(SipCore core, Database database, Config c, LongSupplier clock) {
        this.core = core;
        this.database = database;
        this.clock = clock;
        activate(c);
    }

    @Activate
    void activate(Config c) {
        List<Digest.Algorithm> algs = algorithms(c);
        List<String[]> creds = Subscribers.credentialSpec(c.load__credentials());
        secret = c.secret().isEmpty() ? SecureRandom.getSeed(32) : c.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        nonces = new Nonces(secret, c.nonce__expire() * 1000L, clock);
        algorithms = algs;
        credentials = creds;
        config = c;
        // the subscriber table is opened at first use: the database may be down now, and a script
        // check (bin/siphon -c) must not create it
    }

    /**
     * {@code cfg.reload} with changed parameters: they apply to the next challenge and check. The
     * nonces given out stay valid unless {@code secret} changed (then the clients are challenged
     * again); a refused value keeps the old parameters.
     */
    @Modified
    void modified(Config c) {
        List<Digest.Algorithm> algs = algorithms(c);
        List<String[]> creds = Subscribers.credentialSpec(c.load__credentials());
        Config old = config;
        if (!c.secret().equals(old.secret()) || c.nonce__expire() != old.nonce__expire()) { // same secret: same nonces
            if (!c.secret().equals(old.secret())) {
                secret = c.secret().isEmpty() ? SecureRandom.getSeed(32)
                        : c.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            nonces = new Nonces(secret, c.nonce__expire() * 1000L, clock);
        }
        algorithms = algs;
        credentials = creds;
        if (!columns(c).equals(columns(old)) || !c.db__url().equals(old.db__url())) {
            tables.clear(); // opened again, in the new database or with the new columns, at the next use
        }
        config = c;
    }

    private static List<Digest.Algorithm> algorithms(Config c) {
        List<Digest.Algorithm> algs = new ArrayList<>();
        for (String a : c.algorithm().split(",")) {
            Digest.Algorithm alg = Digest.Algorithm.of(a.trim());
            if (alg == null) {
                throw new IllegalArgumentException("auth algorithm must be MD5 or SHA-256, not " + a.trim());
            }
            algs.add(alg);
        }
        if (!List.of("reply", "drop").contains(c.failed__auth__action())) {
            throw new IllegalArgumentException("auth failed_auth_action must be reply or drop, not " + c.failed__auth__action());
        }
        if (!c.qop().isEmpty() && !c.qop().equals("auth")) {
            throw new IllegalArgumentException("auth qop must be \"auth\" or empty, not \"" + c.qop() + "\" (auth-int is "
                    + "not supported)");
        }
        columns(c);
        return List.copyOf(algs);
    }

    /**
     * auth_db's columns: with calculate_ha1=1 and the default password_column {@code ha1}, the
     * plain passwords are read from column {@code password} (Kamailio would hash the HA1 as if it
     * were the password, and every check would fail).
     */
    private static Subscribers.Columns columns(Config c) {
        String password = c.calculate__ha1() != 0 && c.password__column().equals("ha1") ? "password" : c.password__column();
        return new Subscribers.Columns(c.user__column(), c.domain__column(), password, c.password__column__2());
    }

    /** The subscriber table {@code name}, opened (and for subscriber created) on first use that succeeds; null when it cannot be. */
    private Subscribers subscribers(String name) {
        Subscribers s = tables.get(name);
        if (s == null) {
            Config c = config;
            try {
                s = new Subscribers(database.forUrl(c.db__url()), name, columns(c), c.version__table() != 0);
                tables.put(name, s);
            } catch (SQLException e) {
                LOG.error("auth_db: the table {} cannot be used now: {}", name, e.getMessage());
            }
        }
        return s;
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        RouteType[] req = { RouteType.REQUEST };
        return List.of(
                f("auth_check", 3, 3, "Checks the credentials of the request (Authorization for REGISTER, else Proxy-Authorization).")
                        .fixup(a -> new Object[] { a.get(0), a.get(1), Integer.decode(a.get(2).trim()) })
                        .handler((c, a) -> authorize(c, (String) a[0], (String) a[1], null, (Integer) a[2])).build(),
                f("www_authorize", 2, 2, "Checks the Authorization header for the realm (also of an HTTP request in "
                        + "event_route[xhttp:request]).").routes(java.util.Set.of(RouteType.REQUEST, RouteType.EVENT))
                        .handler((c, a) -> authorize(c, (String) a[0], (String) a[1], "Authorization", 0)).build(),
                f("proxy_authorize", 2, 2, "Checks the Proxy-Authorization header for the realm.")
                        .handler((c, a) -> authorize(c, (String) a[0], (String) a[1], "Proxy-Authorization", 0)).build(),
                f("auth_challenge", 2, 2, "Answers 401 (REGISTER) or 407 with a challenge; flags 1: qop=auth.")
                        .fixup(a -> new Object[] { a.get(0), Integer.decode(a.get(1).trim()) })
                        .handler((c, a) -> challenge(c, (String) a[0], (Integer) a[1], null)).build(),
                f("www_challenge", 2, 2, "Answers 401 with a WWW-Authenticate challenge (over HTTP for an HTTP request); "
                        + "flags 1: qop=auth.").routes(java.util.Set.of(RouteType.REQUEST, RouteType.EVENT))
                        .fixup(a -> new Object[] { a.get(0), Integer.decode(a.get(1).trim()) })
                        .handler((c, a) -> challenge(c, (String) a[0], (Integer) a[1], 401)).build(),
                f("proxy_challenge", 2, 2, "Answers 407 with a Proxy-Authenticate challenge; flags 1: qop=auth.")
                        .fixup(a -> new Object[] { a.get(0), Integer.decode(a.get(1).trim()) })
                        .handler((c, a) -> challenge(c, (String) a[0], (Integer) a[1], 407)).build(),
                f("consume_credentials", 0, 0, "Removes the credentials that were checked, so they do not travel on.")
                        .handler((c, a) -> {
                            if (c.attribute(USED) instanceof SipHeader h) {
                                c.message().edits().remove(h);
                                return 1;
                            }
                            return -1;
                        }).build(),
                f("has_credentials", 1, 1, "1 when the request carries credentials for the realm.")
                        .routes(java.util.Set.of(RouteType.REQUEST, RouteType.EVENT))
                        .handler((c, a) -> credentials(c, (String) a[0], null) != null ? 1 : -1).build(),
                FunctionExport.builder("is_subscriber", MODULE).args(3).routes(java.util.Set.of(req))
                        .description("1 when the user of the URI is in the subscriber table.")
                        .handler((c, a) -> isSubscriber(String.valueOf(a[0]), String.valueOf(a[1]))).build());
    }

    private static FunctionExport.Builder f(String name, int min, int max, String description) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(java.util.Set.of(RouteType.REQUEST))
                .description(description);
    }

    private static String header(SipRequest r, String which) {
        return which != null ? which : r.isMethod(SipMethods.REGISTER) || r.isHttp() ? "Authorization"
                : "Proxy-Authorization";
    }

    /** The request's Digest credentials for {@code realm}, remembering the header they came in. */
    private AuthHeader credentials(ActionContext c, String realm, String which) {
        if (!(c.message() instanceof SipRequest r)) {
            return null;
        }
        for (SipHeader h : r.headers(header(r, which))) {
            try {
                AuthHeader a = AuthHeader.parse(h.value());
                if (a.isDigest() && realm.equals(a.param("realm"))) {
                    c.attribute(USED, h);
                    return a;
                }
            } catch (IllegalArgumentException e) {
                // not ours to read
            }
        }
        return null;
    }

    int authorize(ActionContext c, String realm, String table, String which, int flags) {
        Config cf = config;
        if (failures.banned(c)) {
            return failures.refuse(core, c, cf);
        }
        int rc = check(c, realm, table, which, flags);
        if (rc == -2 || rc == -3) {
            AuthHeader a = credentials(c, realm, which);
            if (failures.failed(c, a == null ? null : a.param("username"), cf)) {
                return failures.refuse(core, c, cf); // this failure reached the limit: no challenge for it either
            }
        }
        return rc;
    }

    private int check(ActionContext c, String realm, String table, String which, int flags) {
        AuthHeader a = credentials(c, realm, which);
        if (a == null) {
            return -5;
        }
        SipRequest r = (SipRequest) c.message();
        String user = a.param("username");
        String nonce = a.param("nonce");
        String response = a.param("response");
        String uri = a.param("uri");
        Digest.Algorithm alg = Digest.Algorithm.of(a.param("algorithm"));
        String qop = a.param("qop");
        if (user == null || nonce == null || response == null || uri == null || alg == null || !algorithms.contains(alg)
                || qop != null && !qop.equalsIgnoreCase("auth")) {
            return -1;
        }
        switch (nonces.check(nonce, qop == null ? null : a.param("nc"))) {
            case BAD -> {
                return -1;
            }
            case STALE -> {
                c.attribute(STALE, Boolean.TRUE);
                return -4;
            }
            case REPLAYED -> {
                return -6;
            }
            default -> {
            }
        }
        Subscribers s = subscribers(table);
        if (s == null) {
            return -1;
        }
        // a username with @domain (some phones send that) is looked up by its user part; its HA1 is password_column_2's
        int at = user.indexOf('@');
        String account = at > 0 ? user.substring(0, at) : user;
        String domain = config.use__domain() != 0 ? realm : null;
        Subscribers.Subscriber sub;
        try {
            sub = s.find(account, domain);
        } catch (SQLException e) {
            LOG.error("auth_db: cannot read subscriber {}: {}", account, e.getMessage());
            return -1;
        }
        if (sub == null) {
            return -3;
        }
        String ha1 = ha1(sub, alg, user, at > 0, realm);
        String expected = ha1 == null ? null : Digest.response(alg, ha1, nonce, a.param("nc"), a.param("cnonce"),
                qop == null ? null : "auth", r.method(), uri);
        if (expected == null || !Digest.same(expected, response)) {
            if (config.force__generate__avps() != 0) {
                loadCredentials(c, s, account, domain);
            }
            return -2;
        }
        if ((flags & 1) != 0 && !r.isHttp()) {
            SipUri checked = (SipUri) (r.isMethod(SipMethods.REGISTER) ? r.to().uri() : r.from().uri());
            if (!account.equals(checked.user())) {
                return -8;
            }
        }
        loadCredentials(c, s, account, domain);
        return 1;
    }

    private void loadCredentials(ActionContext c, Subscribers s, String user, String domain) {
        List<String[]> wanted = credentials;
        if (wanted.isEmpty()) {
            return;
        }
        try {
            List<String> values = s.columns(user, domain, wanted.stream().map(w -> w[1]).toList());
            for (int i = 0; i < values.size(); i++) {
                c.avp(wanted.get(i)[0], values.get(i));
            }
        } catch (SQLException e) {
            LOG.error("auth_db: load_credentials {} of {}: {}", config.load__credentials(), user, e.getMessage());
        }
    }

    private volatile boolean plainWarned;

    /** The HA1 to check a response with ({@link Subscribers.Subscriber#ha1}); plain passwords in an HA1 column warned of once. */
    private String ha1(Subscribers.Subscriber sub, Digest.Algorithm alg, String user, boolean withDomain, String realm) {
        return sub.ha1(alg, user, withDomain, realm, config.calculate__ha1() != 0, () -> {
            if (!plainWarned) {
                plainWarned = true;
                LOG.warn("auth_db: column {} of table subscriber holds plain passwords, not HA1 strings: set "
                        + "modparam(\"auth_db\", \"calculate_ha1\", yes)", config.password__column());
            }
        });
    }

    int challenge(ActionContext c, String realm, int flags, Integer code) {
        if (!(c.message() instanceof SipRequest r) || r.isMethod(SipMethods.ACK)) {
            return -1;
        }
        int status = code != null ? code : r.isMethod(SipMethods.REGISTER) ? 401 : 407;
        String name = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        boolean stale = Boolean.TRUE.equals(c.attribute(STALE));
        List<SipHeader> challenges = new ArrayList<>();
        for (Digest.Algorithm alg : algorithms) {
            challenges.add(SipHeader.of(name, "Digest realm=\"" + realm + "\", nonce=\"" + nonces.issue() + "\""
                    + ((flags & 1) != 0 || !config.qop().isEmpty() ? ", qop=\"auth\"" : "") + ", algorithm=" + alg.token
                    + (stale ? ", stale=true" : "")));
        }
        String reason = status == 401 ? "Unauthorized" : "Proxy Authentication Required";
        if (r.isHttp()) { // event_route[xhttp:request]: the 401 over HTTP, at once (no SIP timers on a connection's request)
            if (status != 401) {
                return -1;
            }
            return HttpReplies.send(core, c, r, status, reason, challenges) ? 1 : -1;
        }
        if (!failures.delayed(timers, c, r, () -> core.reply(r, status, reason, challenges))) {
            core.reply(r, status, reason, challenges);
        }
        return 1;
    }

    private int isSubscriber(String uri, String table) {
        Subscribers s = subscribers(table);
        try {
            if (s != null && UriParser.parse(uri) instanceof SipUri u && u.user() != null) {
                return s.find(u.user(), config.use__domain() != 0 ? u.host().toLowerCase(Locale.ROOT) : null) != null ? 1 : -1;
            }
        } catch (IllegalArgumentException | SQLException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public List<org.siphon.core.pv.PseudoVariableExport> pseudoVariables() {
        return CredentialVariables.exports();
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return AuthRpc.commands(() -> subscribers("subscriber"), failures.guard());
    }
}
