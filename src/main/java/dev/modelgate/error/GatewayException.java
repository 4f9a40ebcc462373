package dev.modelgate.error;

/** An error whose message is safe to show to a client, with its code. */
public class GatewayException extends RuntimeException {
    private final ErrorCode code;

    public GatewayException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public GatewayException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static GatewayException badInput(String message) {
        return new GatewayException(ErrorCode.BAD_USER_INPUT, message);
    }
}
