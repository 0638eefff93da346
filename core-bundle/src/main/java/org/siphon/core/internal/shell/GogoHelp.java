package org.siphon.core.internal.shell;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo's {@code help} with scopes: {@code help sip} lists every command of scope {@code sip} with
 * its description and parameters (Felix's answers "No methods found matching: sip"); any other
 * use is Felix's own {@code help}. Registered in scope {@code felix} with a higher ranking than
 * Felix's, as {@link FelixBundleCommands} is.
 */
@Component(service = GogoHelp.class, property = "service.ranking:Integer=100")
@GogoCommand(scope = "felix", function = { "help" })
public class GogoHelp {

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list the commands")
    public void help(CommandSession session) throws Exception {
        felix(session, null);
    }

    @Descriptor("help of a command, or every command of a scope (help sip)")
    public void help(CommandSession session, @Descriptor("command or scope") String name) throws Exception {
        Set<String> inScope = new TreeSet<>();
        if (name.indexOf(':') < 0 && session.get(".commands") instanceof Set<?> all) {
            for (Object c : all) {
                if (String.valueOf(c).startsWith(name + ":")) {
                    inScope.add(String.valueOf(c));
                }
            }
        }
        if (inScope.isEmpty()) {
            felix(session, name);
            return;
        }
        for (String command : inScope) {
            felix(session, command);
        }
    }

    /** Felix's own help (the gogo.command bundle's Basic#help), with or without a name. */
    private void felix(CommandSession session, String name) throws Exception {
        for (ServiceReference<?> ref : context.getServiceReferences((String) null,
                "(&(osgi.command.scope=felix)(osgi.command.function=help))")) {
            Object basic = context.getService(ref);
            try {
                if (basic == null || basic instanceof GogoHelp) {
                    continue;
                }
                // gogo.command 1.1's Basic: String help() and String help(String)
                Method m = name == null ? basic.getClass().getMethod("help") : basic.getClass().getMethod("help", String.class);
                Object text = name == null ? m.invoke(basic) : m.invoke(basic, name);
                if (text != null) {
                    session.getConsole().print(text);
                }
                return;
            } finally {
                context.ungetService(ref);
            }
        }
        session.getConsole().println("no help command of Felix's is installed" + (name == null ? "" : " for " + name));
    }
}
