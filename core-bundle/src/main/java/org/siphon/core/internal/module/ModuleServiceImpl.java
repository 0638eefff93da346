package org.siphon.core.internal.module;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.internal.registry.PublishedModules;
import org.siphon.core.module.ModuleException;
import org.siphon.core.module.ModuleException.Reason;
import org.siphon.core.module.ModuleInfo;
import org.siphon.core.module.ModuleService;
import org.siphon.core.module.ModuleUsage;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.rpc.RpcRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModuleService} over the OSGi framework. A module is a bundle with a {@code Siphon-Module}
 * manifest header naming it. An update installs the new jar beside the running bundle (under the
 * old location plus {@code #siphon-update-N}; {@code org.osgi.framework.bsnversion=multiple} lets
 * both carry the same name and version), starts it, and once its exports are in the registries
 * (where the newest export of a name is the visible one) lets the old bundle drain its work
 * ({@link SiphonModule#inFlight()}) before it is removed: no script call ever finds no export.
 * While an old version drains, {@link #find} returns the new one and {@link #list} shows both,
 * the old one {@code draining}. Changes are serialized.
 */
@Component
public class ModuleServiceImpl implements ModuleService {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleServiceImpl.class);

    /** The manifest header that makes a bundle a Siphon module; its value is the module name. */
    public static final String MODULE_HEADER = "Siphon-Module";
    static final String CORE = "core";
    private static final long REFRESH_TIMEOUT_SECONDS = 30;

    @Reference
    private FunctionRegistry functions;
    @Reference
    private PseudoVariableRegistry pseudoVariables;
    @Reference
    private RpcRegistry rpcCommands;
    /** Tells when a module's exports are in the registries; null in unit tests. */
    @Reference
    private PublishedModules published;

    static final String UPDATE_MARK = "#siphon-update-";
    private static final long START_TIMEOUT_MILLIS = 15_000;
    private static final long DRAIN_POLL_MILLIS = 50;

    private final List<ModuleUsage> usages = new CopyOnWriteArrayList<>();
    private final Set<Long> draining = ConcurrentHashMap.newKeySet();
    /** Serializes install, update, uninstall and the end of a drain. */
    private final Object changes = new Object();
    private ExecutorService drainer;
    private BundleContext context;
    private ServiceRegistration<ResolverHookFactory> resolverHook;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        resolverHook = context.registerService(ResolverHookFactory.class,
                new DrainingResolverHook(draining::contains), null);
        drainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "siphon-module-drain");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        drainer.shutdownNow();
        resolverHook.unregister();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUsage(ModuleUsage usage) {
        usages.add(usage);
    }

    void removeUsage(ModuleUsage usage) {
        usages.remove(usage);
    }

    @Override
    public List<ModuleInfo> list() {
        return moduleBundles()
                .map(this::infoUnlessGone)
                .filter(java.util.Objects::nonNull)
                .sorted(Comparator.comparing(ModuleInfo::name).thenComparing(ModuleInfo::bundleId))
                .toList();
    }

    @Override
    public Optional<ModuleInfo> find(String name) {
        return bundleOf(name).map(this::info);
    }

    @Override
    public ModuleInfo install(String location) throws ModuleException {
        synchronized (changes) {
            return doInstall(location);
        }
    }

    private ModuleInfo doInstall(String location) throws ModuleException {
        String uri = ModuleJars.toUri(location);
        String name = ModuleJars.moduleNameIn(uri);
        Optional<Bundle> existing = bundleOf(name);
        if (existing.isPresent()) {
            throw new ModuleException(Reason.CONFLICT, "module " + name + " is already installed (bundle "
                    + existing.get().getBundleId() + "); use module.update to replace it");
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(uri);
        } catch (BundleException e) {
            throw new ModuleException(Reason.BAD_BUNDLE, "cannot install " + location + ": " + e.getMessage(), e);
        }
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            LOG.warn("module {} from {} does not start, removing it again: {}", name, location, e.getMessage());
            uninstallQuietly(bundle);
            throw new ModuleException(Reason.BAD_BUNDLE, "module " + name + " does not start: " + e.getMessage(), e);
        }
        LOG.info("installed module {} from {} as bundle {}", name, location, bundle.getBundleId());
        return info(bundle);
    }

    @Override
    public ModuleInfo uninstall(String name, boolean force) throws ModuleException {
        synchronized (changes) {
            return doUninstall(name, force);
        }
    }

    private ModuleInfo doUninstall(String name, boolean force) throws ModuleException {
        Bundle bundle = require(name);
        Optional<String> user = checkRemovable(name, "remove", force);
        ModuleInfo before = info(bundle);
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            throw new ModuleException(Reason.FAILED, "cannot remove module " + name + ": " + e.getMessage(), e);
        }
        refresh(bundle);
        LOG.info("removed module {} (bundle {}){}", name, before.bundleId(), user.isPresent() ? " by force" : "");
        return new ModuleInfo(before.name(), before.bundle(), before.version(), before.bundleId(), "uninstalled",
                before.location(), false, 0, 0, 0);
    }

    /** Refuses to take away the core, or a module the script uses (unless forced); names the user when forced. */
    private Optional<String> checkRemovable(String name, String verb, boolean force) throws ModuleException {
        if (CORE.equals(name)) {
            throw new ModuleException(Reason.IN_USE, "the core cannot be " + (verb.equals("stop") ? "stopped" : "removed"));
        }
        Optional<String> user = usedBy(name);
        if (user.isPresent() && !force) {
            throw new ModuleException(Reason.IN_USE, "module " + name + " is used by " + user.get() + "; " + verb
                    + " it with force (its calls then answer 503), or load a script that does not need it first");
        }
        return user;
    }

    @Override
    public ModuleInfo stop(String name, boolean force) throws ModuleException {
        synchronized (changes) {
            Bundle bundle = require(name);
            Optional<String> user = checkRemovable(name, "stop", force);
            try {
                bundle.stop();
            } catch (BundleException | IllegalStateException e) {
                throw new ModuleException(Reason.FAILED, "cannot stop module " + name + ": " + e.getMessage(), e);
            }
            LOG.info("stopped module {} (bundle {}){}", name, bundle.getBundleId(), user.isPresent() ? " by force" : "");
            return info(bundle);
        }
    }

    @Override
    public ModuleInfo start(String name) throws ModuleException {
        synchronized (changes) {
            Bundle bundle = require(name);
            if (bundle.getState() == Bundle.ACTIVE && exporting(bundle)) {
                return info(bundle);
            }
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                throw new ModuleException(Reason.BAD_BUNDLE, "module " + name + " does not start: " + e.getMessage(), e);
            }
            if (!awaitExporting(bundle)) {
                throw new ModuleException(Reason.FAILED, "module " + name + " started but did not publish its exports within "
                        + START_TIMEOUT_MILLIS / 1000 + " s (a missing service or parameter?)");
            }
            LOG.info("started module {} (bundle {})", name, bundle.getBundleId());
            return info(bundle);
        }
    }

    @Override
    public ModuleInfo update(String name, String location) throws ModuleException {
        synchronized (changes) {
            return doUpdate(name, location);
        }
    }

    private ModuleInfo doUpdate(String name, String location) throws ModuleException {
        Bundle old = require(name);
        if (CORE.equals(name)) {
            throw new ModuleException(Reason.IN_USE, "the core is updated by restarting the server");
        }
        String source = location == null || location.isBlank() ? ModuleBundles.sourceOf(old) : ModuleJars.toUri(location);
        String newName = ModuleJars.moduleNameIn(source);
        if (!newName.equals(name)) {
            throw new ModuleException(Reason.BAD_BUNDLE, source + " holds module " + newName + ", not " + name);
        }
        Bundle fresh = startBeside(name, old, source);
        draining.add(old.getBundleId());
        LOG.info("module {}: version {} (bundle {}) took over from bundle {}, which drains", name, fresh.getVersion(),
                fresh.getBundleId(), old.getBundleId());
        // the old copies leave users first (presence_xml before presence), the provider last:
        // a bundle refreshed while another still imports from it would restart that one
        List<Bundle> leaving = new ArrayList<>(moveDependents(name, old));
        java.util.Collections.reverse(leaving);
        leaving.add(old);
        if (leaving.stream().allMatch(b -> inFlight(b) == 0)) {
            leaving.forEach(this::retire); // nothing to wait for: done before the answer
        } else {
            drainer.execute(() -> leaving.forEach(this::retire));
        }
        return info(fresh);
    }

    /** Installs the module's jar from {@code source} beside {@code old} and waits until its exports are visible. */
    private Bundle startBeside(String name, Bundle old, String source) throws ModuleException {
        byte[] jar;
        try (InputStream in = URI.create(source).toURL().openStream()) {
            jar = in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            throw new ModuleException(Reason.BAD_BUNDLE, "cannot read " + source + ": " + e.getMessage(), e);
        }
        Bundle fresh;
        try {
            fresh = context.installBundle(source + UPDATE_MARK + System.nanoTime(), new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            throw new ModuleException(Reason.BAD_BUNDLE, "cannot install " + source + ": " + e.getMessage(), e);
        }
        try {
            fresh.start();
        } catch (BundleException | RuntimeException e) {
            uninstallQuietly(fresh);
            refresh(fresh);
            throw new ModuleException(Reason.BAD_BUNDLE, "the new version of " + name + " does not start ("
                    + e.getMessage() + "); version " + old.getVersion() + " keeps running", e);
        }
        if (!awaitExporting(fresh)) {
            uninstallQuietly(fresh);
            refresh(fresh);
            throw new ModuleException(Reason.FAILED, "the new version of " + name + " did not publish its exports within "
                    + START_TIMEOUT_MILLIS / 1000 + " s (a missing service or parameter?); version " + old.getVersion()
                    + " keeps running");
        }
        return fresh;
    }

    /**
     * The modules importing packages of {@code old} (tm's, registrar's ...) would restart when it
     * leaves, their functions answering 503 meanwhile. Each gets a fresh copy beside it instead,
     * wired to the new provider ({@link DrainingResolverHook} hides the draining one), and drains
     * like an updated module. A dependent whose copy does not start restarts with the provider, as
     * a bundle that is no module does.
     */
    private List<Bundle> moveDependents(String provider, Bundle old) {
        List<Bundle> moved = new ArrayList<>();
        for (Bundle user : ModuleBundles.dependentModules(old, b -> draining.contains(b.getBundleId()))) {
            String name = ModuleBundles.moduleName(user);
            try {
                Bundle fresh = startBeside(name, user, ModuleBundles.sourceOf(user));
                draining.add(user.getBundleId());
                moved.add(user);
                LOG.info("module {}: imports from {}: bundle {} took over from bundle {} on the new {}, the old one drains",
                        name, provider, fresh.getBundleId(), user.getBundleId(), provider);
            } catch (ModuleException | RuntimeException e) {
                LOG.warn("module {}: imports from {} but no copy of it starts beside ({}): it restarts with the old {}",
                        name, provider, e.getMessage(), provider);
            }
        }
        return moved;
    }

    /** Waits until the old bundle's work has ended (or its drain limit passed), then removes it. */
    private void retire(Bundle old) {
        String name = ModuleBundles.moduleName(old);
        long t0 = System.nanoTime();
        int left = 0;
        long limit = 0;
        ServiceReference<SiphonModule> ref = ModuleBundles.moduleService(old);
        SiphonModule module = ref == null ? null : context.getService(ref);
        try {
            if (module != null) {
                limit = module.drainLimitMillis();
                while ((left = module.inFlight()) > 0 && elapsedMillis(t0) < limit) {
                    Thread.sleep(DRAIN_POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("module {}: bundle {} failed to report its work in flight: stopping it now", name,
                    old.getBundleId(), e);
        } finally {
            if (module != null) {
                context.ungetService(ref);
            }
        }
        synchronized (changes) {
            List<String> users = ModuleBundles.dependents(old);
            if (!users.isEmpty()) {
                LOG.warn("module {}: bundles {} import packages of the old bundle {}: they restart with it "
                        + "(their functions answer 503 meanwhile)", name, users, old.getBundleId());
            }
            try {
                old.uninstall();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("module {}: cannot remove the old bundle {}", name, old.getBundleId(), e);
            }
            draining.remove(old.getBundleId());
            refresh(old);
        }
        if (left > 0) {
            LOG.warn("module {}: old bundle {} (version {}) stopped at its drain limit of {} ms with {} in flight",
                    name, old.getBundleId(), old.getVersion(), limit, left);
        } else {
            LOG.info("module {}: old bundle {} (version {}) drained in {} ms and removed", name, old.getBundleId(),
                    old.getVersion(), elapsedMillis(t0));
        }
    }

    private int inFlight(Bundle bundle) {
        ServiceReference<SiphonModule> ref = ModuleBundles.moduleService(bundle);
        SiphonModule module = ref == null ? null : context.getService(ref);
        if (module == null) {
            return 0;
        }
        try {
            return module.inFlight();
        } catch (RuntimeException e) {
            return 0;
        } finally {
            context.ungetService(ref);
        }
    }

    private static long elapsedMillis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private boolean awaitExporting(Bundle bundle) {
        long t0 = System.nanoTime();
        try {
            while (!exporting(bundle)) {
                if (elapsedMillis(t0) > START_TIMEOUT_MILLIS || bundle.getState() != Bundle.ACTIVE) {
                    return false;
                }
                Thread.sleep(10);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Bundle require(String name) throws ModuleException {
        return bundleOf(name).orElseThrow(() -> new ModuleException(Reason.NOT_FOUND,
                "no module named " + name + " is installed (module.list shows them)"));
    }

    private Optional<String> usedBy(String name) {
        for (ModuleUsage usage : usages) {
            Set<String> inUse = usage.modulesInUse();
            if (inUse.contains(name)) {
                List<String> where = usage.usesOf(name);
                return Optional.of(usage.reason() + (where.isEmpty() ? "" : " at " + String.join(", ", where)));
            }
        }
        return Optional.empty();
    }

    private Stream<Bundle> moduleBundles() {
        return Stream.of(context.getBundles()).filter(b -> ModuleBundles.moduleName(b) != null);
    }

    /** The current bundle of the module: not draining, then highest version, then latest installed. */
    private Optional<Bundle> bundleOf(String name) {
        return moduleBundles().filter(b -> name.equals(ModuleBundles.moduleName(b)))
                .max(Comparator.comparing((Bundle b) -> !draining.contains(b.getBundleId()))
                        .thenComparing(Bundle::getVersion).thenComparing(Bundle::getBundleId));
    }

    /** The bundle's info, or null when it was uninstalled meanwhile (an old version leaving after an update). */
    private ModuleInfo infoUnlessGone(Bundle bundle) {
        try {
            return info(bundle);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private ModuleInfo info(Bundle bundle) {
        String name = ModuleBundles.moduleName(bundle);
        boolean exporting = exporting(bundle);
        return new ModuleInfo(name, bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(),
                draining.contains(bundle.getBundleId()) ? "draining" : ModuleBundles.stateName(bundle.getState()),
                bundle.getLocation(), exporting,
                exporting ? functions.ofModule(name).size() : 0,
                exporting ? pseudoVariables.ofModule(name).size() : 0,
                exporting ? rpcCommands.ofModule(name).size() : 0);
    }

    /** The bundle's module service is registered and its exports are in the registries (listeners told). */
    private boolean exporting(Bundle bundle) {
        return ModuleBundles.moduleService(bundle) != null && (published == null || published.contains(bundle.getBundleId()));
    }

    /** Drops the old class space of a removed or updated bundle and waits until the framework is done. */
    private void refresh(Bundle bundle) {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("refreshing after a change of bundle {} did not finish within {} s", bundle.getBundleId(),
                        REFRESH_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("cannot remove bundle {} after a failed start", bundle.getBundleId(), e);
        }
    }
}
