package org.siphon.core.internal.module;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.module.ModuleException;
import org.siphon.core.module.ModuleService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot deploy: watches {@code deploy/} (framework property {@code siphon.deploy.dir}) every
 * {@code siphon.deploy.poll} ms. A new module jar is installed through the {@link ModuleService};
 * a module jar replaced by a newer one is updated through it, without a gap (the new version
 * beside the old, which drains); a removed one is uninstalled (by force: calls of the routing
 * script then answer 503, as after {@code module.uninstall NAME 1}). Other bundles (libraries)
 * are installed, updated and removed as they are. A file is taken once its size and time stay
 * the same for one poll, so a jar still being copied is never read half-written.
 *
 * <p>FileInstall, which used to do this, updates a bundle in place (stop, replace, start): for a
 * module the script calls, that is a gap in which its calls answer 503. It still loads
 * {@code config/}.
 */
@Component(immediate = true)
public class DeployWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DeployWatcher.class);

    /** What was seen of a file at the last poll, and what was made of it. */
    private static final class Seen {
        long size;
        long modified;
        /** Size and time acted on; -1 while waiting for the file to settle. */
        long doneSize = -1;
        long doneModified = -1;
        String module;
        Bundle library;
    }

    @Reference
    private ModuleService modules;

    private final Map<Path, Seen> seen = new HashMap<>();
    private final CountDownLatch firstScan = new CountDownLatch(1);
    private ScheduledExecutorService poller;
    private BundleContext context;
    private Path dir;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String d = context.getProperty("siphon.deploy.dir");
        dir = Paths.get(d == null || d.isBlank() ? "deploy" : d).toAbsolutePath().normalize();
        long poll = parse(context.getProperty("siphon.deploy.poll"), 1000);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "siphon-deploy");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, poll, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }

    /** {@code bin/siphon -c}: waits until the jars present at start are installed (at most {@code millis}). */
    public boolean awaitFirstScan(long millis) throws InterruptedException {
        return firstScan.await(millis, TimeUnit.MILLISECONDS);
    }

    private static long parse(String v, long dflt) {
        try {
            return v == null ? dflt : Math.max(100, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void poll() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("deploy: scan of {} failed: {}", dir, e.toString());
        }
        firstScan.countDown();
    }

    private void scan() {
        Map<Path, BasicFileAttributes> now = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                for (Path p : jars) {
                    now.put(p, Files.readAttributes(p, BasicFileAttributes.class));
                }
            } catch (IOException e) {
                LOG.warn("deploy: cannot read {}: {}", dir, e.getMessage());
                return;
            }
        }
        boolean first = firstScan.getCount() > 0;
        for (Map.Entry<Path, BasicFileAttributes> e : now.entrySet()) {
            Seen s = seen.computeIfAbsent(e.getKey(), k -> new Seen());
            long size = e.getValue().size();
            long modified = e.getValue().lastModifiedTime().toMillis();
            boolean settled = (size == s.size && modified == s.modified)
                    || (first && modified < System.currentTimeMillis() - 2_000);
            s.size = size;
            s.modified = modified;
            if (settled && (size != s.doneSize || modified != s.doneModified)) {
                s.doneSize = size;
                s.doneModified = modified;
                apply(e.getKey(), s);
            }
        }
        for (Path gone : List.copyOf(seen.keySet())) {
            if (!now.containsKey(gone)) {
                remove(gone, seen.remove(gone));
            }
        }
    }

    private void apply(Path jar, Seen s) {
        String uri = jar.toUri().toString();
        try {
            String name = ModuleJars.moduleHeaderIn(uri);
            if (name != null) {
                if (s.module != null && modules.find(s.module).isPresent()) {
                    modules.update(s.module, jar.toString());
                    LOG.info("deploy: {} replaced, module {} updated", jar.getFileName(), s.module);
                } else {
                    s.module = modules.install(jar.toString()).name();
                }
            } else if (s.library != null && s.library.getState() != Bundle.UNINSTALLED) {
                s.library.update();
                refresh(s.library);
                LOG.info("deploy: {} replaced, bundle {} updated", jar.getFileName(), s.library.getBundleId());
            } else {
                s.library = context.installBundle(uri);
                if (s.library.getHeaders("").get("Fragment-Host") == null) {
                    s.library.start();
                }
                LOG.info("deploy: installed bundle {} from {}", s.library.getBundleId(), jar.getFileName());
            }
        } catch (ModuleException | BundleException | RuntimeException e) {
            LOG.error("deploy: {} not taken: {}", jar.getFileName(), e.getMessage());
        }
    }

    private void remove(Path jar, Seen s) {
        try {
            if (s.module != null && modules.find(s.module).isPresent()) {
                modules.uninstall(s.module, true); // the operator took the jar away: as FileInstall did, it goes
                LOG.info("deploy: {} removed, module {} uninstalled", jar.getFileName(), s.module);
            } else if (s.library != null && s.library.getState() != Bundle.UNINSTALLED) {
                s.library.uninstall();
                refresh(s.library);
                LOG.info("deploy: {} removed, bundle {} uninstalled", jar.getFileName(), s.library.getBundleId());
            }
        } catch (ModuleException e) {
            LOG.error("deploy: {} removed but module {} cannot be uninstalled: {}", jar.getFileName(), s.module, e.getMessage());
        } catch (BundleException | RuntimeException e) {
            LOG.error("deploy: {} removed, but its bundle cannot be uninstalled: {}", jar.getFileName(), e.getMessage());
        }
    }

    private void refresh(Bundle b) {
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b));
    }
}
