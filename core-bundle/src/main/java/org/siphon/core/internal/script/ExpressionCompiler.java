package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.pv.PseudoVariableExport;

/**
 * The expression half of the script compiler: Kamailio's operators by precedence, literals,
 * keywords, function calls (fixed up here, once) and pseudo-variables (bound here, with their
 * transformations). Not thread-safe.
 */
abstract class ExpressionCompiler extends TokenCursor {

    final FunctionRegistry functions;
    final java.util.function.Function<String, java.util.Optional<PseudoVariableExport>> pvs;
    final FunctionCall.Replier replier;
    final Set<String> modules = new LinkedHashSet<>();
    final List<FunctionCall> calls = new ArrayList<>();
    /** The module pseudo-variables the script reads or writes, for re-binding. */
    final List<Pv> modulePvs = new ArrayList<>();
    final List<Token> routeCalls = new ArrayList<>();
    RouteType routeType = RouteType.REQUEST;
    /** {@code latency_limit_action}: calls slower than this many ms are logged (0: off). */
    int latencyLimitMillis;
    /** {@code max_while_loops}. */
    int maxWhileLoops = Statements.MAX_WHILE_LOOPS;

    ExpressionCompiler(Preprocessor.Result source, FunctionRegistry functions,
            java.util.function.Function<String, java.util.Optional<PseudoVariableExport>> pvs, FunctionCall.Replier replier) {
        super(source);
        this.functions = functions;
        this.pvs = pvs;
        this.replier = replier;
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
            } else if ((t.isOp("==") || t.isOp("!=")) && ipv4Ahead(1)) {
                p++;
                left = Keywords.inNetwork(left, ipv4Network(), t.isOp("!="));
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

    /** Whether an IPv4 address written bare ({@code src_ip == 10.0.0.1}) starts {@code ahead} tokens on. */
    private boolean ipv4Ahead(int ahead) {
        for (int i = 0; i < 7; i++) {
            Token t = peek(ahead + i);
            if (i % 2 == 0 ? t.kind() != Token.Kind.NUMBER : !t.isOp(".")) {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code a.b.c.d} or {@code a.b.c.d/bits} (Kamailio's address and network literals). */
    private String ipv4Network() {
        Token first = peek();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            sb.append(next().text());
        }
        if (peek().isOp("/") && peek(1).kind() == Token.Kind.NUMBER) {
            p++;
            sb.append('/').append(next().text());
        }
        try {
            Keywords.network(sb.toString());
        } catch (IllegalArgumentException e) {
            throw error(first, e.getMessage());
        }
        return sb.toString();
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
        if (t.isWord("defined") || t.isWord("strlen") || t.isWord("strempty")) {
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

    Expr call(Token name) {
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
            Node call = new Statements.RouteCall(argTokens.get(0).text());
            return (CallExpr) r -> (long) call.run(r);
        }
        List<String> raw = argTokens.stream().map(Token::text).toList();
        List<Expr> args = argTokens.stream().map(this::argument).toList();
        String where = source.fileOf(name.line()) + ":" + source.lineOf(name.line());
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
            FunctionCall c = new FunctionCall(f, raw, dynamic ? args : null, where, replier, latencyLimitMillis);
            calls.add(c);
            if (!"core".equals(f.module())) {
                modules.add(f.module());
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw error(name, f.name() + "(): " + e.getMessage());
        }
    }

    Expr argument(Token a) {
        return switch (a.kind()) {
            case PV -> pv(a);
            case STRING -> Format.of(a.text(), this::pvOrFail);
            default -> {
                String text = a.text();
                yield r -> text;
            }
        };
    }

    Pv pvOrFail(String text) {
        Token fake = peek();
        return pvAt(text, fake);
    }

    Pv pv(Token t) {
        return pvAt(t.text(), t);
    }

    Pv pvAt(String text, Token at) {
        String[] parts = Pv.split(text);
        PseudoVariableExport e = pvs.apply(parts[0]).orElseThrow(() -> error(at, "unknown pseudo-variable " + text));
        if (parts[1] == null && e.innerName() == PseudoVariableExport.InnerName.REQUIRED) {
            throw error(at, text + " needs a name in parentheses");
        }
        if (parts[1] != null && e.innerName() == PseudoVariableExport.InnerName.NONE) {
            throw error(at, "$" + parts[0] + " takes no name in parentheses");
        }
        try {
            Pv pv = new Pv(text, e, parts[1]);
            if (parts[2] != null) {
                List<Transformations.Tr> chain = new ArrayList<>();
                for (String spec : Transformations.split(parts[2])) {
                    chain.add(Transformations.compile(spec, p -> Format.of(p, this::pvOrFail)));
                }
                pv = pv.transformed(chain);
            }
            if (!"core".equals(e.module())) {
                modulePvs.add(pv);
            }
            return pv;
        } catch (IllegalArgumentException ex) {
            throw error(at, text + ": " + ex.getMessage());
        }
    }
}
