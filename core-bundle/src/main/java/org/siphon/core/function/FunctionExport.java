package org.siphon.core.function;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.siphon.core.registry.Export;

/**
 * A function a script can call, like an entry of a Kamailio module's {@code cmd_export_t} table:
 * name, number of arguments, the routing blocks it is allowed in, the fixup that prepares its
 * arguments at load time and the handler that runs per message.
 * <p>Immutable. Build one with {@link #builder(String, String)}.
 */
public final class FunctionExport implements Export {

    /** Runs the function for one message. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param ctx  the message being routed
         * @param args the values the {@link Fixup} produced at load time
         * @return Kamailio's return code: positive is true, negative is false, 0 stops the script
         * @throws Exception any failure; the engine logs it and treats the call as returning -1
         */
        int call(ActionContext ctx, Object[] args) throws Exception;
    }

    private final String name;
    private final String module;
    private final int minArgs;
    private final int maxArgs;
    private final Set<RouteType> routeTypes;
    private final Fixup fixup;
    private final Handler handler;
    private final String description;

    private FunctionExport(Builder b) {
        this.name = b.name;
        this.module = b.module;
        this.minArgs = b.minArgs;
        this.maxArgs = b.maxArgs;
        this.routeTypes = Collections.unmodifiableSet(EnumSet.copyOf(b.routeTypes));
        this.fixup = b.fixup;
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.description = b.description;
    }

    /** Starts a function named {@code name} exported by {@code module}. */
    public static Builder builder(String name, String module) {
        return new Builder(name, module);
    }

    @Override public String name() { return name; }
    @Override public String module() { return module; }
    /** The fewest arguments the function takes. */
    public int minArgs() { return minArgs; }
    /** The most arguments the function takes. */
    public int maxArgs() { return maxArgs; }
    /** The routing blocks the function may be called from. */
    public Set<RouteType> routeTypes() { return routeTypes; }
    public Fixup fixup() { return fixup; }
    public Handler handler() { return handler; }
    /** One line for {@code module.exports} and the shell. */
    public String description() { return description; }

    /** Whether {@code count} arguments are acceptable. */
    public boolean acceptsArgs(int count) {
        return count >= minArgs && count <= maxArgs;
    }

    @Override
    public String toString() {
        return module + ":" + name + "/" + (minArgs == maxArgs ? minArgs : minArgs + ".." + maxArgs);
    }

    /** Collects the parts of a {@link FunctionExport}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String module;
        private int minArgs;
        private int maxArgs;
        private Set<RouteType> routeTypes = EnumSet.of(RouteType.REQUEST);
        private Fixup fixup = Fixup.NONE;
        private Handler handler;
        private String description = "";

        private Builder(String name, String module) {
            this.name = requireName(name);
            this.module = requireName(module);
        }

        /** Exactly {@code count} arguments (default 0). */
        public Builder args(int count) {
            return args(count, count);
        }

        /** Between {@code min} and {@code max} arguments. */
        public Builder args(int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("bad argument range " + min + ".." + max);
            }
            this.minArgs = min;
            this.maxArgs = max;
            return this;
        }

        /** The routing blocks allowed (default: request route only). */
        public Builder routes(Set<RouteType> types) {
            if (types.isEmpty()) {
                throw new IllegalArgumentException("a function needs at least one route type");
            }
            this.routeTypes = EnumSet.copyOf(types);
            return this;
        }

        public Builder routes(RouteType first, RouteType... rest) {
            return routes(EnumSet.of(first, rest));
        }

        public Builder fixup(Fixup fixup) {
            this.fixup = Objects.requireNonNull(fixup);
            return this;
        }

        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        public FunctionExport build() {
            return new FunctionExport(this);
        }
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an export needs a name");
        }
        return name;
    }
}
