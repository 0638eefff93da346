package org.siphon.core.proxy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told by the transaction layer (tm) how its transactions end, as Kamailio's tm callbacks tell
 * acc. A module registers one as an OSGi service (a whiteboard: tm finds every one, also after
 * either of them is updated). Called on the transaction's SIP worker: an observer must not block
 * (hand database work to a thread of its own) and must not throw.
 */
@ConsumerType
public interface TransactionObserver {

    /** A transaction's final reply (relayed or made locally) went upstream. */
    void completed(TransactionOutcome outcome);

    /** A provisional reply above 100 was relayed upstream (acc's {@code early_media}). */
    default void provisional(TransactionOutcome outcome) {
    }
}
