package org.siphon.core.internal.script;

import java.util.List;
import java.util.Locale;

import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core functions the engine implements itself, with Kamailio's names: logging
 * ({@code xlog}, {@code xdbg} … {@code xerr}, {@code log}), message flags, Request-URI rewriting
 * ({@code seturi}/{@code rewriteuri}, {@code sethost}, {@code setport}, {@code setuser},
 * {@code prefix}, {@code strip}, {@code strip_tail}, {@code revert_uri}), {@code force_rport},
 * branch flags ({@code setbflag}, {@code resetbflag}, {@code isbflagset}; the optional branch index is
 * accepted, branch 0 is meant until tm forks), {@code set_reply_no_connect}, {@code set_reply_close}
 * (the stream connection closes once the reply to the message is written), textopsx's
 * {@code msg_apply_changes} (the message is re-parsed with its edits; reads see them from then
 * on) and {@code change_reply_status(code, reason)} (reply routes),
 * kex's {@code isdsturiset}, {@code setdsturi(uri)}, {@code resetdsturi},
 * {@code force_send_socket}, {@code set_forward_no_connect} and {@code append_branch} (the branch
 * set is kept for tm to fork to). Each returns 1, or -1 when it cannot apply (e.g. rewriting a non-SIP URI).
 */
final class Builtins {

    static final Logger SCRIPT_LOG = LoggerFactory.getLogger("script");

    private Builtins() {
    }

    /** Whether {@code name} is a built-in. */
    static boolean has(String name) {
        return switch (name) {
            case "xlog", "xdbg", "xinfo", "xnotice", "xwarn", "xerr", "xalert", "xcrit", "log", "setflag", "resetflag",
                "isflagset", "seturi", "rewriteuri", "sethost", "rewritehost", "sethostport", "rewritehostport", "setport",
                "rewriteport", "setuser",
                "rewriteuser", "prefix", "strip", "strip_tail", "revert_uri", "force_rport", "append_branch",
                "force_send_socket", "set_forward_no_connect", "set_reply_no_connect", "set_reply_close", "setbflag", "resetbflag",
                "isbflagset", "msg_apply_changes", "change_reply_status", "remove_hf_value", "isdsturiset", "resetdsturi",
                "setdsturi" -> true;
            default -> false;
        };
    }

    /** Compiles a call; {@code args} are the compiled arguments (formats for strings). */
    static Expr compile(String name, List<Expr> args, List<String> raw) {
        switch (name) {
            case "xlog", "log" -> {
                require(name, args, 1, 2);
                String level = args.size() == 2 ? raw.get(0) : name.equals("log") ? "L_INFO" : "L_ERR";
                Expr text = args.get(args.size() - 1);
                return r -> log(level, text.eval(r));
            }
            case "xdbg", "xinfo", "xnotice", "xwarn", "xerr", "xalert", "xcrit" -> {
                require(name, args, 1, 1);
                String level = switch (name) {
                    case "xdbg" -> "L_DBG";
                    case "xinfo" -> "L_INFO";
                    case "xnotice" -> "L_NOTICE";
                    case "xwarn" -> "L_WARN";
                    default -> "L_ERR";
                };
                return r -> log(level, args.get(0).eval(r));
            }
            case "setflag", "resetflag", "isflagset" -> {
                require(name, args, 1, 1);
                int flag = flag(raw.get(0));
                return switch (name) {
                    case "setflag" -> r -> { r.flags |= 1L << flag; return 1L; };
                    case "resetflag" -> r -> { r.flags &= ~(1L << flag); return 1L; };
                    default -> r -> (r.flags & 1L << flag) != 0 ? 1L : -1L;
                };
            }
            case "seturi", "rewriteuri" -> {
                require(name, args, 1, 1);
                return r -> {
                    r.message().edits().setRequestUri(UriParser.parse(Values.toText(args.get(0).eval(r))));
                    return 1L;
                };
            }
            case "revert_uri" -> {
                require(name, args, 0, 0);
                return r -> {
                    r.message().edits().setRequestUri(((SipRequest) r.message()).requestUri());
                    return 1L;
                };
            }
            case "isdsturiset" -> {
                require(name, args, 0, 0);
                return r -> r.destination() != null ? 1L : -1L;
            }
            case "resetdsturi" -> {
                require(name, args, 0, 0);
                return r -> {
                    r.setDestination(null);
                    return 1L;
                };
            }
            case "setdsturi" -> {
                require(name, args, 1, 1);
                return r -> {
                    try {
                        r.setDestination(org.siphon.core.sip.uri.UriParser.parse(Values.toText(args.get(0).eval(r))));
                        return 1L;
                    } catch (RuntimeException e) {
                        return -1L;
                    }
                };
            }
            case "force_rport" -> {
                require(name, args, 0, 0);
                return r -> {
                    r.setForceRport(true);
                    if (r.message() instanceof org.siphon.core.internal.message.SipMessageImpl m) {
                        m.forceRport(true);
                    }
                    return 1L;
                };
            }
            case "setbflag", "resetbflag", "isbflagset" -> {
                require(name, args, 1, 2);
                int flag = flag(raw.get(0));
                return switch (name) {
                    case "setbflag" -> r -> { r.branchFlags |= 1L << flag; return 1L; };
                    case "resetbflag" -> r -> { r.branchFlags &= ~(1L << flag); return 1L; };
                    default -> r -> (r.branchFlags & 1L << flag) != 0 ? 1L : -1L;
                };
            }
            case "msg_apply_changes" -> {
                require(name, args, 0, 0);
                return r -> {
                    r.applyChanges();
                    return 1L;
                };
            }
            case "remove_hf_value" -> {
                require(name, args, 1, 1);
                HeaderValues.Spec spec = HeaderValues.parse(raw.get(0));
                return r -> HeaderValues.remove(r.message(), spec);
            }
            case "change_reply_status" -> {
                require(name, args, 2, 2);
                return r -> {
                    if (r.message() instanceof org.siphon.core.sip.SipResponse) {
                        r.message().edits().setStatus((int) Values.toLong(args.get(0).eval(r)), Values.toText(args.get(1).eval(r)));
                        return 1L;
                    }
                    return -1L;
                };
            }
            case "set_reply_close" -> {
                require(name, args, 0, 0);
                return r -> {
                    if (r.message() instanceof org.siphon.core.internal.message.SipMessageImpl m) {
                        m.replyClose(true);
                    }
                    return 1L;
                };
            }
            case "set_reply_no_connect" -> {
                require(name, args, 0, 0);
                return r -> {
                    if (r.message() instanceof org.siphon.core.internal.message.SipMessageImpl m) {
                        m.replyNoConnect(true);
                    }
                    return 1L;
                };
            }
            case "set_forward_no_connect" -> {
                require(name, args, 0, 0);
                return r -> {
                    r.setForwardNoConnect(true);
                    return 1L;
                };
            }
            case "force_send_socket" -> {
                require(name, args, 1, 1);
                try {
                    org.siphon.core.internal.transport.ListenSpec.parse(raw.get(0));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("force_send_socket: " + e.getMessage());
                }
                String socket = raw.get(0);
                return r -> {
                    r.setSendSocket(socket);
                    return 1L;
                };
            }
            case "append_branch" -> {
                require(name, args, 0, 1);
                return r -> {
                    if (args.isEmpty()) {
                        r.branches().add(new org.siphon.core.function.Branch(r.message().edits().requestUri(),
                                r.destination(), null, -1, r.branchFlags));
                    } else {
                        r.branches().add(org.siphon.core.function.Branch.of(UriParser.parse(Values.toText(args.get(0).eval(r)))));
                    }
                    return 1L;
                };
            }
            default -> {
                require(name, args, 1, 1);
                Expr arg = args.get(0);
                return r -> rewrite(name, r, Values.toText(arg.eval(r)));
            }
        }
    }

    /** {@code host[:port]}, IPv6 in brackets; no port clears the port. */
    private static SipUri hostPort(SipUri u, String value) {
        int colon = value.lastIndexOf(':');
        if (colon > 0 && value.indexOf(']', colon) < 0 && (value.startsWith("[") || value.indexOf(':') == colon)) {
            return u.withHost(value.substring(0, colon)).withPort(Integer.parseInt(value.substring(colon + 1)));
        }
        return u.withHost(value).withPort(-1);
    }

    private static Object rewrite(String name, ScriptRun r, String value) {
        Uri current = r.message().edits().requestUri();
        if (!(current instanceof SipUri u)) {
            return -1L;
        }
        String user = u.user() == null ? "" : u.user();
        SipUri next = switch (name) {
            case "sethost", "rewritehost" -> u.withHost(value);
            case "setport", "rewriteport" -> u.withPort(value.isEmpty() ? -1 : Integer.parseInt(value.trim()));
            case "sethostport", "rewritehostport" -> hostPort(u, value.trim());
            case "setuser", "rewriteuser" -> u.withUser(value);
            case "prefix" -> u.withUser(value + user);
            case "strip" -> u.withUser(user.substring(Math.min(user.length(), Integer.parseInt(value.trim()))));
            case "strip_tail" -> u.withUser(user.substring(0, Math.max(0, user.length() - Integer.parseInt(value.trim()))));
            default -> throw new IllegalStateException(name);
        };
        r.message().edits().setRequestUri(next.withParams(next.params() == null ? Parameters.NONE : next.params()));
        return 1L;
    }

    private static Object log(String level, Object text) {
        String t = Values.toText(text);
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        switch (level.toUpperCase(Locale.ROOT)) {
            case "L_DBG", "DBG" -> SCRIPT_LOG.debug(t);
            case "L_INFO", "INFO", "L_NOTICE", "NOTICE" -> SCRIPT_LOG.info(t);
            case "L_WARN", "WARN" -> SCRIPT_LOG.warn(t);
            default -> SCRIPT_LOG.error(t);
        }
        return 1L;
    }

    private static int flag(String raw) {
        try {
            int f = Integer.parseInt(raw.trim());
            if (f < 0 || f > 63) {
                throw new IllegalArgumentException("flag " + f + " is not 0..63");
            }
            return f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flag must be a number 0..63, not \"" + raw + "\"");
        }
    }

    private static void require(String name, List<Expr> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException(name + "() takes " + (min == max ? min : min + " to " + max)
                    + " argument" + (max == 1 ? "" : "s") + ", not " + args.size());
        }
    }
}
