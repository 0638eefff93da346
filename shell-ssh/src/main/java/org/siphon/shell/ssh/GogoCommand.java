package org.siphon.shell.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One SSH channel on a Gogo session: an exec request runs its command and exits 0, or 1 when the
 * command failed (its error on stderr); a shell reads lines — printable characters echoed,
 * backspace, Ctrl-C to drop the line, Ctrl-D or {@code exit} to leave, up and down arrows for
 * the session's history — and runs each. Each channel has its own thread.
 */
final class GogoCommand implements Command {

    private final CommandProcessor processor;
    private final String command;
    private final boolean shell;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Thread thread;

    GogoCommand(CommandProcessor processor, String command, boolean shell) {
        this.processor = processor;
        this.command = command;
        this.shell = shell;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

    @Override
    public void start(ChannelSession channel, Environment env) {
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

    /** A PrintStream for a terminal: every LF goes out as CR LF. */
    private static PrintStream crlf(OutputStream raw) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (b == '\n') {
                    raw.write('\r');
                }
                raw.write(b);
            }

            @Override
            public void flush() throws IOException {
                raw.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private void interactive() {
        PrintStream o = crlf(out);
        PrintStream e = crlf(err);
        CommandSession session = processor.createSession(in, o, e);
        List<String> history = new ArrayList<>();
        try {
            o.print("Siphon console (Gogo). help lists the commands, sip:<TAB>… are Siphon's; exit leaves.\n");
            while (true) {
                String line = readLine(o, history);
                if (line == null || line.trim().equals("exit") || line.trim().equals("logout")) {
                    break;
                }
                if (!line.isBlank()) {
                    history.add(line);
                    run(session, line, o, e);
                }
            }
        } catch (IOException ex) {
            // the connection went away
        } finally {
            session.close();
            exit.onExit(0);
        }
    }

    private String readLine(PrintStream o, List<String> history) throws IOException {
        StringBuilder line = new StringBuilder();
        int pos = history.size();
        o.print("siphon> ");
        o.flush();
        while (true) {
            int c = in.read();
            switch (c) {
                case -1, 4 -> {
                    if (line.length() == 0) {
                        return null;
                    }
                }
                case '\r', '\n' -> {
                    o.print("\n");
                    return line.toString();
                }
                case 3 -> {
                    o.print("^C\n");
                    return "";
                }
                case 127, 8 -> {
                    if (line.length() > 0) {
                        line.setLength(line.length() - 1);
                        o.print("\b \b");
                    }
                }
                case 27 -> {
                    if (in.read() == '[') {
                        int k = in.read();
                        if ((k == 'A' && pos > 0) || (k == 'B' && pos < history.size())) {
                            pos += k == 'A' ? -1 : 1;
                            o.print("\b \b".repeat(line.length()));
                            line.setLength(0);
                            line.append(pos < history.size() ? history.get(pos) : "");
                            o.print(line);
                        }
                    }
                }
                default -> {
                    if (c >= 32) {
                        line.append((char) c);
                        o.print((char) c);
                    }
                }
            }
            o.flush();
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
