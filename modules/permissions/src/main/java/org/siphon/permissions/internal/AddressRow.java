package org.siphon.permissions.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One row of the {@code address} table (or line of {@code address_file}), checked: group 1 or more,
 * an IP literal or a DNS name, a mask within the address's family (0 meaning the whole address, as
 * Kamailio documents it), a port 0..65535 (0: any), an optional tag. {@link #of} refuses a bad row
 * with the reason; {@link #plain} and {@link #fromPlain} carry a checked row through the core's store
 * as JDK data. Immutable.
 */
record AddressRow(int group, String address, int mask, int port, String tag) {

    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");

    /** Whether the address is a DNS name (matched by name only, never resolved). */
    boolean isDomain() {
        return IpAddresses.parse(address) == null;
    }

    /** Whether it goes to the subnet table: an IP with a mask shorter than its family's length. */
    boolean isSubnet() {
        byte[] b = IpAddresses.parse(address);
        return b != null && mask < b.length * 8;
    }

    /**
     * A checked row. {@code mask} null or 0 means the whole address (32 or 128); {@code port} null
     * means any (0).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static AddressRow of(long group, String address, Long mask, Long port, String tag) {
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group " + group + " is not 1 or more");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no address");
        }
        String a = address.trim();
        byte[] ip = IpAddresses.parse(a);
        long p = port == null ? 0 : port;
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is not 0..65535");
        }
        String t = tag == null || tag.isEmpty() ? null : tag;
        if (ip == null) {
            if (IpAddresses.looksLikeIp(a)) {
                throw new IllegalArgumentException("\"" + a + "\" is not an IP address");
            }
            if (!DOMAIN.matcher(a).matches()) {
                throw new IllegalArgumentException("\"" + a + "\" is neither an IP address nor a DNS name");
            }
            return new AddressRow((int) group, a.toLowerCase(Locale.ROOT), 0, (int) p, t);
        }
        int bits = ip.length * 8;
        long m = mask == null || mask == 0 ? bits : mask;
        if (m < 0 || m > bits) {
            throw new IllegalArgumentException("mask " + m + " is not 0.." + bits + " for " + a);
        }
        String text = IpAddresses.format(IpAddresses.network(ip, (int) m));
        return new AddressRow((int) group, text, (int) m, (int) p, t);
    }

    /** As JDK data for the core's store: {@code [group, address, mask, port, tag]} (tag may be null). */
    List<Object> plain() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(Arrays.asList((long) group, address, (long) mask,
                (long) port, tag)));
    }

    /** The row {@link #plain} gave. */
    static AddressRow fromPlain(List<?> l) {
        return new AddressRow((int) (long) (Long) l.get(0), (String) l.get(1), (int) (long) (Long) l.get(2),
                (int) (long) (Long) l.get(3), (String) l.get(4));
    }

    /** {@code 1 10.0.0.0/8:5060 tag} for log lines. */
    @Override
    public String toString() {
        return group + " " + address + (isDomain() ? "" : "/" + mask) + (port == 0 ? "" : ":" + port)
                + (tag == null ? "" : " " + tag);
    }
}
