package org.siphon.core.internal.module;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.siphon.core.module.ModuleException;
import org.siphon.core.module.ModuleException.Reason;

/** What the module service reads off a jar before the framework sees it: where it is, and the module it holds. */
final class ModuleJars {

    private ModuleJars() {
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
        String name = moduleHeaderIn(uri);
        if (name == null) {
            throw new ModuleException(Reason.BAD_BUNDLE, uri + " is not a Siphon module (no " + ModuleServiceImpl.MODULE_HEADER
                    + " header); library bundles go into deploy/");
        }
        return name;
    }

    /** The jar's module name, or null for a bundle that is not a module; refused when it is no bundle. */
    static String moduleHeaderIn(String uri) throws ModuleException {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(URI.create(uri).toURL().openStream())) {
            manifest = jar.getManifest();
        } catch (IOException | IllegalArgumentException e) {
            throw new ModuleException(Reason.BAD_BUNDLE, "cannot read " + uri + " as a jar: " + e.getMessage(), e);
        }
        if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
            throw new ModuleException(Reason.BAD_BUNDLE, uri + " is not an OSGi bundle (no Bundle-SymbolicName)");
        }
        String name = manifest.getMainAttributes().getValue(ModuleServiceImpl.MODULE_HEADER);
        return name == null || name.isBlank() ? null : name.trim();
    }

}
