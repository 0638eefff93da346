package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.pv.PseudoVariableExport;

/**
 * Compiles preprocessed script text into a {@link Script} in one pass: global parameters,
 * {@code loadmodule}, {@code modparam}, route blocks and statements; expressions are the
 * {@link ExpressionCompiler}'s, tokens the {@link TokenCursor}'s. Every problem is collected
 * with file:line:column. Not thread-safe.
 */
final class ScriptCompiler extends ExpressionCompiler {

    /** Route block kinds and the route type their functions run in. */
    private static final Map<String, RouteType> BLOCKS = Map.of("request_route", RouteType.REQUEST, "route",
            RouteType.REQUEST, "reply_route", RouteType.ONREPLY, "onreply_route", RouteType.ONREPLY, "failure_route",
            RouteType.FAILURE, "branch_route", RouteType.BRANCH, "onsend_route", RouteType.ONSEND, "event_route",
            RouteType.EVENT);

    private final java.util.function.Predicate<String> moduleActive;
    private final ModparamCheck modparamCheck;

    /** Whether a module accepts a parameter: null when it does, else why not. */
    @FunctionalInterface
    interface ModparamCheck {
        ModparamCheck NONE = (module, name, value) -> null;

        String check(String module, String name, String value);
    }

    private final Map<String, Node> routes = new LinkedHashMap<>();
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final Map<String, Object> cfgVars = new LinkedHashMap<>();
    private final List<String[]> modparams = new ArrayList<>();
    /** Modules the script loads that are not active, and the problems their absence causes. */
    private final java.util.Set<String> missing = new java.util.TreeSet<>();
    private int missingProblems;

    /**
     * @param pvs          finds a pseudo-variable class by name
     * @param moduleActive whether a module named by loadmodule is active
     */
    ScriptCompiler(Preprocessor.Result source, FunctionRegistry functions,
            java.util.function.Function<String, java.util.Optional<PseudoVariableExport>> pvs,
            FunctionCall.Replier replier, java.util.function.Predicate<String> moduleActive, ModparamCheck modparamCheck) {
        super(source, functions, pvs, replier);
        this.moduleActive = moduleActive;
        this.modparamCheck = modparamCheck;
    }

    Script compile(String name) throws ScriptException {
        while (!peek().kind().equals(Token.Kind.EOF)) {
            int before = p;
            try {
                topLevel();
            } catch (Syntax e) {
                recover();
            }
            if (p == before) {
                p++;
            }
        }
        for (Token t : routeCalls) {
            if (!routes.containsKey(t.text())) {
                error(t, "route(" + t.text() + ") calls a route block that is not defined");
            }
        }
        if (!routes.containsKey("0")) {
            problems.add(new ScriptException.Problem(name, 0, 0, "the script has no request_route"));
        }
        if (!problems.isEmpty()) {
            // with modules missing, unknown functions are theirs until they come: the script waits
            long unknownFunctions = problems.stream().filter(pr -> pr.message().startsWith("unknown function ")).count();
            boolean waits = !missing.isEmpty() && missingProblems + unknownFunctions == problems.size();
            throw new ScriptException(problems.stream().map(this::mapped).toList(), waits ? missing : java.util.Set.of());
        }
        return new Script(name, routes, globals, modules, modparams, calls, modulePvs).cfgVars(cfgVars);
    }

    /**
     * Only the global parameters, {@code loadmodule}s and {@code modparam}s, route blocks skipped
     * unparsed and nothing checked: read at boot, before the modules start, so that they start
     * with the script's parameters. Problems are left to the full compile.
     */
    Script parameters(String name) {
        while (!peek().kind().equals(Token.Kind.EOF)) {
            int before = p;
            Token t = peek();
            try {
                if (t.kind() == Token.Kind.IDENT && BLOCKS.containsKey(t.text()) && !peek(1).isOp("=")) {
                    skipBlock();
                } else {
                    topLevel();
                }
            } catch (Syntax e) {
                recover();
            }
            if (p == before) {
                p++;
            }
        }
        return new Script(name, Map.of(), globals, modules, modparams, List.of(), List.of()).cfgVars(cfgVars);
    }

    private void skipBlock() {
        while (peek().kind() != Token.Kind.EOF && !peek().isOp("{")) {
            p++;
        }
        int depth = 0;
        do {
            Token t = next();
            if (t.isOp("{")) {
                depth++;
            } else if (t.isOp("}")) {
                depth--;
            }
        } while (depth > 0 && peek().kind() != Token.Kind.EOF);
    }

    // ---- top level ----

    private void topLevel() {
        Token t = peek();
        if (t.isOp(";")) {
            p++;
        } else if (t.kind() == Token.Kind.IDENT && peek(1).isOp("=")) {
            globalParam();
        } else if (t.isWord("loadmodule")) {
            p++;
            Token m = next();
            if (m.kind() != Token.Kind.STRING) {
                throw error(m, "loadmodule needs a module name in quotes");
            }
            String module = ModuleNames.normalise(m.text());
            if (ModuleNames.REPLACED.containsKey(module)) {
                error(m, ModuleNames.REPLACED.get(module));
            } else if (!ModuleNames.IN_CORE.contains(module) && !moduleActive.test(module)) {
                missing.add(module);
                missingProblems++;
                error(m, "module " + module + " is not installed or not active (module.list shows the modules)");
            }
            modules.add(module);
        } else if (t.isWord("loadpath") || t.isWord("mpath")) {
            p++;
            next();
        } else if (t.isWord("modparam")) {
            modparam();
        } else if (t.kind() == Token.Kind.IDENT && BLOCKS.containsKey(t.text())) {
            routeBlock();
        } else {
            throw error(t, "expected a global parameter, loadmodule, modparam or a route block, found " + t);
        }
    }

    private void globalParam() {
        Token name = next();
        Token eq = next();
        int end = lexer.endOfLine(eq.offset());
        String raw = lexer.text(eq.offset() + 1, end);
        int hash = raw.indexOf('#');
        if (hash >= 0 && raw.lastIndexOf('"', hash) < 0) {
            raw = raw.substring(0, hash);
        }
        String value = raw.trim();
        if (value.endsWith(";")) {
            value = value.substring(0, value.length() - 1).trim();
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (CfgVars.isCustom(name.text())) {
            try {
                cfgVars.put(name.text(), CfgVars.parse(raw));
            } catch (IllegalArgumentException e) {
                error(name, e.getMessage());
            }
            while (peek().kind() != Token.Kind.EOF && peek().offset() < end) {
                p++;
            }
            return;
        }
        String problem = GlobalParameters.check(name.text(), value);
        if (problem != null) {
            error(name, problem);
        }
        globals.merge(name.text(), value, (a, b) -> a + "\n" + b);
        if (problem == null && name.text().equals("latency_limit_action")) {
            latencyLimitMillis = Integer.parseInt(value);
        } else if (problem == null && name.text().equals("max_while_loops")) {
            maxWhileLoops = Integer.parseInt(value);
        }
        while (peek().kind() != Token.Kind.EOF && peek().offset() < end) {
            p++;
        }
    }

    private void modparam() {
        Token at = next();
        expect("(");
        String module = literal();
        expect(",");
        String param = literal();
        expect(",");
        String value = literal();
        expect(")");
        if (peek().isOp(";")) {
            p++;
        }
        for (String m : module.split("\\|")) {
            String mod = ModuleNames.normalise(m);
            String problem = modparamCheck.check(mod, param, value);
            if (problem != null && missing.contains(mod)) {
                missingProblems++;
            }
            if (problem != null) {
                error(at, "modparam(\"" + mod + "\", \"" + param + "\"): " + problem);
            }
            modparams.add(new String[] { mod, param, value });
        }
        if (module.isEmpty()) {
            error(at, "modparam needs a module name");
        }
    }

    /** A modparam value: a number (also negative), a name, or strings side by side, which join (as Kamailio's "a" "b"). */
    private String literal() {
        Token t = next();
        if (t.kind() == Token.Kind.STRING) {
            StringBuilder joined = new StringBuilder(t.text());
            while (peek().kind() == Token.Kind.STRING) {
                joined.append(next().text());
            }
            return joined.toString();
        }
        if (t.isOp("-") && peek().kind() == Token.Kind.NUMBER) {
            return "-" + next().text();
        }
        if (t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.IDENT) {
            return t.text();
        }
        throw error(t, "expected a string or a number, found " + t);
    }

    private void routeBlock() {
        Token kind = next();
        String name = kind.text().equals("request_route") ? "0" : null;
        if (peek().isOp("[")) {
            Token open = next();
            int close = p;
            while (!tokens.get(close).isOp("]") && tokens.get(close).kind() != Token.Kind.EOF) {
                close++;
            }
            String inner = lexer.text(open.offset() + 1, tokens.get(close).offset()).trim();
            if (inner.startsWith("\"") && inner.endsWith("\"") && inner.length() >= 2) {
                inner = inner.substring(1, inner.length() - 1);
            }
            p = close + 1;
            name = kind.text().equals("route") ? inner : kind.text() + "[" + inner + "]";
            if (kind.text().equals("route") && (inner.equals("0") || inner.equals("DEFAULT"))) {
                name = "0";
            }
        } else if (name == null) {
            name = kind.text().equals("route") ? "0" : kind.text();
        }
        routeType = BLOCKS.get(kind.text());
        if (routes.containsKey(name)) {
            error(kind, "route block " + name + " is defined twice");
        }
        routes.put(name, block());
    }

    // ---- statements ----

    private Node block() {
        expect("{");
        List<Node> nodes = new ArrayList<>();
        while (!peek().isOp("}")) {
            if (peek().kind() == Token.Kind.EOF) {
                throw error(peek(), "missing '}'");
            }
            int before = p;
            try {
                Node n = statement();
                if (n != null) {
                    nodes.add(n);
                }
            } catch (Syntax e) {
                recoverInBlock();
            }
            if (p == before) {
                p++;
            }
        }
        p++;
        return new Statements.Block(List.copyOf(nodes));
    }

    private Node body() {
        return peek().isOp("{") ? block() : statement();
    }

    private Node statement() {
        Token t = peek();
        if (t.isOp(";")) {
            p++;
            return null;
        }
        if (t.isOp("{")) {
            return block();
        }
        if (t.kind() == Token.Kind.IDENT) {
            switch (t.text()) {
                case "if" -> {
                    p++;
                    expect("(");
                    Expr cond = expression();
                    expect(")");
                    Node then = body();
                    Node otherwise = null;
                    if (peek().isWord("else")) {
                        p++;
                        otherwise = body();
                    }
                    return new Statements.If(cond, then == null ? r -> 1 : then, otherwise);
                }
                case "while" -> {
                    p++;
                    expect("(");
                    Expr cond = expression();
                    expect(")");
                    Node b = body();
                    return new Statements.While(cond, b == null ? r -> 1 : b, maxWhileLoops);
                }
                case "switch" -> {
                    return switchStatement();
                }
                case "return" -> {
                    p++;
                    Expr value = peek().isOp(";") ? null : expression();
                    endStatement();
                    return new Statements.Return(value);
                }
                case "exit", "drop", "break" -> {
                    p++;
                    if (peek().isOp("(") && peek(1).isOp(")")) {
                        p += 2;
                    }
                    endStatement();
                    return switch (t.text()) {
                        case "exit" -> new Statements.Jump(ScriptRun.Flow.EXIT, false);
                        case "drop" -> new Statements.Jump(ScriptRun.Flow.EXIT, true);
                        default -> new Statements.Jump(ScriptRun.Flow.BREAK, false);
                    };
                }
                default -> {
                    // a call
                }
            }
        }
        if (t.kind() == Token.Kind.PV && (peek(1).isOp("=") || peek(1).isOp(":="))) {
            Pv target = pv(next());
            p++;
            Expr value = expression();
            endStatement();
            if (!target.writable()) {
                throw error(t, t.text() + " cannot be assigned");
            }
            return new Statements.Assign(target, value);
        }
        Expr e = expression();
        endStatement();
        return new Statements.Evaluate(e);
    }

    private void endStatement() {
        Token t = peek();
        if (t.isOp(";")) {
            p++;
        } else if (!t.isOp("}")) {
            throw error(t, "expected ';' but found " + t);
        }
    }

    private Node switchStatement() {
        p++;
        expect("(");
        Expr subject = expression();
        expect(")");
        expect("{");
        List<Statements.Case> cases = new ArrayList<>();
        while (!peek().isOp("}")) {
            Token t = next();
            Object value;
            if (t.isWord("case")) {
                Token v = next();
                boolean negative = v.isOp("-") && peek().kind() == Token.Kind.NUMBER;
                if (negative) {
                    v = next(); // case -1: (Kamailio's lookup() return codes)
                }
                value = v.kind() == Token.Kind.NUMBER ? (Object) (negative ? -Values.toLong(v.text()) : Values.toLong(v.text()))
                        : v.text();
            } else if (t.isWord("default")) {
                value = null;
            } else {
                throw error(t, "expected case or default in switch, found " + t);
            }
            expect(":");
            List<Node> body = new ArrayList<>();
            while (!peek().isWord("case") && !peek().isWord("default") && !peek().isOp("}")) {
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "missing '}' after switch");
                }
                Node n = statement();
                if (n != null) {
                    body.add(n);
                }
            }
            cases.add(new Statements.Case(value, List.copyOf(body)));
        }
        p++;
        return new Statements.Switch(subject, List.copyOf(cases));
    }

}
