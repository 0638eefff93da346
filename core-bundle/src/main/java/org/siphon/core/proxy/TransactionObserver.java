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

    /**
     * An end-to-end ACK (of a 2xx; it has no transaction of its own) was relayed by
     * {@code t_relay}, with the script run that relayed it; acc's {@code report_ack} matches it to
     * the INVITE it remembered from {@link #completed}.
     */
    default void acknowledged(org.siphon.core.sip.SipRequest ack, org.siphon.core.function.ScriptHandle script) {
    }
}
