package org.siphon.core.pv;

import java.util.Objects;
import java.util.function.Function;

import org.siphon.core.function.ActionContext;
import org.siphon.core.registry.Export;

/**
 * A class of pseudo-variables, like an entry of a Kamailio module's {@code pv_export_t} table:
 * {@code $ru} (no inner name) or {@code $hdr(name)} (an inner name parsed once at load time).
 * Values are {@link String}, {@link Long} or {@code null} ({@code $null}).
 * <p>Immutable. Build one with {@link #builder(String, String)}.
 */
public final class PseudoVariableExport implements Export {

    /** Whether the variable takes a name in parentheses, as {@code $hdr(Via)} does. */
    public enum InnerName { NONE, OPTIONAL, REQUIRED }

    /** Reads the variable for one message. */
    @FunctionalInterface
    public interface Getter {
        /** @param name what the name parser returned at load time ({@code null} without inner name) */
        Object get(ActionContext ctx, Object name) throws Exception;
    }

    /** Assigns the variable for one message. */
    @FunctionalInterface
    public interface Setter {
        /** @param value a {@link String}, a {@link Long} or {@code null} for {@code $null} */
        void set(ActionContext ctx, Object name, Object value) throws Exception;
    }

    private final String name;
    private final String module;
    private final InnerName innerName;
    private final Function<String, Object> nameParser;
    private final Getter getter;
    private final Setter setter;
    private final String description;

    private PseudoVariableExport(Builder b) {
        this.name = b.name;
        this.module = b.module;
        this.innerName = b.innerName;
        this.nameParser = b.nameParser;
        this.getter = Objects.requireNonNull(b.getter, "getter");
        this.setter = b.setter;
        this.description = b.description;
    }

    /** Starts the pseudo-variable class {@code $name} exported by {@code module}. */
    public static Builder builder(String name, String module) {
        return new Builder(name, module);
    }

    @Override public String name() { return name; }
    @Override public String module() { return module; }
    public InnerName innerName() { return innerName; }
    /** Parses the inner name once, at load time; throws {@link IllegalArgumentException} when it is bad. */
    public Object parseName(String inner) { return nameParser.apply(inner); }
    public Getter getter() { return getter; }
    /** Whether a script may assign it. */
    public boolean writable() { return setter != null; }
    /** The setter, or {@code null} when read-only. */
    public Setter setter() { return setter; }
    public String description() { return description; }

    @Override
    public String toString() {
        return module + ":$" + name + (innerName == InnerName.NONE ? "" : "(...)");
    }

    /** Collects the parts of a {@link PseudoVariableExport}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String module;
        private InnerName innerName = InnerName.NONE;
        private Function<String, Object> nameParser = s -> s;
        private Getter getter;
        private Setter setter;
        private String description = "";

        private Builder(String name, String module) {
            if (name == null || name.isBlank() || module == null || module.isBlank()) {
                throw new IllegalArgumentException("a pseudo-variable needs a name and a module");
            }
            this.name = name;
            this.module = module;
        }

        /** Whether an inner name is taken, and how to parse it (default: kept as the string). */
        public Builder innerName(InnerName mode, Function<String, Object> parser) {
            this.innerName = Objects.requireNonNull(mode);
            this.nameParser = Objects.requireNonNull(parser);
            return this;
        }

        public Builder getter(Getter getter) {
            this.getter = getter;
            return this;
        }

        public Builder setter(Setter setter) {
            this.setter = setter;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        public PseudoVariableExport build() {
            return new PseudoVariableExport(this);
        }
    }
}
