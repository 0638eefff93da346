package org.siphon.permissions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.store.SharedStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code permissions}, its address and trusted parts: {@code allow_source_address},
 * {@code allow_address}, {@code allow_source_address_group}, {@code allow_address_group} over the
 * cached {@code address} table (or {@code address_file}), and {@code allow_trusted} over the
 * {@code trusted} table, cached ({@code db_mode} 1) or read per call ({@code db_mode} 0, Kamailio's
 * default). The caches live in the core's store (table {@code permissions}) and outlive module
 * updates and {@code cfg.reload}; they change only by {@code permissions.addressReload} /
 * {@code trustedReload}, or when the parameters name another source. The function logic is in
 * {@link Checks}, the RPC commands in {@link PermissionsRpc}.
 */
@Component(immediate = true, configurationPid = "org.siphon.permissions", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PermissionsComponent.Config.class)
public class PermissionsComponent implements SiphonModule {

    static final String MODULE = "permissions";
    private static final Logger LOG = LoggerFactory.getLogger(PermissionsComponent.class);
    /** load_backends bits, as Kamailio's. */
    static final int ADDRESS = 1;
    static final int TRUSTED = 2;

    @ObjectClassDefinition(name = "Siphon module permissions")
    public @interface Config {
        @AttributeDefinition(description = "The database of the address and trusted tables; empty: the core's "
                + "(config/org.siphon.db.cfg), e.g. mysql://kamailio:kamailiorw@localhost/kamailio (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "A file of address rows (group address [mask [port [tag]]]) read instead of "
                + "the address table; relative to the routing script's folder (default none)")
        String address__file() default "";

        @AttributeDefinition(description = "Table of addresses and subnets (default address)")
        String address__table() default "address";

        @AttributeDefinition(description = "Column of the group (default grp)")
        String grp__col() default "grp";

        @AttributeDefinition(description = "Column of the IP address or DNS name (default ip_addr)")
        String ip__addr__col() default "ip_addr";

        @AttributeDefinition(description = "Column of the mask length, 0 meaning the whole address (default mask)")
        String mask__col() default "mask";

        @AttributeDefinition(description = "Column of the port, 0 meaning any (default port)")
        String port__col() default "port";

        @AttributeDefinition(description = "Column of the tag of address and trusted rows (default tag)")
        String tag__col() default "tag";

        @AttributeDefinition(description = "0: allow_trusted reads the trusted table at each call; 1: it is cached and "
                + "reloaded by permissions.trustedReload (default 0, as Kamailio's)")
        int db__mode() default 0;

        @AttributeDefinition(description = "Table of trusted peers (default trusted)")
        String trusted__table() default "trusted";

        @AttributeDefinition(description = "Column of the source address of trusted rows (default src_ip)")
        String source__col() default "src_ip";

        @AttributeDefinition(description = "Column of the transport of trusted rows: any, udp, tcp, tls, sctp, ws, wss, "
                + "none (default proto)")
        String proto__col() default "proto";

        @AttributeDefinition(description = "Column of the From URI pattern of trusted rows (default from_pattern)")
        String from__col() default "from_pattern";

        @AttributeDefinition(description = "Column of the Request-URI pattern of trusted rows (default ruri_pattern)")
        String ruri__col() default "ruri_pattern";

        @AttributeDefinition(description = "Column of the priority of trusted rows, highest first (default priority)")
        String priority__col() default "priority";

        @AttributeDefinition(description = "The AVP that gets the tag of the matching row, e.g. $avp(peer_tag) "
                + "(default none)")
        String peer__tag__avp() default "";

        @AttributeDefinition(description = "allow_trusted: 0 sets the tag of the first match; 1 sets the tags of all "
                + "matches and returns their number (default 0)")
        int peer__tag__mode() default 0;

        @AttributeDefinition(description = "Most subnet rows of the address table; a load with more is refused "
                + "(default 512)")
        int max__subnets() default 512;

        @AttributeDefinition(description = "What to load: 1 address table, 2 trusted table, 4 and 8 the allow and deny "
                + "files (not in Siphon), summed (default 0xFFFF: all)")
        int load__backends() default 0xFFFF;

        @AttributeDefinition(description = "Seconds between two RPC reloads of one table; 0: no limit (default 5)")
        int reload__delta() default 5;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " a reloaded trusted cache replaces the old one at "
                + "once and the old one is freed by the JVM (default 60)")
        int trusted__cleanup__interval() default 60;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " allow_routing, allow_register and allow_uri "
                + "are not in Siphon (default permissions.allow)")
        String default__allow__file() default "permissions.allow";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " allow_routing, allow_register and allow_uri "
                + "are not in Siphon (default permissions.deny)")
        String default__deny__file() default "permissions.deny";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " allow_routing is not in Siphon (default 1)")
        int check__all__branches() default 1;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " allow_routing and allow_register are not in "
                + "Siphon (default .allow)")
        String allow__suffix() default ".allow";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " allow_routing and allow_register are not in "
                + "Siphon (default .deny)")
        String deny__suffix() default ".deny";
    }

    /** The parameters as one value, swapped whole by {@code cfg.reload}. */
    record Settings(Config config, PermissionsDb db, Path addressFile, String peerTagAvp) {
        boolean loads(int backend) {
            return (config.load__backends() & backend) != 0;
        }

        String addressSource() {
            Config c = config;
            return addressFile != null ? "file:" + addressFile
                    : "db:" + db.url() + " " + c.address__table() + "(" + c.grp__col() + "," + c.ip__addr__col() + ","
                            + c.mask__col() + "," + c.port__col() + "," + c.tag__col() + ")";
        }

        String trustedSource() {
            Config c = config;
            return "db:" + db.url() + " " + c.trusted__table() + "(" + c.source__col() + "," + c.proto__col() + ","
                    + c.from__col() + "," + c.ruri__col() + "," + c.tag__col() + "," + c.priority__col() + ")";
        }
    }

    @Reference
    private Database coreDatabase;
    @Reference
    private SharedStore store;

    volatile Settings settings;
    volatile CachedTable<AddressTable> address;
    volatile CachedTable<TrustedTable> trusted;
    /** The routing script's folder, for a relative address_file; null when unknown (the working directory). */
    private Path scriptDir;
    LongSupplier clock = System::currentTimeMillis;
    private final AtomicLong lastAddressReload = new AtomicLong();
    private final AtomicLong lastTrustedReload = new AtomicLong();
    final LongAdder trustedQueries = new LongAdder();

    public PermissionsComponent() {
    }

    /** For tests: database and store without DS. */
    PermissionsComponent(Database database, SharedStore store, Path scriptDir) {
        this.coreDatabase = database;
        this.store = store;
        this.scriptDir = scriptDir;
    }

    @Activate
    void activate(BundleContext context, Config c) {
        if (context != null) {
            String cfg = context.getProperty("siphon.cfg");
            String home = context.getProperty("siphon.home");
            Path script = cfg != null ? Path.of(cfg) : home != null ? Path.of(home, "config", "siphon.cfg") : null;
            scriptDir = script == null ? null : script.toAbsolutePath().getParent();
        }
        start(c);
    }

    /**
     * {@code cfg.reload} with changed parameters: they apply to the next call. The caches stay (they
     * are in the core's store) unless the parameters now name another table, columns, database or
     * file: then that source is loaded (and a failure keeps the old rows, logged).
     */
    @Modified
    void modified(Config c) {
        start(c);
    }

    private void start(Config c) {
        Settings s = settings(c);
        address = new CachedTable<>(store.table("permissions"), "address",
                rows -> new AddressTable(rows.stream().map(r -> AddressRow.fromPlain((List<?>) r)).toList()), AddressTable.EMPTY);
        trusted = new CachedTable<>(store.table("permissions"), "trusted",
                rows -> new TrustedTable(rows.stream().map(r -> TrustedRow.fromPlain((List<?>) r)).toList()), TrustedTable.EMPTY);
        settings = s;
        if (s.loads(ADDRESS)) {
            if (s.addressSource().equals(address.source())) {
                LOG.info("permissions: {} address rows kept from the cache ({})", address.get().rows().size(),
                        s.addressSource());
            } else {
                tryLoad("address", () -> loadAddress(s));
            }
        }
        if (s.loads(TRUSTED) && c.db__mode() == 1) {
            if (s.trustedSource().equals(trusted.source())) {
                LOG.info("permissions: {} trusted rows kept from the cache", trusted.get().rows().size());
            } else {
                tryLoad("trusted", () -> loadTrusted(s));
            }
        }
        if (c.peer__tag__mode() != 0 && c.peer__tag__mode() != 1) {
            LOG.warn("permissions: peer_tag_mode {} is not 0 or 1; taken as 0", c.peer__tag__mode());
        }
    }

    private interface Load {
        String run() throws Exception;
    }

    private static void tryLoad(String what, Load load) {
        try {
            LOG.info("permissions: {}", load.run());
        } catch (Exception e) {
            LOG.error("permissions: the {} rows were not loaded ({}); allow_* see the rows cached before, if any",
                    what, reason(e));
        }
    }

    Settings settings(Config c) {
        for (String name : List.of(c.address__table(), c.grp__col(), c.ip__addr__col(), c.mask__col(), c.port__col(),
                c.tag__col(), c.trusted__table(), c.source__col(), c.proto__col(), c.from__col(), c.ruri__col(),
                c.priority__col())) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("permissions: \"" + name + "\" is not a table or column name");
            }
        }
        PermissionsDb db = new PermissionsDb(coreDatabase.forUrl(c.db__url()),
                new PermissionsDb.AddressColumns(c.address__table(), c.grp__col(), c.ip__addr__col(), c.mask__col(),
                        c.port__col(), c.tag__col()),
                new PermissionsDb.TrustedColumns(c.trusted__table(), c.source__col(), c.proto__col(), c.from__col(),
                        c.ruri__col(), c.tag__col(), c.priority__col()));
        Path file = null;
        if (!c.address__file().isBlank()) {
            file = Path.of(c.address__file().trim());
            if (!file.isAbsolute() && scriptDir != null) {
                file = scriptDir.resolve(file);
            }
        }
        return new Settings(c, db, file, avpName(c.peer__tag__avp()));
    }

    /** {@code $avp(peer_tag)}, {@code $avp(i:707)} or a bare name: the AVP's name; null when none. */
    static String avpName(String pv) {
        String s = pv == null ? "" : pv.trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.startsWith("$avp(") && s.endsWith(")")) {
            s = s.substring(5, s.length() - 1);
        } else if (s.startsWith("$")) {
            throw new IllegalArgumentException("permissions: peer_tag_avp must be an AVP ($avp(name)), not " + pv);
        }
        return s.startsWith("s:") || s.startsWith("i:") ? s.substring(2) : s;
    }

    /** Reads the address rows (file or table) into the cache; throws and keeps the old cache when it cannot. */
    String loadAddress(Settings s) throws SQLException, IOException {
        List<AddressRow> rows;
        int skipped;
        if (s.addressFile() != null) {
            AddressFile.Loaded l = AddressFile.read(s.addressFile());
            rows = l.rows();
            skipped = l.skipped();
        } else {
            PermissionsDb.Loaded<AddressRow> l = s.db().loadAddress();
            rows = l.rows();
            skipped = l.skipped();
        }
        long subnets = rows.stream().filter(AddressRow::isSubnet).count();
        int max = s.config().max__subnets();
        if (subnets > max) {
            throw new SQLException(subnets + " subnet rows, more than max_subnets=" + max);
        }
        address.put(s.addressSource(), rows.stream().map(AddressRow::plain).toList());
        return rows.size() + " address rows loaded from " + where(s) + (skipped == 0 ? "" : ", " + skipped + " skipped");
    }

    private static String where(Settings s) {
        return s.addressFile() != null ? s.addressFile().toString() : s.config().address__table() + " in " + s.db().url();
    }

    /** Reads the trusted table into the cache (db_mode 1). */
    String loadTrusted(Settings s) throws SQLException {
        PermissionsDb.Loaded<TrustedRow> l = s.db().loadTrusted();
        trusted.put(s.trustedSource(), l.rows().stream().map(TrustedRow::plain).toList());
        return l.rows().size() + " trusted rows loaded from " + s.config().trusted__table() + " in " + s.db().url()
                + (l.skipped() == 0 ? "" : ", " + l.skipped() + " skipped");
    }

    /** RPC reloads: rate-limited by reload_delta; a failure keeps the old cache and is logged once. */
    String reload(boolean ofAddress) throws RpcException {
        Settings s = settings;
        String what = ofAddress ? "address" : "trusted";
        if (!s.loads(ofAddress ? ADDRESS : TRUSTED)) {
            throw new RpcException(RpcException.FAILED, "Reload failed: the " + what + " table is not loaded (load_backends "
                    + s.config().load__backends() + ")");
        }
        if (!ofAddress && s.config().db__mode() != 1) {
            throw new RpcException(RpcException.FAILED, "Reload failed: db_mode 0 reads the trusted table at each call; "
                    + "there is no cache to reload");
        }
        AtomicLong last = ofAddress ? lastAddressReload : lastTrustedReload;
        long now = clock.getAsLong();
        long delta = s.config().reload__delta() * 1000L;
        long before = last.get();
        if (delta > 0 && before != 0 && now - before < delta || !last.compareAndSet(before, now)) {
            throw new RpcException(RpcException.FAILED, "Reload rejected: one " + what + " reload per reload_delta="
                    + s.config().reload__delta() + " s");
        }
        try {
            String done = ofAddress ? loadAddress(s) : loadTrusted(s);
            LOG.info("permissions: {} (RPC reload)", done);
            return "Reload OK";
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.error("permissions: {} reload failed, keeping the {} cached rows: {}", what,
                    ofAddress ? address.get().rows().size() : trusted.get().rows().size(), reason(e));
            throw new RpcException(RpcException.FAILED, "Reload failed: " + reason(e));
        }
    }

    /** An SQL error's message; the class too for others ("NoSuchFileException: address.list"). */
    private static String reason(Exception e) {
        return e instanceof SQLException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return new Checks(this).all();
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new PermissionsRpc(this).all();
    }
}
