package org.siphon.shell.ssh;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.service.command.CommandSession;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * TAB completion in the SSH console: the first word completes to every Gogo command, scoped
 * ({@code sip:modules}) and plain ({@code modules}), grouped by scope; the arguments of the
 * {@code sip:} commands complete to what they take: module names (from {@code core.modules} and
 * {@code module.list}), RPC methods for {@code sip:rpc} ({@code system.listMethods}), log levels
 * for {@code sip:log}. The names are read at each TAB, so modules installed since show.
 */
final class CommandCompleter implements Completer {

    private static final Set<String> MODULE_ARGUMENT = Set.of("uninstall", "stop", "start", "update", "exports", "log");
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    private final CommandSession session;

    CommandCompleter(CommandSession session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            Set<String> plain = new TreeSet<>();
            for (String c : commands()) {
                int colon = c.indexOf(':');
                String scope = colon < 0 ? "" : c.substring(0, colon);
                candidates.add(new Candidate(c, c, scope, null, null, null, true));
                if (colon >= 0) {
                    plain.add(c.substring(colon + 1));
                }
            }
            plain.forEach(p -> candidates.add(new Candidate(p, p, null, null, null, null, true)));
            return;
        }
        String command = line.words().get(0);
        String function = command.startsWith("sip:") ? command.substring(4) : command;
        if (!command.startsWith("sip:") && !commands().contains("sip:" + function)) {
            return;
        }
        int arg = line.wordIndex(); // 1 = the first argument
        boolean flags = line.words().subList(1, arg).stream().anyMatch(w -> w.startsWith("-"));
        if (function.equals("rpc") && arg == 1) {
            names("sip:rpc system.listMethods").forEach(m -> candidates.add(new Candidate(m)));
        } else if (function.equals("log") && arg == 2) {
            LEVELS.forEach(l -> candidates.add(new Candidate(l)));
        } else if (MODULE_ARGUMENT.contains(function) && (arg == 1 || arg == 2 && flags)) {
            Set<String> modules = new TreeSet<>(names("sip:rpc core.modules"));
            if (function.equals("start") || function.equals("update") || function.equals("uninstall")) {
                modules.addAll(moduleListNames()); // stopped modules are not in core.modules
            }
            modules.forEach(m -> candidates.add(new Candidate(m)));
        }
    }

    private Set<String> commands() {
        Set<String> out = new TreeSet<>();
        if (session.get(".commands") instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** The strings a Gogo command answers with (a list), none if it fails. */
    private List<String> names(String gogo) {
        try {
            if (session.execute(gogo) instanceof Collection<?> c) {
                return c.stream().map(String::valueOf).toList();
            }
        } catch (Exception e) {
            // no completion then
        }
        return List.of();
    }

    private List<String> moduleListNames() {
        try {
            if (session.execute("sip:rpc module.list") instanceof Collection<?> c) {
                return c.stream().filter(o -> o instanceof java.util.Map<?, ?>)
                        .map(o -> String.valueOf(((java.util.Map<?, ?>) o).get("name"))).toList();
            }
        } catch (Exception e) {
            // no completion then
        }
        return List.of();
    }
}
