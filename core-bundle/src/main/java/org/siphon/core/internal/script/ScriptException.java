package org.siphon.core.internal.script;

import java.util.List;

/**
 * A routing script that cannot be loaded: every problem found, each with file:line:column, as
 * {@code bin/siphon -c} and {@code cfg.reload} report them.
 */
public final class ScriptException extends Exception {

    private static final long serialVersionUID = 1L;

    /** One problem at one place. */
    public record Problem(String file, int line, int column, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + message;
        }
    }

    private final List<Problem> problems;
    private final java.util.Set<String> waitingFor;

    public ScriptException(List<Problem> problems) {
        this(problems, java.util.Set.of());
    }

    /** @param waitingFor modules the script loads that are not active, when every problem comes from their absence */
    public ScriptException(List<Problem> problems, java.util.Set<String> waitingFor) {
        super(problems.size() == 1 ? problems.get(0).toString()
                : problems.size() + " errors, first: " + problems.get(0));
        this.problems = List.copyOf(problems);
        this.waitingFor = java.util.Set.copyOf(waitingFor);
    }

    /**
     * The modules the script waits for: not empty when the script is fine but for modules it loads
     * that are not installed or active yet (their loadmodule, their modparams, their functions).
     */
    public java.util.Set<String> waitingFor() {
        return waitingFor;
    }

    public ScriptException(String file, int line, int column, String message) {
        this(List.of(new Problem(file, line, column, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
