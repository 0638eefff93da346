package org.siphon.permissions.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cached {@code address} table, split as Kamailio splits it: exact addresses (a full mask)
 * looked up by address, subnets scanned in group order, DNS names looked up by name (no DNS
 * query). A port 0 in a row matches any port. Built once per load, then only read: immutable and
 * thread-safe.
 */
final class AddressTable {

    static final AddressTable EMPTY = new AddressTable(List.of());

    /** A subnet row with its network bytes. */
    private record Subnet(AddressRow row, byte[] network) {
    }

    private final List<AddressRow> rows;
    private final Map<String, List<AddressRow>> exact = new HashMap<>();
    private final Map<String, List<AddressRow>> domains = new HashMap<>();
    private final List<Subnet> subnets = new ArrayList<>();

    AddressTable(List<AddressRow> rows) {
        this.rows = List.copyOf(rows);
        Comparator<AddressRow> byGroup = Comparator.comparingInt(AddressRow::group);
        for (AddressRow r : this.rows) {
            byte[] ip = IpAddresses.parse(r.address());
            if (ip == null) {
                domains.computeIfAbsent(r.address().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(r);
            } else if (r.mask() == ip.length * 8) {
                exact.computeIfAbsent(key(ip), k -> new ArrayList<>()).add(r);
            } else {
                subnets.add(new Subnet(r, ip));
            }
        }
        exact.values().forEach(l -> l.sort(byGroup));
        domains.values().forEach(l -> l.sort(byGroup));
        subnets.sort(Comparator.comparing(Subnet::row, byGroup));
    }

    private static String key(byte[] ip) {
        return IpAddresses.format(ip);
    }

    /**
     * The first row matching {@code address} (an IP literal or a DNS name) and {@code port} in
     * {@code group}, or in any group when {@code group} is 0; exact addresses before subnets, lower
     * groups first. Null when none matches.
     */
    AddressRow match(int group, String address, int port) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        byte[] ip = IpAddresses.parse(address);
        if (ip == null) {
            return first(domains.get(address.trim().toLowerCase(Locale.ROOT)), group, port);
        }
        return match(group, ip, port);
    }

    /** As {@link #match(int, String, int)} for an address already in bytes. */
    AddressRow match(int group, byte[] ip, int port) {
        AddressRow r = first(exact.get(key(ip)), group, port);
        if (r != null) {
            return r;
        }
        for (Subnet s : subnets) {
            AddressRow row = s.row();
            if ((group == 0 || row.group() == group) && ports(row, port) && IpAddresses.inSubnet(ip, s.network(), row.mask())) {
                return row;
            }
        }
        return null;
    }

    private static AddressRow first(List<AddressRow> candidates, int group, int port) {
        if (candidates != null) {
            for (AddressRow r : candidates) {
                if ((group == 0 || r.group() == group) && ports(r, port)) {
                    return r;
                }
            }
        }
        return null;
    }

    private static boolean ports(AddressRow r, int port) {
        return r.port() == 0 || r.port() == port;
    }

    /** Every row, as loaded. */
    List<AddressRow> rows() {
        return rows;
    }

    /** The exact addresses (permissions.addressDump). */
    List<AddressRow> addresses() {
        return rows.stream().filter(r -> !r.isDomain() && !r.isSubnet()).toList();
    }

    /** The subnets (permissions.subnetDump), in group order. */
    List<AddressRow> subnets() {
        return subnets.stream().map(Subnet::row).toList();
    }

    /** The DNS names (permissions.domainDump). */
    List<AddressRow> domains() {
        return rows.stream().filter(AddressRow::isDomain).toList();
    }
}
