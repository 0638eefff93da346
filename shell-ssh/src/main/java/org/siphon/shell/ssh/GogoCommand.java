package org.siphon.shell.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * One SSH channel on a Gogo session: an exec request runs its command and exits 0, or 1 when the
 * command failed (its error on stderr); a shell is a JLine 3 line editor on the channel's
 * terminal, as Karaf's console: Emacs-style editing, the history (kept in a file per user),
 * TAB completion of command names and of the {@code sip:} commands' arguments
 * ({@link CommandCompleter}), Ctrl-C drops the line (or interrupts a running command), Ctrl-D or
 * {@code exit} leaves. Each channel has its own thread.
 */
final class GogoCommand implements Command {

    private final CommandProcessor processor;
    private final String command;
    private final boolean shell;
    /** The interactive session's history file, or null for none. */
    private final java.nio.file.Path history;
    private Environment env;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Thread thread;

    GogoCommand(CommandProcessor processor, String command, boolean shell, java.nio.file.Path history) {
        this.processor = processor;
        this.command = command;
        this.shell = shell;
        this.history = history;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

    @Override
    public void start(ChannelSession channel, Environment env) {
        this.env = env;
        thread = new Thread(shell ? this::interactive : this::once, "ssh-console");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs one line; true when it succeeded. Results print as Gogo prints them. */
    private static boolean run(CommandSession session, String line, PrintStream o, PrintStream e) {
        try {
            Object result = session.execute(line);
            if (result != null) {
                o.println(session.format(result, Converter.INSPECT));
            }
            return true;
        } catch (Exception ex) {
            e.println(ex.getMessage() != null ? ex.getMessage() : ex.toString());
            return false;
        } finally {
            o.flush();
            e.flush();
        }
    }

    private void once() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(in, o, e);
        boolean ok;
        try {
            ok = run(session, command, o, e);
        } finally {
            session.close();
        }
        exit.onExit(ok ? 0 : 1);
    }

    private void interactive() {
        CommandSession session = null;
        try (Terminal terminal = SshTerminal.open(in, out, env)) {
            PrintStream o = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            session = processor.createSession(terminal.input(), o, o);
            Thread self = Thread.currentThread();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
            terminal.handle(Terminal.Signal.INT, sig -> {
                if (running.get()) {
                    self.interrupt(); // Ctrl-C while a command runs
                }
            });
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("siphon")
                    .completer(new CommandCompleter(session))
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, 500)
                    .variable(LineReader.HISTORY_FILE_SIZE, 1000)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                    .build();
            bindArrows(reader);
            o.println("Siphon console (Gogo). help lists the commands, help sip Siphon's; TAB completes, "
                    + "arrows walk the history; exit leaves.");
            while (true) {
                String line;
                try {
                    line = reader.readLine("siphon> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the line
                } catch (EndOfFileException e) {
                    break; // Ctrl-D
                }
                String trimmed = line.trim();
                if (trimmed.equals("exit") || trimmed.equals("logout")) {
                    break;
                }
                if (!trimmed.isEmpty()) {
                    running.set(true);
                    try {
                        run(session, line, o, o);
                    } finally {
                        running.set(false);
                        Thread.interrupted();
                    }
                }
            }
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                // history is a convenience: a read-only data/ must not end the session badly
            }
        } catch (IOException | RuntimeException ex) {
            // the connection went away
        } finally {
            if (session != null) {
                session.close();
            }
            exit.onExit(0);
        }
    }

    /**
     * The arrows also as ANSI cursor keys ({@code ESC [ A}): JLine binds what the terminal type
     * says (xterm's keypad mode sends {@code ESC O A}), and some clients send the other form.
     */
    private static void bindArrows(LineReader reader) {
        for (String map : new String[] { LineReader.EMACS, LineReader.VIINS }) {
            org.jline.keymap.KeyMap<org.jline.reader.Binding> keys = reader.getKeyMaps().get(map);
            if (keys == null) {
                continue;
            }
            keys.bind(new org.jline.reader.Reference(LineReader.UP_LINE_OR_HISTORY), "\033[A", "\033OA");
            keys.bind(new org.jline.reader.Reference(LineReader.DOWN_LINE_OR_HISTORY), "\033[B", "\033OB");
            keys.bind(new org.jline.reader.Reference(LineReader.FORWARD_CHAR), "\033[C", "\033OC");
            keys.bind(new org.jline.reader.Reference(LineReader.BACKWARD_CHAR), "\033[D", "\033OD");
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
