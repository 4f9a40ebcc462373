package dev.modelgate.error;

/**
 * Why a command cannot go on, told to the operator as two lines: what went wrong, and what to do
 * about it. The command line prints both and exits with {@link #status()}; the cause chain goes to
 * the log (and to the terminal with {@code --verbose}).
 */
public final class CommandFailure extends RuntimeException {
    /** Exit status of a failure outside the user's files (a database that refuses or cannot be reached). */
    public static final int FAILED = 1;
    /** Exit status of a mistake in what the user gave: a flag, a model, a setting. */
    public static final int USAGE = 2;

    private final String remedy;
    private final int status;

    public CommandFailure(String cause, String remedy, int status) {
        this(cause, remedy, status, null);
    }

    public CommandFailure(String cause, String remedy, int status, Throwable origin) {
        super(cause, origin);
        this.remedy = remedy;
        this.status = status;
    }

    /** What to do about it, one line; null when the cause says it all. */
    public String remedy() {
        return remedy;
    }

    public int status() {
        return status;
    }
}
