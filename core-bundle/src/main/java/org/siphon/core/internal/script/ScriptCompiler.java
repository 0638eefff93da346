package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.pv.PseudoVariableExport;

/**
 * Compiles preprocessed script text into a {@link Script} in one pass: global parameters,
 * {@code loadmodule}, {@code modparam}, route blocks, statements and expressions with Kamailio's
 * operator precedence. Function arguments are fixed up here, once; pseudo-variables are bound
 * to their exports here. Every problem is collected with file:line:column. Not thread-safe.
 */
final class ScriptCompiler {

    /** Route block kinds and the route type their functions run in. */
    private static final Map<String, RouteType> BLOCKS = Map.of("request_route", RouteType.REQUEST, "route",
            RouteType.REQUEST, "reply_route", RouteType.ONREPLY, "onreply_route", RouteType.ONREPLY, "failure_route",
            RouteType.FAILURE, "branch_route", RouteType.BRANCH, "onsend_route", RouteType.ONSEND, "event_route",
            RouteType.EVENT);

    private final Preprocessor.Result source;
    private final FunctionRegistry functions;
    private final java.util.function.Function<String, java.util.Optional<PseudoVariableExport>> pvs;
    private final FunctionCall.Replier replier;
    private final java.util.function.Predicate<String> moduleActive;
    private final List<ScriptException.Problem> problems = new ArrayList<>();
    private final Lexer lexer;
    private final List<Token> tokens;
    private int p;

    private final Map<String, Node> routes = new LinkedHashMap<>();
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final Set<String> modules = new LinkedHashSet<>();
    private final List<String[]> modparams = new ArrayList<>();
    private final List<FunctionCall> calls = new ArrayList<>();
    private final List<Token> routeCalls = new ArrayList<>();
    private RouteType routeType = RouteType.REQUEST;

    /**
     * @param pvs          finds a pseudo-variable class by name
     * @param moduleActive whether a module named by loadmodule is active
     */
    ScriptCompiler(Preprocessor.Result source, FunctionRegistry functions,
            java.util.function.Function<String, java.util.Optional<PseudoVariableExport>> pvs,
            FunctionCall.Replier replier, java.util.function.Predicate<String> moduleActive) {
        this.source = source;
        this.functions = functions;
        this.pvs = pvs;
        this.replier = replier;
        this.moduleActive = moduleActive;
        this.lexer = new Lexer(source.text(), "script", problems);
        this.tokens = lexer.tokens();
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
            throw new ScriptException(problems.stream().map(this::mapped).toList());
        }
        return new Script(name, routes, globals, modules, modparams, calls);
    }

    /** Turns a position in the preprocessed text into the file and line it came from. */
    private ScriptException.Problem mapped(ScriptException.Problem pr) {
        if (pr.line() <= 0) {
            return pr;
        }
        return new ScriptException.Problem(source.fileOf(pr.line()), source.lineOf(pr.line()), pr.column(), pr.message());
    }

    /** Thrown to abandon a statement after an error; parsing resumes after the next ';' or '}'. */
    private static final class Syntax extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Syntax() {
            super(null, null, false, false);
        }
    }

    private void recover() {
        while (peek().kind() != Token.Kind.EOF && !peek().isOp(";") && !peek().isOp("}")) {
            p++;
        }
        if (peek().kind() != Token.Kind.EOF) {
            p++;
        }
    }

    /** Skips to the end of the broken statement: a ';' or a whole {...} at this depth; stops before the block's '}'. */
    private void recoverInBlock() {
        int depth = 0;
        while (peek().kind() != Token.Kind.EOF) {
            Token t = peek();
            if (t.isOp("{")) {
                depth++;
            } else if (t.isOp("}")) {
                if (depth == 0) {
                    return;
                }
                depth--;
                if (depth == 0) {
                    p++;
                    return;
                }
            } else if (t.isOp(";") && depth == 0) {
                p++;
                return;
            }
            p++;
        }
    }

    private Syntax error(Token at, String message) {
        problems.add(new ScriptException.Problem("script", at.line(), at.column(), message));
        return new Syntax();
    }

    private Token peek() {
        return tokens.get(Math.min(p, tokens.size() - 1));
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token next() {
        return tokens.get(Math.min(p++, tokens.size() - 1));
    }

    /** Consumes {@code op}; on a mismatch reports it and leaves the token for error recovery. */
    private Token expect(String op) {
        Token t = peek();
        if (!t.isOp(op)) {
            throw error(t, "expected '" + op + "' but found " + t);
        }
        p++;
        return t;
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
            if (!ModuleNames.IN_CORE.contains(module) && !moduleActive.test(module)) {
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
        String problem = GlobalParameters.check(name.text(), value);
        if (problem != null) {
            error(name, problem);
        }
        globals.merge(name.text(), value, (a, b) -> a + "\n" + b);
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
            modparams.add(new String[] { ModuleNames.normalise(m), param, value });
        }
        if (module.isEmpty()) {
            error(at, "modparam needs a module name");
        }
    }

    private String literal() {
        Token t = next();
        if (t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.IDENT) {
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
                    return new Statements.While(cond, b == null ? r -> 1 : b);
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
                value = v.kind() == Token.Kind.NUMBER ? (Object) Values.toLong(v.text()) : v.text();
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

    // ---- expressions, lowest precedence first ----

    Expr expression() {
        Expr left = and();
        while (peek().isOp("||")) {
            p++;
            left = new Operators.Logical(false, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = comparison();
        while (peek().isOp("&&")) {
            p++;
            left = new Operators.Logical(true, left, comparison());
        }
        return left;
    }

    private static final Set<String> COMPARE = Set.of("==", "!=", ">", "<", ">=", "<=", "eq", "ne", "ieq", "ine");

    private Expr comparison() {
        Expr left = bitwise();
        while (true) {
            Token t = peek();
            if (t.isOp("=~") || t.isOp("!~")) {
                p++;
                Token rightToken = peek();
                Expr right = bitwise();
                Pattern constant = null;
                if (rightToken.kind() == Token.Kind.STRING && rightToken.text().indexOf('$') < 0) {
                    try {
                        constant = Pattern.compile(rightToken.text());
                    } catch (PatternSyntaxException e) {
                        throw error(rightToken, "bad regular expression: " + e.getDescription());
                    }
                }
                left = new Operators.Match(left, right, constant, t.isOp("!~"));
            } else if ((t.kind() == Token.Kind.OP || t.kind() == Token.Kind.IDENT) && COMPARE.contains(t.text())) {
                p++;
                if (peek().isWord("myself") && (t.isOp("==") || t.isOp("!="))) {
                    p++;
                    left = Keywords.myself(left, t.isOp("!="));
                } else {
                    left = new Operators.Binary(t.text(), left, bitwise());
                }
            } else {
                return left;
            }
        }
    }

    private Expr bitwise() {
        Expr left = shift();
        while (peek().isOp("|") || peek().isOp("&") || peek().isOp("^")) {
            String op = next().text();
            left = new Operators.Binary(op, left, shift());
        }
        return left;
    }

    private Expr shift() {
        Expr left = additive();
        while (peek().isOp("<<") || peek().isOp(">>")) {
            String op = next().text();
            left = new Operators.Binary(op, left, additive());
        }
        return left;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().isOp("+") || peek().isOp("-")) {
            String op = next().text();
            left = new Operators.Binary(op, left, multiplicative());
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().isOp("*") || peek().isOp("/") || peek().isWord("mod")) {
            String op = next().text();
            left = new Operators.Binary(op, left, unary());
        }
        return left;
    }

    private Expr unary() {
        Token t = peek();
        if (t.isOp("!") || t.isOp("-") || t.isOp("~")) {
            p++;
            return new Operators.Unary(t.text(), unary());
        }
        if (t.isWord("defined") || t.isWord("strlen")) {
            p++;
            return new Operators.Unary(t.text(), unary());
        }
        if (t.isOp("(") && peek(1).kind() == Token.Kind.IDENT && (peek(1).isWord("int") || peek(1).isWord("str"))
                && peek(2).isOp(")")) {
            p += 3;
            return new Operators.Unary("(" + tokens.get(p - 2).text() + ")", unary());
        }
        return primary();
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER -> {
                Long v = Values.toLong(t.text());
                return r -> v;
            }
            case STRING -> {
                return Format.of(t.text(), this::pvOrFail);
            }
            case PV -> {
                return pv(t);
            }
            case OP -> {
                if (t.isOp("(")) {
                    Expr e = expression();
                    expect(")");
                    return e;
                }
                throw error(t, "unexpected " + t);
            }
            case IDENT -> {
                if (peek().isOp("(")) {
                    return call(t);
                }
                if (t.isWord("msg") && peek().isOp(":") && peek(1).isWord("len")) {
                    p += 2;
                    return Keywords.compile("msg:len");
                }
                Expr keyword = Keywords.compile(t.text());
                if (keyword != null) {
                    return keyword;
                }
                if (functions.find(t.text()).isPresent() || Builtins.has(t.text())) {
                    return call(t);
                }
                throw error(t, "unknown word '" + t.text() + "'");
            }
            default -> throw error(t, "unexpected " + t);
        }
    }

    // ---- calls and pseudo-variables ----

    private Expr call(Token name) {
        List<Token> argTokens = new ArrayList<>();
        if (peek().isOp("(")) {
            p++;
            while (!peek().isOp(")")) {
                Token a = next();
                if (a.kind() == Token.Kind.EOF || a.isOp(";")) {
                    throw error(a, "missing ')' in the call of " + name.text());
                }
                if (a.kind() == Token.Kind.OP && !a.isOp("-")) {
                    throw error(a, "unexpected " + a + " in the arguments of " + name.text());
                }
                if (a.isOp("-") && peek().kind() == Token.Kind.NUMBER) {
                    a = new Token(Token.Kind.NUMBER, "-" + next().text(), a.line(), a.column(), a.offset());
                }
                argTokens.add(a);
                if (peek().isOp(",")) {
                    p++;
                }
            }
            p++;
        }
        if (name.isWord("route")) {
            if (argTokens.size() != 1) {
                throw error(name, "route() takes the name of a route block");
            }
            routeCalls.add(argTokens.get(0));
            Node call = new Statements.RouteCall(argTokens.get(0).text(), name.line());
            return (CallExpr) r -> (long) call.run(r);
        }
        List<String> raw = argTokens.stream().map(Token::text).toList();
        List<Expr> args = argTokens.stream().map(this::argument).toList();
        String where = "line " + source.lineOf(name.line());
        if (Builtins.has(name.text())) {
            try {
                Expr builtin = Builtins.compile(name.text(), args, raw);
                return (CallExpr) builtin::eval;
            } catch (IllegalArgumentException e) {
                throw error(name, e.getMessage());
            }
        }
        FunctionExport f = functions.find(name.text()).orElseThrow(() -> error(name, "unknown function '"
                + name.text() + "' (no active module exports it; is its loadmodule missing?)"));
        if (!f.acceptsArgs(args.size())) {
            throw error(name, f.name() + "() of module " + f.module() + " takes " + (f.minArgs() == f.maxArgs()
                    ? f.minArgs() : f.minArgs() + " to " + f.maxArgs()) + " arguments, not " + args.size());
        }
        if (!f.routeTypes().contains(routeType)) {
            throw error(name, f.name() + "() cannot be used in " + routeType.kamailioName());
        }
        boolean dynamic = argTokens.stream().anyMatch(a -> a.kind() == Token.Kind.PV
                || a.kind() == Token.Kind.STRING && a.text().indexOf('$') >= 0);
        try {
            FunctionCall c = new FunctionCall(f, raw, dynamic ? args : null, where, replier);
            calls.add(c);
            if (!"core".equals(f.module())) {
                modules.add(f.module());
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw error(name, f.name() + "(): " + e.getMessage());
        }
    }

    private Expr argument(Token a) {
        return switch (a.kind()) {
            case PV -> pv(a);
            case STRING -> Format.of(a.text(), this::pvOrFail);
            default -> {
                String text = a.text();
                yield r -> text;
            }
        };
    }

    private Pv pvOrFail(String text) {
        Token fake = peek();
        return pvAt(text, fake);
    }

    private Pv pv(Token t) {
        return pvAt(t.text(), t);
    }

    private Pv pvAt(String text, Token at) {
        String[] parts = Pv.split(text);
        PseudoVariableExport e = pvs.apply(parts[0]).orElseThrow(() -> error(at, "unknown pseudo-variable " + text));
        if (parts[1] == null && e.innerName() == PseudoVariableExport.InnerName.REQUIRED) {
            throw error(at, text + " needs a name in parentheses");
        }
        if (parts[1] != null && e.innerName() == PseudoVariableExport.InnerName.NONE) {
            throw error(at, "$" + parts[0] + " takes no name in parentheses");
        }
        try {
            Pv pv = new Pv(text, e, parts[1] == null ? null : e.parseName(parts[1]));
            if (parts[2] == null) {
                return pv;
            }
            List<Transformations.Tr> chain = new ArrayList<>();
            for (String spec : Transformations.split(parts[2])) {
                chain.add(Transformations.compile(spec, p -> Format.of(p, this::pvOrFail)));
            }
            return pv.transformed(chain);
        } catch (IllegalArgumentException ex) {
            throw error(at, text + ": " + ex.getMessage());
        }
    }
}
