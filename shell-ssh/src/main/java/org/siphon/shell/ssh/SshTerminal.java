package org.siphon.shell.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * A JLine terminal over an SSH channel, as Karaf makes one: the client's terminal type and size
 * ({@code TERM}, {@code COLUMNS}, {@code LINES}, window changes), its pty modes (erase, interrupt,
 * CR/LF handling) over the usual defaults of a cooked terminal.
 */
final class SshTerminal {

    private SshTerminal() {
    }

    static Terminal open(InputStream in, OutputStream out, Environment env) throws IOException {
        Map<String, String> vars = env.getEnv();
        Attributes attributes = attributes(env.getPtyModes());
        String type = vars.get(Environment.ENV_TERM);
        ExternalTerminal terminal = new ExternalTerminal("siphon-ssh", type == null || type.isBlank() ? "vt100" : type, in,
                out, StandardCharsets.UTF_8, Terminal.SignalHandler.SIG_DFL, false, attributes, size(vars));
        env.addSignalListener((channel, signal) -> {
            terminal.setSize(size(env.getEnv()));
            terminal.raise(Terminal.Signal.WINCH);
        }, Signal.WINCH);
        return terminal;
    }

    static Size size(Map<String, String> vars) {
        return new Size(number(vars.get(Environment.ENV_COLUMNS), 80), number(vars.get(Environment.ENV_LINES), 24));
    }

    private static int number(String text, int otherwise) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.trim());
            return n > 0 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** A cooked terminal's settings (CR → NL in, NL → CR NL out, signals, echo), then what the client sent. */
    static Attributes attributes(Map<PtyMode, Integer> modes) {
        Attributes a = new Attributes();
        a.setInputFlags(EnumSet.of(Attributes.InputFlag.ICRNL, Attributes.InputFlag.IXON, Attributes.InputFlag.IUTF8));
        a.setOutputFlags(EnumSet.of(Attributes.OutputFlag.OPOST, Attributes.OutputFlag.ONLCR));
        a.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ISIG, Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO,
                Attributes.LocalFlag.ECHOE, Attributes.LocalFlag.ECHOK, Attributes.LocalFlag.IEXTEN));
        a.setControlFlags(EnumSet.of(Attributes.ControlFlag.CS8, Attributes.ControlFlag.CREAD));
        a.setControlChar(Attributes.ControlChar.VINTR, 3);
        a.setControlChar(Attributes.ControlChar.VQUIT, 28);
        a.setControlChar(Attributes.ControlChar.VERASE, 127);
        a.setControlChar(Attributes.ControlChar.VKILL, 21);
        a.setControlChar(Attributes.ControlChar.VEOF, 4);
        a.setControlChar(Attributes.ControlChar.VWERASE, 23);
        a.setControlChar(Attributes.ControlChar.VLNEXT, 22);
        a.setControlChar(Attributes.ControlChar.VSUSP, 26);
        a.setControlChar(Attributes.ControlChar.VMIN, 1);
        a.setControlChar(Attributes.ControlChar.VTIME, 0);
        if (modes == null) {
            return a;
        }
        modes.forEach((mode, value) -> apply(a, mode.name(), value == null ? 0 : value));
        return a;
    }

    /** One pty mode (RFC 4254 §8) by its name, which JLine's enums share; unknown ones are ignored. */
    private static void apply(Attributes a, String name, int value) {
        if (name.startsWith("V")) {
            try {
                // 255 means "not set" for control characters
                if (value != 255) {
                    a.setControlChar(Attributes.ControlChar.valueOf(name), value);
                }
                return;
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        boolean on = value != 0;
        try {
            a.setInputFlag(Attributes.InputFlag.valueOf(name), on);
            return;
        } catch (IllegalArgumentException e) {
            // not an input flag
        }
        try {
            a.setOutputFlag(Attributes.OutputFlag.valueOf(name), on);
            return;
        } catch (IllegalArgumentException e) {
            // not an output flag
        }
        try {
            a.setLocalFlag(Attributes.LocalFlag.valueOf(name), on);
        } catch (IllegalArgumentException e) {
            // speeds, parity, CS7/CS8: nothing to do for a virtual terminal
        }
    }
}
