package org.siphon.dispatcher.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;

/**
 * RPC with kamcmd's names: {@code dispatcher.list}, {@code .reload}, {@code .set_state},
 * {@code .set_duid_state}, {@code .ping_active}, {@code .add}, {@code .remove}, {@code .hash}.
 * Answers are shaped as Kamailio's ({@code NRSETS}, {@code RECORDS}, {@code SET}, {@code DEST} …).
 */
final class DispatcherRpc {

    private final DispatcherComponent ds;

    DispatcherRpc(DispatcherComponent ds) {
        this.ds = ds;
    }

    List<RpcCommand> all() {
        String m = DispatcherComponent.MODULE;
        return List.of(
                new RpcCommand("dispatcher.list", m, "[short|full]", "The sets with their destinations, flags and attributes.",
                        this::list),
                new RpcCommand("dispatcher.reload", m, "", "Reloads the list file or table; refused lists keep the sets in use.",
                        p -> {
                            String r = ds.reload();
                            if (r.startsWith("refused")) {
                                throw new RpcException(500, r);
                            }
                            return r;
                        }),
                new RpcCommand("dispatcher.set_state", m, "state group address|all",
                        "Sets a destination's state: a, i, t or d, optionally followed by p.", p -> {
                            p.expect(3, 3, "state group address");
                            String addr = p.string(2);
                            return setState(p, d -> addr.equals("all") || d.uri().equals(addr), addr);
                        }),
                new RpcCommand("dispatcher.set_duid_state", m, "state group duid",
                        "Sets the state of the destinations whose duid attribute matches.", p -> {
                            p.expect(3, 3, "state group duid");
                            String duid = p.string(2);
                            return setState(p, d -> duid.equals(d.duid()), duid);
                        }),
                new RpcCommand("dispatcher.ping_active", m, "[0|1]", "Shows or sets whether keepalives are sent.", p -> {
                    boolean old = ds.states.pingActive();
                    if (p.size() == 0) {
                        return Map.of("OldPingState", old ? 1L : 0L);
                    }
                    boolean on = p.integer(0) != 0;
                    ds.states.pingActive(on);
                    return Map.of("OldPingState", old ? 1L : 0L, "NewPingState", on ? 1L : 0L);
                }),
                new RpcCommand("dispatcher.add", m, "group address [flags [priority [attrs]]]",
                        "Adds a destination to the sets in memory (gone at the next reload).", p -> {
                            p.expect(2, 5, "group address [flags [priority [attrs]]]");
                            Destination d;
                            try {
                                d = ListFile.destination("rpc", p.string(0), p.string(1), p.string(2, "0"), p.string(3, "0"),
                                        p.string(4, ""));
                            } catch (ListFile.ListException e) {
                                throw RpcException.invalidParams(e.getMessage());
                            }
                            ds.replace(l -> l.with(d));
                            return "Ok";
                        }),
                new RpcCommand("dispatcher.remove", m, "group address",
                        "Removes a destination from the sets in memory (back at the next reload).", p -> {
                            p.expect(2, 2, "group address");
                            int set = (int) p.integer(0);
                            String uri = p.string(1);
                            if (ds.list().without(set, uri) == ds.list()) {
                                throw RpcException.notFound("destination not found: " + set + " " + uri);
                            }
                            ds.replace(l -> l.without(set, uri));
                            return "Ok";
                        }),
                new RpcCommand("dispatcher.hash", m, "nslots val1 [val2]",
                        "The hash of the values (a URI: user and host[:port]) and its slot among nslots.", p -> {
                            p.expect(2, 3, "nslots val1 [val2]");
                            long n = p.integer(0);
                            int h = Hashes.hash(p.string(1), p.size() > 2 ? p.string(2) : null);
                            Map<String, Object> r = new LinkedHashMap<>();
                            r.put("hashid", (long) h);
                            if (n > 0) {
                                r.put("slot", h % n);
                            }
                            return r;
                        }));
    }

    private Object setState(RpcParams p, java.util.function.Predicate<Destination> which, String what) throws RpcException {
        String state = p.string(0);
        try {
            States.parse(state);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams(e.getMessage());
        }
        int group = (int) p.integer(1);
        if (ds.setState(group, which, state) == 0) {
            throw RpcException.notFound("destination not found: " + group + " " + what);
        }
        return "Ok";
    }

    private Object list(RpcParams p) throws RpcException {
        boolean full = "full".equalsIgnoreCase(p.string(0, ""));
        boolean brief = "short".equalsIgnoreCase(p.string(0, ""));
        DsList l = ds.list();
        List<Object> records = new ArrayList<>();
        for (DsList.DsSet set : l.sets().values()) {
            List<Object> targets = new ArrayList<>();
            for (Destination d : set.destinations()) {
                Map<String, Object> dest = new LinkedHashMap<>();
                dest.put("URI", d.uri());
                dest.put("FLAGS", States.letters(ds.states.flags(d)));
                dest.put("PRIORITY", (long) d.priority());
                if (!brief) {
                    Map<String, Object> attrs = new LinkedHashMap<>();
                    attrs.put("BODY", d.attrs());
                    if (full) {
                        attrs.put("DUID", d.duid());
                        attrs.put("MAXLOAD", (long) d.maxload());
                        attrs.put("WEIGHT", (long) d.weight());
                        attrs.put("RWEIGHT", (long) d.rweight());
                        attrs.put("SOCKET", d.attr("socket") == null ? "" : d.attr("socket"));
                        attrs.put("SOCKNAME", d.attr("sockname") == null ? "" : d.attr("sockname"));
                        attrs.put("OBPROXY", d.attr("obproxy") == null ? "" : d.attr("obproxy"));
                    }
                    dest.put("ATTRS", attrs);
                    if (ds.config.ds__ping__latency__stats() != 0) {
                        dest.put("LATENCY", Latency.rpc(ds.states.table, d.key()));
                    }
                }
                targets.add(Map.of("DEST", dest));
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("ID", (long) set.id());
            s.put("TARGETS", targets);
            records.add(Map.of("SET", s));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("NRSETS", (long) l.sets().size());
        out.put("RECORDS", records);
        return out;
    }
}
