package org.siphon.core.function;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a function's arguments, as written in the script, into the values the function uses at
 * run time. Called once when a script is loaded (Kamailio's "fixup"), never per message.
 */
@ConsumerType
@FunctionalInterface
public interface Fixup {

    /** A fixup that keeps the arguments as the strings the script wrote. */
    Fixup NONE = args -> args.toArray();

    /**
     * @param args the arguments as the script wrote them, quotes removed
     * @return the values passed to {@link FunctionExport.Handler#call} for every call
     * @throws IllegalArgumentException with a message for the script author when an argument is bad
     */
    Object[] apply(List<String> args);
}
