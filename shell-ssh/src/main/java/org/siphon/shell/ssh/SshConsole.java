package org.siphon.shell.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Set;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gogo shell over SSH, as Apache Karaf serves it: {@code ssh -p 8101 admin@127.0.0.1 'lb'}
 * runs one command and exits with its status; without a command an interactive session starts.
 * Login only with a public key listed in {@code etc/authorized_keys} (OpenSSH format) for one of
 * {@code users}; no passwords. Failed logins are logged once a minute per address and an address
 * with 10 failures in a minute is refused until the minute is over. Configured by
 * {@code config/org.siphon.shell.ssh.cfg}; a change restarts the listener.
 */
@Component(immediate = true, configurationPid = "org.siphon.shell.ssh", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SshConsole.Config.class)
public class SshConsole {

    private static final Logger LOG = LoggerFactory.getLogger(SshConsole.class);

    @ObjectClassDefinition(name = "Siphon SSH console")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on (default 127.0.0.1)")
        String address() default "127.0.0.1";

        @AttributeDefinition(description = "Port (default 8101, as Karaf's; 0: no SSH console)")
        int port() default 8101;

        @AttributeDefinition(description = "Host key file, made at first start; relative to the server's home (default etc/host.key)")
        String host__key() default "etc/host.key";

        @AttributeDefinition(description = "Public keys allowed to log in, OpenSSH format (default etc/authorized_keys)")
        String authorized__keys() default "etc/authorized_keys";

        @AttributeDefinition(description = "User names that may log in, comma-separated (default admin)")
        String users() default "admin";

        @AttributeDefinition(description = "Seconds an idle session stays open (default 1800)")
        int idle__timeout() default 1800;
    }

    @Reference
    private CommandProcessor processor;

    private SshServer server;
    private final LoginFailures failures = new LoginFailures(System::currentTimeMillis, 10);

    /** {@code bin/siphon -c} only compiles the script: no console then. */
    private boolean checkOnly;

    @Activate
    void activate(Config c) throws IOException {
        checkOnly = Boolean.getBoolean("siphon.check");
        start(c);
    }

    @Modified
    void modified(Config c) throws IOException {
        stop();
        start(c);
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    private static Path home(String file) {
        Path p = Path.of(file);
        String home = System.getProperty("siphon.home");
        return p.isAbsolute() || home == null ? p : Path.of(home).resolve(p);
    }

    private void start(Config c) throws IOException {
        if (checkOnly) {
            return;
        }
        if (c.port() <= 0) {
            LOG.info("SSH console off (port 0)");
            return;
        }
        Set<String> users = Set.of(c.users().trim().split("\\s*,\\s*"));
        Path keys = home(c.authorized__keys());
        AuthorizedKeysAuthenticator authorized = new AuthorizedKeysAuthenticator(keys);
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(c.address());
        s.setPort(c.port());
        s.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(home(c.host__key())));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setPublickeyAuthenticator((String user, PublicKey key, ServerSession session) -> {
            String from = address(session);
            if (refused(from)) {
                return false;
            }
            boolean ok = users.contains(user) && authorized.authenticate(user, key, session);
            if (!ok) {
                failed(from, user);
            }
            return ok;
        });
        s.setCommandFactory((channel, command) -> new GogoCommand(processor, command, false, null));
        s.setShellFactory(channel -> new GogoCommand(processor, null, true, home("data/ssh-history-"
                + channel.getSession().getUsername().replaceAll("[^A-Za-z0-9._-]", "_"))));
        CoreModuleProperties.IDLE_TIMEOUT.set(s, Duration.ofSeconds(Math.max(1, c.idle__timeout())));
        try {
            s.start();
        } catch (IOException e) {
            LOG.warn("SSH console cannot listen on {}:{}: {} (the server runs without it)", c.address(), c.port(),
                    e.toString());
            return;
        }
        server = s;
        LOG.info("SSH console on {}:{} (users {}, keys from {})", c.address(), c.port(), users, keys);
    }

    private static String address(ServerSession session) {
        java.net.SocketAddress a = session.getClientAddress();
        if (a instanceof java.net.InetSocketAddress i) {
            return i.getAddress().getHostAddress();
        }
        return a instanceof SshdSocketAddress s ? s.getHostName() : String.valueOf(a);
    }

    private boolean refused(String from) {
        return failures.refused(from);
    }

    private void failed(String from, String user) {
        long n = failures.failed(from);
        if (n == 1) {
            LOG.warn("SSH console: login of {} from {} refused (no matching key); further failures this minute are counted", user, from);
        } else if (n == failures.limit()) {
            LOG.warn("SSH console: {} failed {} logins within a minute: refused until the minute is over", from, n);
        }
    }

    private void stop() {
        SshServer s = server;
        server = null;
        if (s != null) {
            try {
                s.stop(true);
            } catch (IOException e) {
                LOG.warn("SSH console: stopping: {}", e.toString());
            }
        }
    }
}
