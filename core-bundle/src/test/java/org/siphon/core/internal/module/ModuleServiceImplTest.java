package org.siphon.core.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.module.ModuleException;

class ModuleServiceImplTest {

    @TempDir
    Path dir;

    private Path jar(String name, String... headers) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            m.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return p;
    }

    @Test
    void readsTheModuleNameFromTheManifest() throws Exception {
        Path p = jar("tm.jar", "Bundle-SymbolicName", "org.siphon.module.tm", "Siphon-Module", " tm ");
        assertEquals("tm", ModuleJars.moduleNameIn(ModuleJars.toUri(p.toString())));
    }

    @Test
    void refusesPlainJarsAndBundlesThatAreNotModules() throws Exception {
        Path plain = jar("plain.jar");
        ModuleException e = assertThrows(ModuleException.class,
                () -> ModuleJars.moduleNameIn(ModuleJars.toUri(plain.toString())));
        assertEquals(ModuleException.Reason.BAD_BUNDLE, e.reason());
        assertTrue(e.getMessage().contains("not an OSGi bundle"));
        Path lib = jar("lib.jar", "Bundle-SymbolicName", "some.lib");
        e = assertThrows(ModuleException.class, () -> ModuleJars.moduleNameIn(ModuleJars.toUri(lib.toString())));
        assertTrue(e.getMessage().contains("not a Siphon module"));
        Path text = Files.writeString(dir.resolve("x.jar"), "not a zip");
        assertThrows(ModuleException.class, () -> ModuleJars.moduleNameIn(ModuleJars.toUri(text.toString())));
    }

    @Test
    void missingFilesAreNotFound() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> ModuleJars.toUri(dir.resolve("none.jar").toString()));
        assertEquals(ModuleException.Reason.NOT_FOUND, e.reason());
        assertThrows(ModuleException.class, () -> ModuleJars.toUri(" "));
    }

    @Test
    void urlsAreKeptAsTheyAre() throws Exception {
        assertEquals("https://example.invalid/x.jar", ModuleJars.toUri("https://example.invalid/x.jar"));
    }
}
