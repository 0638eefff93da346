package org.siphon.tm.internal;

/**
 * The durations of RFC 3261's transaction timers (§17, table 4), from tm's parameters: T1
 * ({@code retr_timer1}), T2 ({@code retr_timer2}) and T4 ({@code wt_timer}); Timer B/F come from
 * {@code fr_timer}, and an INVITE branch that has had a provisional reply waits
 * {@code fr_inv_timer} for its final one (Kamailio's Timer C), never beyond
 * {@code max_inv_lifetime}. As in Kamailio, the waits after a final reply (D, J, K, I and RFC
 * 6026's L and M) are T4: what arrives later is handled statelessly. Immutable.
 *
 * @param t1                 RTT estimate, ms (500)
 * @param t2                 longest retransmit interval of non-INVITE requests and INVITE replies, ms (4000)
 * @param t4                 how long a finished transaction lingers, ms (5000)
 * @param frTimer            wait for a reply (timers B and F), ms (30000)
 * @param frInvTimer         wait for the final reply after a provisional one, ms (120000)
 * @param maxInvLifetime     longest life of an INVITE transaction, ms (180000)
 * @param maxNoninvLifetime  longest life of a non-INVITE transaction, ms (32000)
 */
record TimerTable(long t1, long t2, long t4, long frTimer, long frInvTimer, long maxInvLifetime,
        long maxNoninvLifetime) {

    /** RFC 3261's timers, named as in its table 4 (plus RFC 6026's L and M). */
    enum Timer {
        /** INVITE request retransmit interval (unreliable transports): T1, doubling. */
        A,
        /** INVITE transaction timeout: fr_timer, fr_inv_timer after a provisional reply. */
        B,
        /** Wait for response retransmits after a negative final reply to an INVITE. */
        D,
        /** Non-INVITE request retransmit interval: T1 doubling up to T2. */
        E,
        /** Non-INVITE transaction timeout: fr_timer. */
        F,
        /** INVITE final response retransmit interval: T1 doubling up to T2. */
        G,
        /** Wait for the ACK of a negative final reply: 64*T1. */
        H,
        /** Wait for ACK retransmits. */
        I,
        /** Wait for non-INVITE request retransmits. */
        J,
        /** Wait for non-INVITE response retransmits. */
        K,
        /** Server INVITE transaction after a 2xx (RFC 6026). */
        L,
        /** Client INVITE transaction after a 2xx (RFC 6026). */
        M
    }

    static final TimerTable DEFAULTS = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);

    /** The first interval or the wait of {@code timer}; 0 where a reliable transport needs no wait. */
    long duration(Timer timer, boolean reliable) {
        return switch (timer) {
            case A, E, G -> t1;
            case B, F -> frTimer;
            case H -> 64 * t1;
            case D, I, J, K -> reliable ? 0 : t4;
            case L, M -> t4;
        };
    }

    /** The next retransmit interval after {@code current}: doubling, capped at T2 ({@code capped}) or not (Timer A). */
    long next(long current, boolean capped) {
        long n = current * 2;
        return capped ? Math.min(n, t2) : n;
    }
}
