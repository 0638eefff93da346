package org.siphon.htable.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.store.SharedStore;
import org.siphon.core.store.StoreTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code htable}: named hash tables the script reads and writes ({@code $sht(name=>key)}),
 * with Kamailio's {@code autoexpire} and {@code initval}, functions {@code sht_rm},
 * {@code sht_inc}, {@code sht_dec}, {@code sht_reset}, and RPC {@code htable.*}. The contents
 * live in the core's {@link SharedStore} (tables {@code htable:NAME}), so they survive an update
 * of this module. Keys may hold pseudo-variables ({@code $sht(ipban=>$si)}).
 */
@Component(immediate = true, configurationPid = "org.siphon.htable", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HtableComponent.Config.class)
public class HtableComponent implements SiphonModule {

    static final String MODULE = "htable";
    private static final Logger LOG = LoggerFactory.getLogger(HtableComponent.class);
    private static final Pattern PV = Pattern.compile("\\$\\w+(\\([^)]*\\))?");

    @ObjectClassDefinition(name = "Siphon module htable")
    public @interface Config {
        @AttributeDefinition(description = "Table definitions, name=>autoexpire=SECONDS;initval=N (repeat the modparam for several)",
                cardinality = Integer.MAX_VALUE)
        String[] htable() default {};
    }

    /** {@code name=>key} parsed once; the key may need formatting per message. */
    record Item(String table, String key, boolean dynamic) {
    }

    @Reference
    private SharedStore store;
    /** The definitions by table name, replaced whole by {@code cfg.reload}. */
    private volatile Map<String, TableSpec> specs = Map.of();

    public HtableComponent() {
    }

    /** For tests. */
    HtableComponent(SharedStore store, String... definitions) {
        this.store = store;
        specs = specs(definitions);
    }

    @Activate
    void activate(Config c) {
        specs = specs(c.htable());
    }

    /**
     * {@code cfg.reload} with changed definitions: they apply live. The items stay (they are in the
     * core's store); an item keeps the expiry it was given, and the next set or increment uses the
     * new {@code autoexpire} and {@code initval}. A table no longer defined keeps its items and is
     * used as an undefined one (no expiry, initval 0).
     */
    @Modified
    void modified(Config c) {
        specs = specs(c.htable());
        LOG.info("htable definitions changed: {}", specs.keySet());
    }

    private static Map<String, TableSpec> specs(String[] definitions) {
        Map<String, TableSpec> out = new LinkedHashMap<>();
        for (String d : definitions) {
            TableSpec s = TableSpec.parse(d);
            out.put(s.name(), s);
        }
        return Map.copyOf(out);
    }

    @Override
    public String name() {
        return MODULE;
    }

    TableSpec spec(String table) {
        return specs.getOrDefault(table, new TableSpec(table, 0, null));
    }

    StoreTable table(String name) {
        return store.table("htable:" + name);
    }

    static Item item(String inner) {
        int arrow = inner.indexOf("=>");
        if (arrow <= 0) {
            throw new IllegalArgumentException("expected $sht(table=>key), not $sht(" + inner + ")");
        }
        String key = inner.substring(arrow + 2);
        return new Item(inner.substring(0, arrow).trim(), key, key.contains("$"));
    }

    /** The key for this message: pseudo-variables in it read now. */
    static String key(ActionContext ctx, Item item) {
        if (!item.dynamic()) {
            return item.key();
        }
        ScriptHandle h = ctx.scriptHandle();
        Matcher m = PV.matcher(item.key());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = h == null ? null : h.value(m.group(), ctx.message());
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "<null>" : v.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    void set(String table, String key, Object value) {
        if (value == null) {
            table(table).remove(key);
        } else {
            table(table).put(key, value instanceof Number n ? (Object) n.longValue() : value.toString(),
                    spec(table).autoexpireSec() * 1000);
        }
    }

    long add(String table, String key, long delta) {
        TableSpec s = spec(table); // one definition for both, should cfg.reload change it meanwhile
        Long init = s.initval();
        return table(table).add(key, delta, init == null ? 0 : init, s.autoexpireSec() * 1000);
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(
                PseudoVariableExport.builder("sht", MODULE).innerName(InnerName.REQUIRED, HtableComponent::item)
                        .description("$sht(table=>key): an item of a hash table; assigning $null removes it")
                        .getter((c, n) -> {
                            Item i = (Item) n;
                            return table(i.table()).get(key(c, i));
                        })
                        .setter((c, n, v) -> {
                            Item i = (Item) n;
                            set(i.table(), key(c, i), v);
                        }).build(),
                PseudoVariableExport.builder("shtex", MODULE).innerName(InnerName.REQUIRED, HtableComponent::item)
                        .description("$shtex(table=>key): seconds the item has left (0: no expiry); assigning sets them")
                        .getter((c, n) -> {
                            Item i = (Item) n;
                            long at = table(i.table()).expiresAt(key(c, i));
                            return at <= 0 ? 0L : Math.max(0, (at - System.currentTimeMillis() + 999) / 1000);
                        })
                        .setter((c, n, v) -> {
                            Item i = (Item) n;
                            String k = key(c, i);
                            Object current = table(i.table()).get(k);
                            if (current != null) {
                                table(i.table()).put(k, current, Long.parseLong(String.valueOf(v)) * 1000);
                            }
                        }).build(),
                PseudoVariableExport.builder("shtinc", MODULE).innerName(InnerName.REQUIRED, HtableComponent::item)
                        .description("$shtinc(table=>key): adds 1 atomically and reads the new value")
                        .getter((c, n) -> add(((Item) n).table(), key(c, (Item) n), 1)).build(),
                PseudoVariableExport.builder("shtdec", MODULE).innerName(InnerName.REQUIRED, HtableComponent::item)
                        .description("$shtdec(table=>key): subtracts 1 atomically and reads the new value")
                        .getter((c, n) -> add(((Item) n).table(), key(c, (Item) n), -1)).build());
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
                FunctionExport.builder("sht_rm", MODULE).args(2).routes(RouteType.any())
                        .description("Removes an item; 1, or -1 when there was none.")
                        .handler((c, a) -> table(String.valueOf(a[0])).remove(String.valueOf(a[1])) != null ? 1 : -1).build(),
                FunctionExport.builder("sht_inc", MODULE).args(2).routes(RouteType.any())
                        .description("Adds 1 to an item atomically (initval when absent); 1.")
                        .handler((c, a) -> {
                            add(String.valueOf(a[0]), String.valueOf(a[1]), 1);
                            return 1;
                        }).build(),
                FunctionExport.builder("sht_dec", MODULE).args(2).routes(RouteType.any())
                        .description("Subtracts 1 from an item atomically; 1.")
                        .handler((c, a) -> {
                            add(String.valueOf(a[0]), String.valueOf(a[1]), -1);
                            return 1;
                        }).build(),
                FunctionExport.builder("sht_reset", MODULE).args(1).routes(RouteType.any())
                        .description("Empties a table; 1.")
                        .handler((c, a) -> {
                            table(String.valueOf(a[0])).clear();
                            return 1;
                        }).build());
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new HtableRpc(this).all();
    }

    /** The tables defined or filled. */
    List<String> tableNames() {
        List<String> names = new ArrayList<>(specs.keySet());
        for (String t : store.tables()) {
            if (t.startsWith("htable:") && !names.contains(t.substring(7))) {
                names.add(t.substring(7));
            }
        }
        names.sort(null);
        return names;
    }

    Map<String, Object> describe(String name) {
        TableSpec s = spec(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("autoexpire", s.autoexpireSec());
        m.put("initval", s.initval() == null ? "" : s.initval());
        m.put("items", table(name).size());
        return m;
    }

    static RpcException notFound(String table, String key) {
        return new RpcException(404, "no item " + key + " in table " + table);
    }
}
