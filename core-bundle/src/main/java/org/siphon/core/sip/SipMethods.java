package org.siphon.core.sip;

/** The SIP methods of RFC 3261 and its extensions. Methods are case-sensitive tokens. */
public final class SipMethods {

    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String OPTIONS = "OPTIONS";
    public static final String REGISTER = "REGISTER";
    public static final String PRACK = "PRACK";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String NOTIFY = "NOTIFY";
    public static final String PUBLISH = "PUBLISH";
    public static final String INFO = "INFO";
    public static final String REFER = "REFER";
    public static final String MESSAGE = "MESSAGE";
    public static final String UPDATE = "UPDATE";

    private SipMethods() {
    }

    /** The same String instance for a known method, so that {@code ==} and fast equals work. */
    public static String intern(String method) {
        return switch (method) {
            case INVITE -> INVITE;
            case ACK -> ACK;
            case BYE -> BYE;
            case CANCEL -> CANCEL;
            case OPTIONS -> OPTIONS;
            case REGISTER -> REGISTER;
            case PRACK -> PRACK;
            case SUBSCRIBE -> SUBSCRIBE;
            case NOTIFY -> NOTIFY;
            case PUBLISH -> PUBLISH;
            case INFO -> INFO;
            case REFER -> REFER;
            case MESSAGE -> MESSAGE;
            case UPDATE -> UPDATE;
            default -> method;
        };
    }
}
