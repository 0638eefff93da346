package ${package};

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.RpcCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export table of module {@code ${module}}: the function {@code ${module}([name])}, the
 * pseudo-variable {@code $${module}} (or {@code $${module}(name)}) and the RPC command
 * {@code ${module}.hello [name]}. Its parameter comes
 * from ConfigAdmin PID {@code org.siphon.${module}}, which {@code modparam("${module}", "greeting", "...")}
 * feeds; it may change at runtime. Thread-safe: handlers run on any SIP worker at once.
 */
@Component(immediate = true, configurationPid = "org.siphon.${module}", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ${moduleClass}Component.Config.class)
public class ${moduleClass}Component implements SiphonModule {

    static final String MODULE = "${module}";
    private static final Logger LOG = LoggerFactory.getLogger(${moduleClass}Component.class);

    /** The module's parameters, Kamailio-style names (a double underscore is a dot in modparam). */
    @ObjectClassDefinition(name = "Siphon module ${module}")
    public @interface Config {
        @AttributeDefinition(description = "The greeting ${module}() logs and $${module} and ${module}.hello return (default \"Hello from ${module}\").")
        String greeting() default "Hello from ${module}";
    }

    private final AtomicLong greetings = new AtomicLong();
    private volatile String greeting;

    @Activate
    @Modified
    void activate(Config config) {
        greeting = config.greeting();
    }

    @Override
    public String name() {
        return MODULE;
    }

    /** The greeting, or {@code greeting, name} when a name is given; counted. */
    String greet(String name) {
        greetings.incrementAndGet();
        return name == null || name.isEmpty() ? greeting : greeting + ", " + name;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("${module}", MODULE)
                .args(0, 1)
                .routes(RouteType.any())
                .description("Logs the greeting, to the name if one is given (INFO); returns 1.")
                .handler((ctx, args) -> {
                    LOG.info(greet(args.length > 0 ? String.valueOf(args[0]) : null));
                    return 1;
                }).build());
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(PseudoVariableExport.builder("${module}", MODULE)
                .innerName(PseudoVariableExport.InnerName.OPTIONAL, s -> s)
                .description("$${module} or $${module}(name): the greeting, as text.")
                .getter((ctx, name) -> greet((String) name))
                .build());
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(new RpcCommand("${module}.hello", MODULE, "[name]",
                "The greeting (to the name if one is given) and how many were made since the module started.",
                p -> Map.of("greeting", greet(p.expect(0, 1, "[name]").string(0, null)), "count", greetings.get())));
    }
}
