package org.siphon.core.internal.shell;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.internal.module.ModuleServiceImpl;
import org.siphon.core.module.ModuleException;
import org.siphon.core.module.ModuleService;

/**
 * Felix's own {@code update}, {@code stop} and {@code uninstall} commands, taken over for module
 * bundles: registered in scope {@code felix} with a higher service ranking than Felix's, so that
 * {@code update 42} (or {@code felix:update 42}) of a module goes through the module service —
 * the new version beside the old one, no gap, the old one drained — and {@code stop}/{@code uninstall}
 * of a module the routing script calls are refused as {@code sip:stop}/{@code sip:uninstall}
 * refuse them. Other bundles get Felix's behaviour. Same signatures as Felix's commands.
 */
@Component(service = FelixBundleCommands.class, property = "service.ranking:Integer=100")
@GogoCommand(scope = "felix", function = { "update", "stop", "uninstall" })
public class FelixBundleCommands {

    @Reference
    private ModuleService modules;

    @Descriptor("update a bundle; a Siphon module is updated without a gap (as sip:update)")
    public String update(@Descriptor("bundle to update") Bundle bundle) throws BundleException, ModuleException {
        String module = module(bundle);
        if (module != null) {
            return describe(modules.update(module, null));
        }
        bundle.update();
        return null;
    }

    @Descriptor("update a bundle from a location; a Siphon module is updated without a gap (as sip:update)")
    public String update(CommandSession session, @Descriptor("bundle to update") Bundle bundle,
            @Descriptor("URL or path of the new jar") String location) throws Exception {
        String module = module(bundle);
        URI uri = resolve(session, location);
        if (module != null) {
            return describe(modules.update(module, uri.toString()));
        }
        try (InputStream in = uri.toURL().openStream()) {
            bundle.update(in);
        }
        return null;
    }

    @Descriptor("stop bundles; a Siphon module the routing script calls is refused (sip:stop --force stops it)")
    public String stop(@Descriptor("stop the bundle transiently") @Parameter(names = { "-t", "--transient" },
            presentValue = "true", absentValue = "false") boolean trans,
            @Descriptor("target bundles") Bundle... bundles) throws BundleException, ModuleException {
        List<String> out = new ArrayList<>();
        for (Bundle b : bundles) {
            String module = module(b);
            if (module != null) {
                out.add(describe(modules.stop(module, false)));
            } else {
                b.stop(trans ? Bundle.STOP_TRANSIENT : 0);
            }
        }
        return out.isEmpty() ? null : String.join("\n", out);
    }

    @Descriptor("uninstall bundles; a Siphon module the routing script calls is refused (sip:uninstall --force removes it)")
    public String uninstall(@Descriptor("target bundles") Bundle... bundles) throws BundleException, ModuleException {
        List<String> out = new ArrayList<>();
        for (Bundle b : bundles) {
            String module = module(b);
            if (module != null) {
                out.add(describe(modules.uninstall(module, false)));
            } else {
                b.uninstall();
            }
        }
        return out.isEmpty() ? null : String.join("\n", out);
    }

    /** The module a bundle holds, or null for another bundle (and for the core, which Felix's commands keep). */
    static String module(Bundle bundle) {
        String name = bundle.getHeaders("").get(ModuleServiceImpl.MODULE_HEADER);
        return name == null || name.isBlank() || name.trim().equals("core") ? null : name.trim();
    }

    private static String describe(org.siphon.core.module.ModuleInfo info) {
        return "module " + info.name() + ": " + info.state() + " (bundle " + info.bundleId() + ", version " + info.version() + ")";
    }

    /** A URL as it is; a path relative to the shell's current directory, as Felix resolves it. */
    private static URI resolve(CommandSession session, String location) {
        URI u = URI.create(location.replace(" ", "%20"));
        if (u.getScheme() != null && u.getScheme().length() > 1) {
            return u;
        }
        java.nio.file.Path p = java.nio.file.Path.of(location);
        if (!p.isAbsolute() && session != null && session.currentDir() != null) {
            p = session.currentDir().resolve(p);
        }
        return p.toUri();
    }
}
