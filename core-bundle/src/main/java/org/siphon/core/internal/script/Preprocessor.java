package org.siphon.core.internal.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kamailio's configuration preprocessor: {@code #!define NAME [value]}, {@code #!trydef},
 * {@code #!redefine}, {@code #!undef}, {@code #!ifdef}/{@code #!ifndef}/{@code #!else}/{@code #!endif},
 * {@code #!include_file} and {@code #!import_file} (the latter silently skips a missing file),
 * {@code #!subst}/{@code #!substdef} ({@code /regex/replacement/flags}), also written with
 * {@code !!} instead of {@code #!}. Defines are replaced where they stand as whole identifiers,
 * as Kamailio does with ID tokens: not inside strings, comments or pseudo-variables
 * ({@code #!substdef} is the way to change text inside strings). The output keeps one line per
 * input line (directives become empty lines) and where every output line came from, for error
 * positions. Not thread-safe.
 */
public final class Preprocessor {

    /** The text to compile and, per output line (0-based), the file and line it came from. */
    public record Result(String text, List<String> files, List<Integer> lines, List<String> warnings) {
        public String fileOf(int outputLine) {
            if (files.isEmpty()) {
                return "?";
            }
            return files.get(Math.min(files.size() - 1, Math.max(0, outputLine - 1))); // past the end: the last file
        }

        public int lineOf(int outputLine) {
            return outputLine - 1 < lines.size() ? lines.get(Math.max(0, outputLine - 1)) : outputLine;
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*(?:#!|!!)([a-z_]+)\\b\\s*(.*?)\\s*$");
    /** {@code include_file "x"} and {@code import_file "x"} without {@code #!}, as the stock kamailio.cfg writes them. */
    private static final Pattern BARE_INCLUDE = Pattern.compile(
            "^\\s*(include_file|import_file)\\s+(\"[^\"]*\"|'[^']*')\\s*;?\\s*(?:#.*)?$");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_INCLUDE_DEPTH = 10;

    private final Map<String, String> defines = new LinkedHashMap<>();
    private final List<String[]> substs = new ArrayList<>();
    private final List<ScriptException.Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private final List<String> files = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private final Set<Path> including = new HashSet<>();

    /** @param initial defines from the command line ({@code -A NAME[=VALUE]}) */
    public Preprocessor(Map<String, String> initial) {
        defines.putAll(initial);
    }

    public Map<String, String> defines() {
        return defines;
    }

    /** Preprocesses {@code file}; throws with every problem found. */
    public Result run(Path file) throws ScriptException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScriptException(file.toString(), 0, 0, "cannot read the script: " + e.getMessage());
        }
        return run(file.toString(), text, file.toAbsolutePath().getParent());
    }

    /** Preprocesses {@code text} named {@code name}; includes are relative to {@code dir}. */
    public Result run(String name, String text, Path dir) throws ScriptException {
        process(name, text, dir, 0);
        if (!problems.isEmpty()) {
            throw new ScriptException(problems);
        }
        return new Result(out.toString(), files, lines, warnings);
    }

    private void process(String name, String text, Path dir, int depth) {
        String[] input = text.split("\r?\n", -1);
        Deque<boolean[]> conditions = new ArrayDeque<>();
        for (int i = 0; i < input.length; i++) {
            String line = input[i];
            boolean active = conditions.stream().allMatch(c -> c[0]);
            Matcher d = DIRECTIVE.matcher(line);
            if (d.matches()) {
                int first = i;
                String arg = d.group(2);
                while (arg.endsWith("\\") && i + 1 < input.length) { // a value continued on the next line
                    arg = arg.substring(0, arg.length() - 1).trim() + " " + input[++i].trim();
                }
                directive(name, first + 1, d.group(1), arg, dir, depth, conditions, active);
                for (int k = first; k <= i; k++) {
                    emit(name, k + 1, "");
                }
                continue;
            }
            Matcher b = active ? BARE_INCLUDE.matcher(line) : null;
            if (b != null && b.matches()) {
                directive(name, i + 1, b.group(1), b.group(2), dir, depth, conditions, true);
                emit(name, i + 1, "");
                continue;
            }
            emit(name, i + 1, active ? expand(line) : "");
        }
        if (!conditions.isEmpty()) {
            problems.add(new ScriptException.Problem(name, input.length, 1, "#!ifdef/#!ifndef without #!endif"));
        }
    }

    private void directive(String file, int line, String word, String arg, Path dir, int depth,
            Deque<boolean[]> conditions, boolean active) {
        switch (word) {
            case "ifdef", "ifndef" -> {
                boolean defined = defines.containsKey(firstWord(arg));
                conditions.push(new boolean[] { word.equals("ifdef") == defined, false });
                return;
            }
            case "ifexp" -> {
                conditions.push(new boolean[] { active && holds(file, line, arg), false });
                return;
            }
            case "else" -> {
                if (conditions.isEmpty()) {
                    problems.add(new ScriptException.Problem(file, line, 1, "#!else without #!ifdef"));
                } else {
                    boolean[] c = conditions.peek();
                    if (c[1]) {
                        problems.add(new ScriptException.Problem(file, line, 1, "second #!else"));
                    }
                    c[0] = !c[0];
                    c[1] = true;
                }
                return;
            }
            case "endif" -> {
                if (conditions.isEmpty()) {
                    problems.add(new ScriptException.Problem(file, line, 1, "#!endif without #!ifdef"));
                } else {
                    conditions.pop();
                }
                return;
            }
            default -> {
                // the rest only when active
            }
        }
        if (!active) {
            return;
        }
        switch (word) {
            case "define", "trydef", "redefine" -> {
                String nameOf = firstWord(arg);
                if (!IDENT.matcher(nameOf).matches()) {
                    problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " needs a name"));
                    return;
                }
                String value = arg.substring(nameOf.length()).trim();
                if (word.equals("define") && defines.containsKey(nameOf)) {
                    problems.add(new ScriptException.Problem(file, line, 1, nameOf + " is already defined (use #!redefine)"));
                } else if (!word.equals("trydef") || !defines.containsKey(nameOf)) {
                    defines.put(nameOf, value);
                }
            }
            case "undef" -> defines.remove(firstWord(arg));
            case "defexp", "defexps" -> {
                String nameOf = firstWord(arg);
                if (!IDENT.matcher(nameOf).matches()) {
                    problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " needs a name"));
                    return;
                }
                try {
                    Object v = PreprocessorExpression.evaluate(expand(arg.substring(nameOf.length()).trim()));
                    defines.put(nameOf, PreprocessorExpression.text(v, word.equals("defexps")));
                } catch (IllegalArgumentException e) {
                    problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " " + nameOf + ": " + e.getMessage()));
                }
            }
            case "defenv", "defenvs", "trydefenv", "trydefenvs" -> defineFromEnvironment(file, line, word, arg.trim());
            case "include_file", "import_file" -> include(file, line, word, unquote(arg), dir, depth);
            case "subst", "substdef" -> subst(file, line, word, unquote(arg));
            default -> problems.add(new ScriptException.Problem(file, line, 1, "unknown directive #!" + word));
        }
    }

    private boolean holds(String file, int line, String arg) {
        try {
            return PreprocessorExpression.truth(PreprocessorExpression.evaluate(expand(arg)));
        } catch (IllegalArgumentException e) {
            problems.add(new ScriptException.Problem(file, line, 1, "#!ifexp: " + e.getMessage()));
            return false;
        }
    }

    /**
     * {@code #!defenv ID=VAR} (or just {@code VAR}, defining VAR) takes the environment variable's
     * value; the {@code s} forms put it in double quotes; the {@code try} forms let a missing
     * variable pass, the others make it an error.
     */
    private void defineFromEnvironment(String file, int line, String word, String arg) {
        int eq = arg.indexOf('=');
        String id = (eq < 0 ? arg : arg.substring(0, eq)).trim();
        String variable = (eq < 0 ? arg : arg.substring(eq + 1)).trim();
        if (!IDENT.matcher(id).matches() || variable.isEmpty()) {
            problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " needs ID=VARIABLE"));
            return;
        }
        String value = System.getenv(variable);
        if (value == null) {
            if (!word.startsWith("try")) {
                problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + ": environment variable "
                        + variable + " is not set"));
            }
            return;
        }
        defines.put(id, word.endsWith("s") ? "\"" + value.replace("\"", "\\\"") + "\"" : value);
    }

    /** Relative to the including file's folder first, then to the working directory, as Kamailio does (in the other order). */
    private void include(String file, int line, String word, String target, Path dir, int depth) {
        Path p = dir == null ? Path.of(target) : dir.resolve(target);
        if (!Files.isReadable(p) && !Path.of(target).isAbsolute() && Files.isReadable(Path.of(target))) {
            p = Path.of(target);
        }
        if (!Files.isReadable(p)) {
            if (word.equals("include_file")) {
                problems.add(new ScriptException.Problem(file, line, 1, "include_file: cannot read " + p));
            } else {
                warnings.add(file + ":" + line + ": import_file: " + p + " not found, skipped");
            }
            return;
        }
        if (depth >= MAX_INCLUDE_DEPTH || !including.add(p.toAbsolutePath().normalize())) {
            problems.add(new ScriptException.Problem(file, line, 1, "include loop or nesting too deep at " + p));
            return;
        }
        try {
            process(p.toString(), Files.readString(p), p.toAbsolutePath().getParent(), depth + 1);
        } catch (IOException e) {
            problems.add(new ScriptException.Problem(file, line, 1, "cannot read " + p + ": " + e.getMessage()));
        } finally {
            including.remove(p.toAbsolutePath().normalize());
        }
    }

    /** {@code /regex/replacement/flags}, applied to the following lines; substdef also defines the name. */
    private void subst(String file, int line, String word, String arg) {
        if (arg.length() < 4) {
            problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " needs /regex/replacement/flags"));
            return;
        }
        char sep = arg.charAt(0);
        String[] parts = arg.substring(1).split(Pattern.quote(String.valueOf(sep)), -1);
        if (parts.length < 2) {
            problems.add(new ScriptException.Problem(file, line, 1, "#!" + word + " needs /regex/replacement/flags"));
            return;
        }
        if (word.equals("substdef")) {
            defines.put(parts[0], parts[1]);
        }
        try {
            Pattern.compile(parts[0]);
            substs.add(new String[] { parts[0], parts[1], parts.length > 2 ? parts[2] : "" });
        } catch (java.util.regex.PatternSyntaxException e) {
            problems.add(new ScriptException.Problem(file, line, 1, "bad regular expression in #!" + word + ": " + e.getDescription()));
        }
    }

    /** Applies substitutions, then replaces defined identifiers outside strings and comments. */
    private String expand(String line) {
        String l = line;
        for (String[] s : substs) {
            Matcher m = Pattern.compile(s[0]).matcher(l);
            l = s[2].contains("g") ? m.replaceAll(Matcher.quoteReplacement(s[1])) : m.replaceFirst(Matcher.quoteReplacement(s[1]));
        }
        if (defines.isEmpty() || l.isBlank()) {
            return l;
        }
        StringBuilder sb = new StringBuilder(l.length());
        int i = 0;
        while (i < l.length()) {
            char c = l.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfString(l, i);
                sb.append(l, i, end);
                i = end;
            } else if (c == '#' || c == '/' && i + 1 < l.length() && l.charAt(i + 1) == '/') {
                sb.append(l, i, l.length());
                break;
            } else if (c == '$') {
                int end = endOfPv(l, i);
                sb.append(l, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < l.length() && (Character.isLetterOrDigit(l.charAt(end)) || l.charAt(end) == '_')) {
                    end++;
                }
                String word = l.substring(i, end);
                String value = defines.get(word);
                sb.append(value != null && !value.isEmpty() ? value : word);
                i = end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** The end of {@code $name}, {@code $name(inner)}, {@code $(name{tr})}, parentheses balanced. */
    private static int endOfPv(String l, int start) {
        int i = start + 1;
        while (i < l.length() && (Character.isLetterOrDigit(l.charAt(i)) || l.charAt(i) == '_')) {
            i++;
        }
        if (i < l.length() && l.charAt(i) == '(') {
            int depth = 0;
            for (; i < l.length(); i++) {
                char c = l.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i + 1;
                }
            }
        }
        return i;
    }

    private static int endOfString(String l, int start) {
        char q = l.charAt(start);
        for (int i = start + 1; i < l.length(); i++) {
            if (l.charAt(i) == '\\') {
                i++;
            } else if (l.charAt(i) == q) {
                return i + 1;
            }
        }
        return l.length();
    }

    private void emit(String file, int line, String text) {
        out.append(text).append('\n');
        files.add(file);
        lines.add(line);
    }

    private static String firstWord(String arg) {
        int sp = 0;
        while (sp < arg.length() && !Character.isWhitespace(arg.charAt(sp))) {
            sp++;
        }
        return arg.substring(0, sp);
    }

    private static String unquote(String arg) {
        String a = arg.trim();
        return a.length() >= 2 && (a.startsWith("\"") && a.endsWith("\"") || a.startsWith("'") && a.endsWith("'"))
                ? a.substring(1, a.length() - 1) : a;
    }
}
