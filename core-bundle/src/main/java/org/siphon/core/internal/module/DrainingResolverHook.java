package org.siphon.core.internal.module;

import java.util.Collection;
import java.util.function.LongPredicate;

import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Keeps bundles that resolve while a module drains off the draining version: a package (or
 * Require-Bundle) the draining bundle exports is offered to other bundles only when nothing else
 * exports it. Without this the resolver prefers the old, already resolved exporter, and a fresh
 * copy of a dependent module (installed beside it when its provider is updated) would wire to the
 * version that is about to go.
 */
final class DrainingResolverHook implements ResolverHookFactory {

    private final LongPredicate draining;

    DrainingResolverHook(LongPredicate draining) {
        this.draining = draining;
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                String namespace = requirement.getNamespace();
                if (!PackageNamespace.PACKAGE_NAMESPACE.equals(namespace) && !BundleNamespace.BUNDLE_NAMESPACE.equals(namespace)) {
                    return;
                }
                long requirer = requirement.getRevision().getBundle().getBundleId();
                boolean alternative = candidates.stream().anyMatch(c -> !hidden(c, requirer));
                if (alternative) {
                    candidates.removeIf(c -> hidden(c, requirer));
                }
            }

            @Override
            public void end() {
            }
        };
    }

    private boolean hidden(BundleCapability capability, long requirer) {
        long provider = capability.getRevision().getBundle().getBundleId();
        return provider != requirer && draining.test(provider);
    }
}
