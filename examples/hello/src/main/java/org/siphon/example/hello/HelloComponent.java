package org.siphon.example.hello;

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
 * The export table of module {@code hello}: the function {@code hello([name])}, the
 * pseudo-variable {@code $hello} (or {@code $hello(name)}) and the RPC command
 * {@code hello.hello [name]}. Its parameter comes
 * from ConfigAdmin PID {@code org.siphon.hello}, which {@code modparam("hello", "greeting", "...")}
 * feeds; it may change at runtime. Thread-safe: handlers run on any SIP worker at once.
 */
@Component(immediate = true, configurationPid = "org.siphon.hello", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HelloComponent.Config.class)
public class HelloComponent implements SiphonModule {

    static final String MODULE = "hello";
    private static final Logger LOG = LoggerFactory.getLogger(HelloComponent.class);

    /** The module's parameters, Kamailio-style names (a double underscore is a dot in modparam). */
    @ObjectClassDefinition(name = "Siphon module hello")
    public @interface Config {
        @AttributeDefinition(description = "The greeting hello() logs and $hello and hello.hello return (default \"Hello from hello\").")
        String greeting() default "Hello from hello";
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
        return List.of(FunctionExport.builder("hello", MODULE)
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
        return List.of(PseudoVariableExport.builder("hello", MODULE)
                .innerName(PseudoVariableExport.InnerName.OPTIONAL, s -> s)
                .description("$hello or $hello(name): the greeting, as text.")
                .getter((ctx, name) -> greet((String) name))
                .build());
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(new RpcCommand("hello.hello", MODULE, "[name]",
                "The greeting (to the name if one is given) and how many were made since the module started.",
                p -> Map.of("greeting", greet(p.expect(0, 1, "[name]").string(0, null)), "count", greetings.get())));
    }
}
