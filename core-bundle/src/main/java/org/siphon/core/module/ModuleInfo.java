package org.siphon.core.module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One module as the administration commands show it.
 *
 * @param name      the module name ({@code Siphon-Module} header), e.g. {@code tm}
 * @param bundle    the bundle's symbolic name
 * @param version   the bundle's version
 * @param bundleId  the framework's bundle id
 * @param state     {@code installed}, {@code resolved}, {@code starting}, {@code active} or {@code stopping}
 * @param location  where the bundle was installed from
 * @param exporting whether its exports are in the registries (its component is active)
 * @param functions number of script functions it exports now
 * @param pseudoVariables number of pseudo-variable classes it exports now
 * @param rpcCommands number of RPC commands it exports now
 */
public record ModuleInfo(String name, String bundle, String version, long bundleId, String state,
        String location, boolean exporting, int functions, int pseudoVariables, int rpcCommands) {

    /** The record as plain data for RPC answers (snake_case keys, as Kamailio's RPC output). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("bundle", bundle);
        m.put("version", version);
        m.put("bundle_id", bundleId);
        m.put("state", state);
        m.put("location", location);
        m.put("exporting", exporting);
        m.put("functions", functions);
        m.put("pseudo_variables", pseudoVariables);
        m.put("rpc_commands", rpcCommands);
        return m;
    }
}
