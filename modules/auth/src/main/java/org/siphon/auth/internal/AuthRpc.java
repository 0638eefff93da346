package org.siphon.auth.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;

/**
 * auth's RPC commands: the subscriber table as {@code kamctl add/passwd/rm} changes it, and the
 * brute-force bans ({@code auth.bans}, {@code auth.unban}). Stateless.
 */
final class AuthRpc {

    static final String MODULE = AuthComponent.MODULE;

    private AuthRpc() {
    }

    /** The commands over the subscriber table (null while it cannot be opened) and the ban list. */
    static List<RpcCommand> commands(Supplier<Subscribers> subscribers, Guard guard) {
        return List.of(
                new RpcCommand("subscriber.add", MODULE, "user@domain password", "Adds a subscriber (kamctl add).",
                        p -> put(subscribers, p.string(0), p.string(1), false)),
                new RpcCommand("subscriber.passwd", MODULE, "user@domain password", "Changes a subscriber's password (kamctl passwd).",
                        p -> put(subscribers, p.string(0), p.string(1), true)),
                new RpcCommand("subscriber.rm", MODULE, "user@domain", "Removes a subscriber (kamctl rm).", p -> {
                    String[] ud = userDomain(p.string(0));
                    try {
                        if (!table(subscribers).remove(ud[0], ud[1])) {
                            throw new RpcException(404, "no subscriber " + p.string(0));
                        }
                    } catch (SQLException e) {
                        throw new RpcException(500, e.getMessage());
                    }
                    return "ok";
                }),
                new RpcCommand("auth.bans", MODULE, "", "The addresses banned for failed authentications, with the "
                        + "seconds left.", p -> guard.bans()),
                new RpcCommand("auth.unban", MODULE, "address", "Lifts the ban of an address.", p -> {
                    if (!guard.unban(p.string(0))) {
                        throw new RpcException(404, "no ban for " + p.string(0));
                    }
                    return "ok";
                }),
                new RpcCommand("subscriber.list", MODULE, "", "Every subscriber, user@domain.", p -> {
                    try {
                        return table(subscribers).list();
                    } catch (SQLException e) {
                        throw new RpcException(500, e.getMessage());
                    }
                }));
    }

    private static Subscribers table(Supplier<Subscribers> subscribers) throws RpcException {
        Subscribers s = subscribers.get();
        if (s == null) {
            throw new RpcException(503, "the database is not reachable");
        }
        return s;
    }

    private static Object put(Supplier<Subscribers> subscribers, String who, String password, boolean replace)
            throws RpcException {
        String[] ud = userDomain(who);
        if (password.isEmpty()) {
            throw new RpcException(400, "the password is empty");
        }
        try {
            if (!table(subscribers).put(ud[0], ud[1], password, replace)) {
                throw new RpcException(replace ? 404 : 409, (replace ? "no subscriber " : "already a subscriber: ") + who);
            }
        } catch (SQLException e) {
            throw new RpcException(500, e.getMessage());
        }
        return "ok";
    }

    private static String[] userDomain(String who) throws RpcException {
        int at = who.indexOf('@');
        if (at <= 0 || at == who.length() - 1) {
            throw new RpcException(400, "expected user@domain, not " + who);
        }
        return new String[] { who.substring(0, at), who.substring(at + 1).toLowerCase(Locale.ROOT) };
    }
}
