package org.siphon.core.internal.module;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.siphon.core.function.FunctionRegistry;
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
 * manifest header naming it; while several versions of one module are installed (an update
 * draining), {@link #find} returns the newest.
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

    private final List<ModuleUsage> usages = new CopyOnWriteArrayList<>();
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
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
                .map(this::info)
                .sorted(Comparator.comparing(ModuleInfo::name).thenComparing(ModuleInfo::bundleId))
                .toList();
    }

    @Override
    public Optional<ModuleInfo> find(String name) {
        return bundleOf(name).map(this::info);
    }

    @Override
    public ModuleInfo install(String location) throws ModuleException {
        String uri = toUri(location);
        String name = moduleNameIn(uri);
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
        Bundle bundle = require(name);
        if (CORE.equals(name)) {
            throw new ModuleException(Reason.IN_USE, "the core cannot be removed");
        }
        Optional<String> user = usedBy(name);
        if (user.isPresent() && !force) {
            throw new ModuleException(Reason.IN_USE, "module " + name + " is used by " + user.get()
                    + "; remove it with force, or load a script that does not need it first");
        }
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

    @Override
    public ModuleInfo update(String name, String location) throws ModuleException {
        Bundle bundle = require(name);
        if (CORE.equals(name)) {
            throw new ModuleException(Reason.IN_USE, "the core is updated by restarting the server");
        }
        try {
            if (location == null || location.isBlank()) {
                bundle.update();
            } else {
                String uri = toUri(location);
                String newName = moduleNameIn(uri);
                if (!newName.equals(name)) {
                    throw new ModuleException(Reason.BAD_BUNDLE, location + " holds module " + newName + ", not " + name);
                }
                try (InputStream in = new URL(uri).openStream()) {
                    bundle.update(in);
                }
            }
        } catch (BundleException | IOException | IllegalStateException e) {
            throw new ModuleException(Reason.FAILED, "cannot update module " + name + ": " + e.getMessage(), e);
        }
        refresh(bundle);
        LOG.info("updated module {} (bundle {}) to version {}", name, bundle.getBundleId(), bundle.getVersion());
        return info(bundle);
    }

    private Bundle require(String name) throws ModuleException {
        return bundleOf(name).orElseThrow(() -> new ModuleException(Reason.NOT_FOUND,
                "no module named " + name + " is installed (module.list shows them)"));
    }

    private Optional<String> usedBy(String name) {
        for (ModuleUsage usage : usages) {
            Set<String> inUse = usage.modulesInUse();
            if (inUse.contains(name)) {
                return Optional.of(usage.reason());
            }
        }
        return Optional.empty();
    }

    private Stream<Bundle> moduleBundles() {
        return Stream.of(context.getBundles()).filter(b -> moduleName(b) != null);
    }

    /** The newest bundle of the module: highest version, then latest installed. */
    private Optional<Bundle> bundleOf(String name) {
        return moduleBundles().filter(b -> name.equals(moduleName(b)))
                .max(Comparator.comparing(Bundle::getVersion).thenComparing(Bundle::getBundleId));
    }

    static String moduleName(Bundle bundle) {
        String name = bundle.getHeaders("").get(MODULE_HEADER);
        return name == null || name.isBlank() ? null : name.trim();
    }

    private ModuleInfo info(Bundle bundle) {
        String name = moduleName(bundle);
        boolean exporting = exporting(bundle);
        return new ModuleInfo(name, bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(),
                stateName(bundle.getState()), bundle.getLocation(), exporting,
                exporting ? functions.ofModule(name).size() : 0,
                exporting ? pseudoVariables.ofModule(name).size() : 0,
                exporting ? rpcCommands.ofModule(name).size() : 0);
    }

    private static boolean exporting(Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return false;
        }
        for (ServiceReference<?> ref : refs) {
            for (String type : (String[]) ref.getProperty("objectClass")) {
                if (SiphonModule.class.getName().equals(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> "unknown(" + state + ")";
        };
    }

    /** A path becomes a {@code file:} URI; anything with a scheme of two letters or more is kept. */
    static String toUri(String location) throws ModuleException {
        if (location == null || location.isBlank()) {
            throw new ModuleException(Reason.BAD_BUNDLE, "no jar given");
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            return location;
        }
        Path path = Paths.get(location).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new ModuleException(Reason.NOT_FOUND, "no such file: " + path);
        }
        return path.toUri().toString();
    }

    /** Reads the jar's manifest before the framework sees it: Felix would take a plain jar as an empty bundle. */
    static String moduleNameIn(String uri) throws ModuleException {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(URI.create(uri).toURL().openStream())) {
            manifest = jar.getManifest();
        } catch (IOException | IllegalArgumentException e) {
            throw new ModuleException(Reason.BAD_BUNDLE, "cannot read " + uri + " as a jar: " + e.getMessage(), e);
        }
        if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
            throw new ModuleException(Reason.BAD_BUNDLE, uri + " is not an OSGi bundle (no Bundle-SymbolicName)");
        }
        String name = manifest.getMainAttributes().getValue(MODULE_HEADER);
        if (name == null || name.isBlank()) {
            throw new ModuleException(Reason.BAD_BUNDLE, uri + " is not a Siphon module (no " + MODULE_HEADER
                    + " header); library bundles go into deploy/");
        }
        return name.trim();
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
