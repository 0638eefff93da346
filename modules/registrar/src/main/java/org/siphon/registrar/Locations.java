package org.siphon.registrar;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The location table for other modules (Kamailio's usrloc API): nathelper walks it to keep NAT
 * bindings open and removes contacts that stopped answering. An OSGi service of module
 * registrar. Thread-safe; calls may read the database (db_mode 3), so not on an event loop.
 */
@ProviderType
public interface Locations {

    /**
     * One registered contact.
     *
     * @param aor      its address of record
     * @param uri      the Contact URI
     * @param received where its REGISTER came from ({@code sip:ip:port;transport=x}), or null
     * @param path     its Path (RFC 3327), or null
     * @param cflags   the branch flags saved with it
     * @param nated    whether it carries usrloc's {@code nat_bflag}
     * @param expires  when it expires, epoch ms
     */
    record Binding(String aor, String uri, String received, String path, long cflags, boolean nated, long expires) {
    }

    /** Every contact that has not expired, AOR by AOR. */
    List<Binding> contacts();

    /** Removes one contact of an AOR; false when it was not there. */
    boolean remove(String aor, String uri);
}
