package org.siphon.example.hello;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
 * The export table of module {@code hello}: one function, one pseudo-variable, two RPC commands.
 * Its one parameter comes from ConfigAdmin PID {@code org.siphon.hello}, which
 * {@code modparam("hello", "greeting", "...")} feeds. Thread-safe.
 */
@Component(immediate = true, configurationPid = "org.siphon.hello", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HelloComponent.Config.class)
public class HelloComponent implements SiphonModule {

    static final String MODULE = "hello";
    private static final Logger LOG = LoggerFactory.getLogger(HelloComponent.class);

    @ObjectClassDefinition(name = "Siphon module hello")
    public @interface Config {
        @AttributeDefinition(description = "The word put before the name (default \"hello\").")
        String greeting() default "hello";
    }

    private final AtomicLong greetings = new AtomicLong();
    private String greeting = "hello";

    @Activate
    void activate(Config config) {
        greeting = config.greeting();
    }

    @Override
    public String name() {
        return MODULE;
    }

    /** {@code greeting, name}: what every export of the module says. */
    String greet(String name) {
        greetings.incrementAndGet();
        return greeting + ", " + name;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("hello", MODULE)
                .args(0, 1)
                .routes(RouteType.any())
                .description("Logs a greeting to the name given (default: world); returns 1.")
                .handler((ctx, args) -> {
                    LOG.info(greet(args.length > 0 ? String.valueOf(args[0]) : "world"));
                    return 1;
                }).build());
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(PseudoVariableExport.builder("hello", MODULE)
                .innerName(PseudoVariableExport.InnerName.OPTIONAL, s -> s)
                .description("$hello or $hello(name): the greeting, as text.")
                .getter((ctx, name) -> greet(name == null ? "world" : (String) name))
                .build());
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(
                new RpcCommand("hello.greet", MODULE, "[name]", "Returns the greeting for name (default: world).",
                        p -> greet(p.expect(0, 1, "[name]").string(0, "world"))),
                new RpcCommand("hello.count", MODULE, "", "How many greetings were made since the module started.",
                        p -> greetings.get()));
    }
}
