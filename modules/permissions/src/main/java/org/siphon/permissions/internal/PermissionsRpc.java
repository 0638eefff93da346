package org.siphon.permissions.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;

/**
 * RPC {@code permissions.addressReload}, {@code addressDump}, {@code subnetDump},
 * {@code domainDump}, {@code trustedReload}, {@code trustedDump}. Dumps list the cached rows as
 * maps; a reload answers {@code Reload OK} or fails with code 500, keeping the old cache.
 */
final class PermissionsRpc {

    private final PermissionsComponent p;

    PermissionsRpc(PermissionsComponent p) {
        this.p = p;
    }

    List<RpcCommand> all() {
        String m = PermissionsComponent.MODULE;
        return List.of(
                new RpcCommand("permissions.addressReload", m, "", "Reads the address table (or address_file) again; "
                        + "a failure keeps the cached rows.", params -> {
                            params.expect(0, 0, "no parameters");
                            return p.reload(true);
                        }),
                new RpcCommand("permissions.addressDump", m, "", "The cached exact addresses (full mask).", params -> {
                    params.expect(0, 0, "no parameters");
                    return p.address.get().addresses().stream().map(PermissionsRpc::address).toList();
                }),
                new RpcCommand("permissions.subnetDump", m, "", "The cached subnets.", params -> {
                    params.expect(0, 0, "no parameters");
                    return p.address.get().subnets().stream().map(PermissionsRpc::address).toList();
                }),
                new RpcCommand("permissions.domainDump", m, "", "The cached DNS names.", params -> {
                    params.expect(0, 0, "no parameters");
                    return p.address.get().domains().stream().map(PermissionsRpc::address).toList();
                }),
                new RpcCommand("permissions.trustedReload", m, "", "Reads the trusted table again (db_mode 1); a "
                        + "failure keeps the cached rows.", params -> {
                            params.expect(0, 0, "no parameters");
                            return p.reload(false);
                        }),
                new RpcCommand("permissions.trustedDump", m, "", "The cached trusted rows, highest priority first "
                        + "(db_mode 1).", params -> {
                            params.expect(0, 0, "no parameters");
                            if (p.settings.config().db__mode() != 1) {
                                throw new RpcException(RpcException.FAILED, "db_mode 0 reads the trusted table at each "
                                        + "call; there is no cache to dump");
                            }
                            return p.trusted.get().rows().stream().map(PermissionsRpc::trusted).toList();
                        }));
    }

    private static Map<String, Object> address(AddressRow r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gid", (long) r.group());
        out.put("ip", r.address());
        if (!r.isDomain()) {
            out.put("mask", (long) r.mask());
        }
        out.put("port", (long) r.port());
        out.put("tag", r.tag() == null ? "" : r.tag());
        return out;
    }

    private static Map<String, Object> trusted(TrustedRow r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ip", r.srcIp());
        out.put("proto", r.proto());
        out.put("pattern", r.fromPattern() == null ? "" : r.fromPattern());
        out.put("ruri_pattern", r.ruriPattern() == null ? "" : r.ruriPattern());
        out.put("tag", r.tag() == null ? "" : r.tag());
        out.put("priority", (long) r.priority());
        return out;
    }
}
