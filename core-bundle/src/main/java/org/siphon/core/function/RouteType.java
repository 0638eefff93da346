package org.siphon.core.function;

import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of routing block a function may be called from, as in Kamailio
 * ({@code REQUEST_ROUTE}, {@code FAILURE_ROUTE}, ...).
 */
public enum RouteType {
    /** {@code request_route} and the {@code route[...]} blocks it calls. */
    REQUEST,
    /** {@code failure_route[...]}: a transaction's branches all failed. */
    FAILURE,
    /** {@code onreply_route[...]} (tm) and the core {@code reply_route}. */
    ONREPLY,
    /** {@code branch_route[...]}: once per outgoing branch. */
    BRANCH,
    /** {@code event_route[branch-failure:...]}. */
    BRANCH_FAILURE,
    /** {@code onsend_route}: just before a request leaves. */
    ONSEND,
    /** {@code event_route[tm:local-request]}: requests the server generates itself. */
    LOCAL,
    /** Any other {@code event_route[module:name]}. */
    EVENT;

    /** Every route type, for functions Kamailio marks {@code ANY_ROUTE}. */
    public static Set<RouteType> any() {
        return EnumSet.allOf(RouteType.class);
    }

    /** The name Kamailio's documentation uses, e.g. {@code REQUEST_ROUTE}. */
    public String kamailioName() {
        return name() + "_ROUTE";
    }
}
