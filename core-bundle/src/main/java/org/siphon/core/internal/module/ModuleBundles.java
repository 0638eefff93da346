package org.siphon.core.internal.module;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.siphon.core.module.SiphonModule;

/** What the module service reads off a bundle: its module name, where it came from, its module service, its state, its dependents. */
final class ModuleBundles {

    private ModuleBundles() {
    }


    /** Other bundles wired to packages {@code bundle} exports: a refresh of it restarts them. */
    static List<String> dependents(Bundle bundle) {
        return wiredTo(bundle).stream().map(b -> b.getSymbolicName() + " (" + b.getBundleId() + ")").toList();
    }

    /**
     * The modules that a refresh of {@code provider} would restart: those wired to its packages, and
     * those wired to them, and so on; each after the modules of this set it imports from, so that
     * fresh copies installed in this order each find their providers' fresh copies.
     */
    static List<Bundle> dependentModules(Bundle provider, Predicate<Bundle> skip) {
        Set<Bundle> closure = new LinkedHashSet<>();
        List<Bundle> todo = new ArrayList<>(List.of(provider));
        while (!todo.isEmpty()) {
            for (Bundle user : wiredTo(todo.remove(0))) {
                if (user != provider && moduleName(user) != null && !skip.test(user) && closure.add(user)) {
                    todo.add(user);
                }
            }
        }
        List<Bundle> order = new ArrayList<>();
        while (order.size() < closure.size()) {
            int before = order.size();
            for (Bundle b : closure) {
                if (!order.contains(b) && closure.stream().filter(p -> p != b && !order.contains(p))
                        .noneMatch(p -> wiredTo(p).contains(b))) {
                    order.add(b);
                }
            }
            if (order.size() == before) { // a cycle: the rest in any order
                closure.stream().filter(b -> !order.contains(b)).forEach(order::add);
            }
        }
        return order;
    }

    private static List<Bundle> wiredTo(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return List.of();
        }
        return wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(w -> w.getRequirerWiring().getBundle()).filter(b -> b != bundle).distinct().toList();
    }

    /** Where a bundle's jar came from: its location, without the mark an update adds. */
    static String sourceOf(Bundle bundle) {
        String location = bundle.getLocation();
        int mark = location.indexOf(ModuleServiceImpl.UPDATE_MARK);
        return mark < 0 ? location : location.substring(0, mark);
    }

    static String moduleName(Bundle bundle) {
        String name;
        try {
            name = bundle.getHeaders("").get(ModuleServiceImpl.MODULE_HEADER);
        } catch (IllegalStateException e) {
            return null; // uninstalled meanwhile (an old version leaving after an update): no longer a module
        }
        return name == null || name.isBlank() ? null : name.trim();
    }

    @SuppressWarnings("unchecked")
    static ServiceReference<SiphonModule> moduleService(Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return null;
        }
        for (ServiceReference<?> ref : refs) {
            for (String type : (String[]) ref.getProperty("objectClass")) {
                if (SiphonModule.class.getName().equals(type)) {
                    return (ServiceReference<SiphonModule>) ref;
                }
            }
        }
        return null;
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
}
