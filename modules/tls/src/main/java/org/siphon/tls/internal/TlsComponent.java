package org.siphon.tls.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.tls.TlsProfile;
import org.siphon.core.tls.TlsProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code tls}, as Kamailio's: the key, certificates and rules of the core's {@code tls:}
 * listeners and outgoing TLS connections, from the module parameters ({@code certificate},
 * {@code private_key}, {@code ca_list}, {@code tls_method}, {@code verify_certificate},
 * {@code require_certificate}, {@code cipher_list}, {@code server_name}: the default profiles)
 * and Kamailio's {@code tls.cfg} ({@code config}: {@code [server:default]},
 * {@code [server:IP:PORT]}, {@code [client:...]} sections, a server section with
 * {@code server_name} chosen by SNI). Every file is checked for changes every two seconds: a new
 * certificate serves the next handshake (live connections keep theirs); a change that does not
 * load keeps the previous profiles, logged. {@code tls.reload} reloads at once.
 */
@Component(immediate = true, configurationPid = "org.siphon.tls", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { SiphonModule.class, TlsProfiles.class })
@Designate(ocd = TlsComponent.Config.class)
public class TlsComponent implements SiphonModule, TlsProfiles {

    static final Logger LOG = LoggerFactory.getLogger(TlsComponent.class);
    static final String MODULE = "tls";
    private static final String OPENSSL = SiphonModule.NO_EFFECT + " an OpenSSL setting; the JDK's TLS has no such knob";

    @ObjectClassDefinition(name = "Siphon module tls")
    public @interface Config {
        @AttributeDefinition(description = "Protocol versions: TLSv1.2 (one), TLSv1.2+ (and newer), SSLv23 (any); the JDK "
                + "disables TLSv1.0/1.1, so TLSv1 and TLSv1+ mean TLSv1.2 and newer (default TLSv1)")
        String tls__method() default "TLSv1";

        @AttributeDefinition(description = "PEM certificate (chain) of the default profiles; relative to the script's folder (default cert.pem)")
        String certificate() default "cert.pem";

        @AttributeDefinition(description = "PEM private key (PKCS#8 or RSA PKCS#1, unencrypted) (default cert.pem)")
        String private__key() default "cert.pem";

        @AttributeDefinition(description = "PEM file of the CAs whose certificates are accepted (default none)")
        String ca__list() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " use ca_list (one PEM file of CAs)")
        String ca__path() default "";

        @AttributeDefinition(description = "PEM or DER file of certificate revocation lists of the ca_list CAs: a revoked "
                + "peer certificate is refused when verify_certificate or require_certificate is on (default none)")
        String crl() default "";

        @AttributeDefinition(description = "1: the peer's certificate is checked against ca_list (default 0)")
        int verify__certificate() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the JDK's path validation has no depth limit setting")
        int verify__depth() default 9;

        @AttributeDefinition(description = "1: a server refuses clients without a certificate (default 0)")
        int require__certificate() default 0;

        @AttributeDefinition(description = "Cipher suites, colon-separated, by their IANA/JDK names (TLS_...); OpenSSL names are "
                + "not understood (default: the JDK's)")
        String cipher__list() default "";

        @AttributeDefinition(description = "SNI name a client profile sends (default: the host connected to)")
        String server__name() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " tcp_connection_lifetime closes idle connections")
        int connection__timeout() default 600;

        @AttributeDefinition(description = "Kamailio's tls.cfg with the profiles; relative to the script's folder (default none)")
        String config() default "";

        @AttributeDefinition(description = OPENSSL) int tls__disable__compression() default 1;
        @AttributeDefinition(description = OPENSSL) int ssl__release__buffers() default 1;
        @AttributeDefinition(description = OPENSSL) int ssl__freelist__max__len() default 0;
        @AttributeDefinition(description = OPENSSL) int ssl__max__send__fragment() default -1;
        @AttributeDefinition(description = OPENSSL) int ssl__read__ahead() default 0;
        @AttributeDefinition(description = OPENSSL) int send__close__notify() default 0;
        @AttributeDefinition(description = OPENSSL) int con__ct__wq__max() default 65536;
        @AttributeDefinition(description = OPENSSL) int ct__wq__max() default 10485760;
        @AttributeDefinition(description = OPENSSL) int ct__wq__blk__size() default 4096;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " TLS logs through logger org.siphon.tls") int tls__log() default 3;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " TLS logs through logger org.siphon.tls") int tls__debug() default 3;
        @AttributeDefinition(description = OPENSSL) int low__mem__threshold1() default -1;
        @AttributeDefinition(description = OPENSSL) int low__mem__threshold2() default -1;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " a profile that does not load stops the module") int tls__force__run() default 0;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the JDK keeps its own session cache") int session__cache() default 0;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the JDK keeps its own session cache") String session__id() default "";
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the JDK refuses insecure renegotiation") int renegotiation() default 0;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " profiles come from the parameters and tls.cfg") String xavp__cfg() default "";
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " Siphon has no KEMI scripts") String event__callback() default "";
        @AttributeDefinition(description = OPENSSL) String rand__engine() default "";
        @AttributeDefinition(description = OPENSSL) String engine() default "";
        @AttributeDefinition(description = OPENSSL) String engine__config() default "";
        @AttributeDefinition(description = OPENSSL) String engine__algorithms() default "";
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " use verify_certificate / require_certificate") String verify__client() default "";
    }

    /** The loaded profiles: by section address ({@code default} or {@code IP:PORT}), the files they came from. */
    record Profiles(Map<String, ProfileBuilder.Built> servers, Map<String, ProfileBuilder.Built> clients,
            Map<Path, FileTime> files, Instant loaded) {
    }

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile org.siphon.core.proxy.SipCore core;
    private final TlsVariables variables = new TlsVariables(() -> core);

    private volatile Config config;
    private volatile Profiles profiles;
    private Path base;
    private ScheduledExecutorService watcher;

    @Activate
    void activate(BundleContext context, Config c) throws IOException, GeneralSecurityException {
        if (context != null) {
            String cfg = context.getProperty("siphon.cfg");
            String home = context.getProperty("siphon.home");
            Path script = cfg != null ? Path.of(cfg) : home != null ? Path.of(home, "config", "siphon.cfg") : null;
            base = script == null ? null : script.toAbsolutePath().getParent();
        }
        config = c;
        profiles = load(c);
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, 2, 2, TimeUnit.SECONDS);
    }

    /** {@code cfg.reload} with changed parameters: the profiles are built again; if they do not load, the old stay. */
    @Modified
    void modified(Config c) {
        config = c;
        try {
            profiles = load(c);
            LOG.info("tls: parameters changed: {} profile(s) loaded", count(profiles));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("tls: the new parameters do not load ({}); the previous profiles stay", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    Profiles load(Config c) throws IOException, GeneralSecurityException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("method", c.tls__method());
        defaults.put("certificate", c.certificate());
        defaults.put("private_key", c.private__key());
        defaults.put("ca_list", c.ca__list());
        defaults.put("crl", c.crl());
        defaults.put("verify_certificate", Integer.toString(c.verify__certificate()));
        defaults.put("require_certificate", Integer.toString(c.require__certificate()));
        defaults.put("cipher_list", c.cipher__list());
        defaults.put("server_name", c.server__name());
        Map<String, ProfileBuilder.Built> servers = new LinkedHashMap<>();
        Map<String, ProfileBuilder.Built> clients = new LinkedHashMap<>();
        Map<Path, FileTime> files = new LinkedHashMap<>();
        Path dir = base;
        List<TlsConfigFile.Section> sections = new ArrayList<>();
        if (!c.config().isBlank()) {
            Path file = ProfileBuilder.resolve(base, c.config());
            files.put(file, stamp(file));
            sections.addAll(TlsConfigFile.read(file).sections());
            dir = file.toAbsolutePath().getParent();
        }
        boolean serverDefault = sections.stream().anyMatch(s -> s.side().equals("server") && s.isDefault()
                && !s.settings().containsKey("server_name"));
        boolean clientDefault = sections.stream().anyMatch(s -> s.side().equals("client") && s.isDefault());
        if (!serverDefault) {
            Path cert = ProfileBuilder.resolve(base, c.certificate());
            if (Files.exists(cert) || sections.isEmpty() && !c.certificate().equals("cert.pem")) {
                put(servers, "default", ProfileBuilder.build("server:default", defaults, base, true), files);
            } else {
                // the module is in every distribution: without TLS configured it must not fail
                LOG.info("tls: no certificate {} for [server:default]: TLS listeners without a profile refuse handshakes", cert);
            }
        }
        if (!clientDefault) {
            Map<String, String> client = new LinkedHashMap<>(defaults);
            put(clients, "default", ProfileBuilder.build("client:default", client, base, false), files);
        }
        for (TlsConfigFile.Section s : sections) {
            Map<String, String> merged = new LinkedHashMap<>(s.isDefault() ? defaults : Map.of());
            if (!s.isDefault()) {
                merged.put("method", defaults.get("method"));
            }
            if (s.settings().containsKey("tls_method")) {
                merged.put("method", s.settings().get("tls_method"));
            }
            merged.putAll(s.settings());
            boolean server = s.side().equals("server");
            String key = (s.isDefault() ? "default" : normalised(s))
                    + (server && s.settings().containsKey("server_name") ? "#" + s.settings().get("server_name") : "");
            try {
                put(server ? servers : clients, key, ProfileBuilder.build(s.name(), merged, dir, server), files);
            } catch (java.nio.file.NoSuchFileException e) {
                // a certificate not made yet: the profile waits for it (checked every 2 s), the rest works
                LOG.error("tls: tls.cfg section [{}] (line {}): {} does not exist; handshakes for this profile are refused "
                        + "until it does", s.name(), s.line(), e.getFile());
                files.put(Path.of(e.getFile()), MISSING);
                for (String k : List.of("certificate", "private_key", "ca_list")) {
                    if (merged.get(k) != null && !merged.get(k).isBlank()) {
                        Path f = ProfileBuilder.resolve(dir, merged.get(k));
                        files.putIfAbsent(f, stamp(f));
                    }
                }
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new GeneralSecurityException("tls.cfg section [" + s.name() + "] (line " + s.line() + "): " + e.getMessage(), e);
            }
        }
        return new Profiles(Map.copyOf(servers), Map.copyOf(clients), Map.copyOf(files), Instant.now());
    }

    private static void put(Map<String, ProfileBuilder.Built> into, String key, ProfileBuilder.Built built,
            Map<Path, FileTime> files) throws IOException {
        into.put(key, built);
        for (Path f : built.files()) {
            files.put(f, stamp(f));
        }
    }

    /** The stamp of a file that does not exist (yet). */
    private static final FileTime MISSING = FileTime.fromMillis(0);

    private static FileTime stamp(Path f) throws IOException {
        return Files.exists(f) ? Files.getLastModifiedTime(f) : MISSING;
    }

    private static int count(Profiles p) {
        return p.servers().size() + p.clients().size();
    }

    /** Every two seconds: a changed file loads the profiles again. */
    void reloadIfChanged() {
        Profiles now = profiles;
        boolean changed = false;
        for (Map.Entry<Path, FileTime> e : now.files().entrySet()) {
            try {
                if (!stamp(e.getKey()).equals(e.getValue())) {
                    changed = true;
                    break;
                }
            } catch (IOException ex) {
                changed = true; // gone or unreadable: try, and say why it fails
                break;
            }
        }
        if (!changed) {
            return;
        }
        try {
            profiles = load(config);
            LOG.info("tls: a certificate, key or tls.cfg changed: {} profile(s) reloaded; new handshakes use them", count(profiles));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("tls: a changed file does not load ({}); the previous profiles stay", e.getMessage());
            // remember the new stamps so the error is logged once per change
            Map<Path, FileTime> stamps = new LinkedHashMap<>(now.files());
            stamps.replaceAll((f, t) -> {
                try {
                    return stamp(f);
                } catch (IOException ex) {
                    return t;
                }
            });
            profiles = new Profiles(now.servers(), now.clients(), Map.copyOf(stamps), now.loaded());
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public TlsProfile server(InetSocketAddress local, String serverName) {
        Profiles p = profiles;
        String address = address(local);
        if (serverName != null) {
            for (Map.Entry<String, ProfileBuilder.Built> e : p.servers().entrySet()) {
                int hash = e.getKey().indexOf('#');
                if (hash >= 0 && e.getKey().substring(hash + 1).equalsIgnoreCase(serverName)
                        && (e.getKey().startsWith(address + "#") || e.getKey().startsWith("default#"))) {
                    return e.getValue().profile();
                }
            }
        }
        ProfileBuilder.Built b = p.servers().get(address);
        if (b == null) {
            b = p.servers().get("default");
        }
        return b == null ? null : b.profile();
    }

    @Override
    public TlsProfile client(InetSocketAddress remote, String serverName) {
        Profiles p = profiles;
        ProfileBuilder.Built b = p.clients().get(address(remote));
        if (b == null) {
            b = p.clients().get("default");
        }
        return b == null ? null : b.profile();
    }

    /** A section's {@code IP:PORT} written as {@link #address} writes a socket's ({@code [::1]} becomes the full form). */
    static String normalised(TlsConfigFile.Section s) throws GeneralSecurityException {
        String a = s.address();
        int colon = a.lastIndexOf(':');
        try {
            String host = a.substring(0, colon).replace("[", "").replace("]", "");
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException(host); // a name: never resolved here
            }
            return address(new InetSocketAddress(java.net.InetAddress.getByName(host), Integer.parseInt(a.substring(colon + 1))));
        } catch (RuntimeException | java.net.UnknownHostException e) {
            throw new GeneralSecurityException("tls.cfg section [" + s.name() + "] (line " + s.line()
                    + "): the address is not IP:PORT (an IPv6 address in brackets)");
        }
    }

    /** {@code IP:PORT} as tls.cfg writes it ({@code [IPv6]:PORT}). */
    static String address(InetSocketAddress a) {
        String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    @Override
    public List<org.siphon.core.pv.PseudoVariableExport> pseudoVariables() {
        return variables.exports();
    }

    @Override
    public List<org.siphon.core.function.FunctionExport> functions() {
        return List.of(org.siphon.core.function.FunctionExport.builder("is_peer_verified", MODULE).args(0)
                .routes(java.util.EnumSet.allOf(org.siphon.core.function.RouteType.class))
                .description("1 when the message came over TLS from a peer whose certificate was presented and verified, else -1.")
                .handler((ctx, args) -> {
                    javax.net.ssl.SSLSession s = variables.session(ctx);
                    return s != null && TlsVariables.peer(s) != null ? 1 : -1;
                }).build());
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(
                new RpcCommand("tls.reload", MODULE, "", "Loads the certificates, keys and tls.cfg again; new handshakes use them.",
                        params -> {
                            try {
                                profiles = load(config);
                            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                                throw new RpcException(500, "not reloaded, the previous profiles stay: " + e.getMessage());
                            }
                            return Map.of("profiles", count(profiles), "loaded", profiles.loaded().toString());
                        }),
                new RpcCommand("tls.info", MODULE, "", "The TLS profiles: name, certificate subject and expiry, rules, files; "
                        + "open connections.", params -> {
                            Map<String, Object> m = new LinkedHashMap<>(info(profiles));
                            m.put("opened_connections", live.get().size());
                            return m;
                        }),
                new RpcCommand("tls.list", MODULE, "", "The live TLS connections (WSS too): id, profile, SNI, opened, timeout, "
                        + "addresses, version, cipher, state.", params -> TlsRpc.list(live.get())),
                new RpcCommand("tls.options", MODULE, "", "The tls module's parameters.", params -> TlsRpc.options(config)));
    }

    /** The core's live TLS connections (empty until the core hands them over). */
    private volatile java.util.function.Supplier<List<org.siphon.core.tls.TlsConnection>> live = List::of;

    @Override
    public void connections(java.util.function.Supplier<List<org.siphon.core.tls.TlsConnection>> connections) {
        this.live = connections;
    }

    static Map<String, Object> info(Profiles p) {
        List<Object> list = new ArrayList<>();
        for (Map<String, ProfileBuilder.Built> side : List.of(p.servers(), p.clients())) {
            for (ProfileBuilder.Built b : side.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.profile().name());
                m.put("subject", b.certificate() == null ? "" : b.certificate().getSubjectX500Principal().getName());
                m.put("not_after", b.certificate() == null ? "" : b.certificate().getNotAfter().toInstant().toString());
                m.put("verify_certificate", b.profile().verifyPeer());
                m.put("require_certificate", b.profile().requirePeerCertificate());
                m.put("protocols", b.profile().protocols().isEmpty() ? "JDK default" : String.join(",", b.profile().protocols()));
                m.put("files", b.files().stream().map(Path::toString).toList());
                list.add(m);
            }
        }
        return Map.of("loaded", p.loaded().toString(), "profiles", list);
    }
}
