package org.siphon.core.sip;

import java.util.HashMap;
import java.util.Map;

/** Status codes of RFC 3261 §21 and extensions, with their default reason phrases. */
public final class SipStatus {

    public static final int TRYING = 100;
    public static final int RINGING = 180;
    public static final int OK = 200;
    public static final int MOVED_TEMPORARILY = 302;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int METHOD_NOT_ALLOWED = 405;
    public static final int PROXY_AUTHENTICATION_REQUIRED = 407;
    public static final int REQUEST_TIMEOUT = 408;
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    public static final int UNSUPPORTED_URI_SCHEME = 416;
    public static final int BAD_EXTENSION = 420;
    public static final int INTERVAL_TOO_BRIEF = 423;
    public static final int TEMPORARILY_UNAVAILABLE = 480;
    public static final int CALL_DOES_NOT_EXIST = 481;
    public static final int LOOP_DETECTED = 482;
    public static final int TOO_MANY_HOPS = 483;
    public static final int ADDRESS_INCOMPLETE = 484;
    public static final int BUSY_HERE = 486;
    public static final int REQUEST_TERMINATED = 487;
    public static final int SERVER_INTERNAL_ERROR = 500;
    public static final int SERVICE_UNAVAILABLE = 503;
    public static final int VERSION_NOT_SUPPORTED = 505;
    public static final int MESSAGE_TOO_LARGE = 513;

    private static final Map<Integer, String> REASONS = new HashMap<>();

    static {
        Object[] table = { 100, "Trying", 180, "Ringing", 181, "Call Is Being Forwarded", 182, "Queued",
            183, "Session Progress", 200, "OK", 202, "Accepted", 300, "Multiple Choices", 301, "Moved Permanently",
            302, "Moved Temporarily", 305, "Use Proxy", 380, "Alternative Service", 400, "Bad Request",
            401, "Unauthorized", 402, "Payment Required", 403, "Forbidden", 404, "Not Found",
            405, "Method Not Allowed", 406, "Not Acceptable", 407, "Proxy Authentication Required",
            408, "Request Timeout", 410, "Gone", 413, "Request Entity Too Large", 414, "Request-URI Too Long",
            415, "Unsupported Media Type", 416, "Unsupported URI Scheme", 420, "Bad Extension",
            421, "Extension Required", 423, "Interval Too Brief", 439, "First Hop Lacks Outbound Support",
            480, "Temporarily Unavailable", 481, "Call/Transaction Does Not Exist", 482, "Loop Detected",
            483, "Too Many Hops", 484, "Address Incomplete", 485, "Ambiguous", 486, "Busy Here",
            487, "Request Terminated", 488, "Not Acceptable Here", 489, "Bad Event", 491, "Request Pending",
            493, "Undecipherable", 500, "Server Internal Error", 501, "Not Implemented", 502, "Bad Gateway",
            503, "Service Unavailable", 504, "Server Time-out", 505, "Version Not Supported",
            513, "Message Too Large", 600, "Busy Everywhere", 603, "Decline", 604, "Does Not Exist Anywhere",
            606, "Not Acceptable" };
        for (int i = 0; i < table.length; i += 2) {
            REASONS.put((Integer) table[i], (String) table[i + 1]);
        }
    }

    private SipStatus() {
    }

    /** The default reason phrase, or a generic one for the class. */
    public static String reason(int code) {
        String r = REASONS.get(code);
        if (r != null) {
            return r;
        }
        return switch (code / 100) {
            case 1 -> "Provisional";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            case 5 -> "Server Error";
            default -> "Global Failure";
        };
    }
}
