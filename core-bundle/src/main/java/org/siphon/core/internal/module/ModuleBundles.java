package org.siphon.core.internal.module;

import java.util.List;
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
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return List.of();
        }
        return wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(w -> w.getRequirerWiring().getBundle()).filter(b -> b != bundle).distinct()
                .map(b -> b.getSymbolicName() + " (" + b.getBundleId() + ")").toList();
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
