package org.siphon.core.internal.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file with rotation by size and age. When the server runs as a daemon, {@code bin/siphon}
 * names the file in the framework property {@code siphon.log.file} ({@code logs/siphon.log},
 * relative to the home); this component then sends slf4j-simple's output and {@code System.out}
 * and {@code System.err} (where Felix writes) through a {@link RotatingFileOutputStream}, and
 * gives the original streams back when it stops. Without the property (a terminal, {@code -E}: stderr
 * for journald or a container) it does nothing. Configured by {@code config/org.siphon.log.cfg};
 * a change applies at the next line.
 */
@Component(immediate = true, configurationPid = "org.siphon.log", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LogFileComponent.Config.class)
public class LogFileComponent {

    private static final Logger LOG = LoggerFactory.getLogger(LogFileComponent.class);

    /** The framework property that names the log file. */
    static final String FILE_PROPERTY = "siphon.log.file";

    @ObjectClassDefinition(name = "Siphon log file", description = "Rotation of logs/siphon.log")
    public @interface Config {
        @AttributeDefinition(description = "Largest size of the log file before it is rotated: bytes, or with k, M, G "
                + "(default 10M; 0: no size limit)")
        String max__size() default "10M";

        @AttributeDefinition(description = "Rotation by age: daily (at the first line after midnight, local time), "
                + "hourly, or none (default daily)")
        String interval() default "daily";

        @AttributeDefinition(description = "Rotated files kept, siphon.log.1 (newest) to siphon.log.N (default 7; 0: none)")
        int keep() default 7;
    }

    private RotatingFileOutputStream file;
    private PrintStream stream;
    private PrintStream originalOut;
    private PrintStream originalErr;

    /** slf4j-simple's output before this component took it, to give back. */
    private Object slf4jOutput;

    /**
     * Gogo routes {@code System.out} per thread to the shell sessions (its ThreadIO wraps the
     * stream it finds when it starts): when it started first, its stream stays, and what is
     * written outside sessions goes where it went before (the shell's redirection of
     * {@code bin/siphon}); the log itself comes here through slf4j-simple's own output.
     */
    private static boolean isGogoStream(PrintStream s) {
        return s.getClass().getName().startsWith("org.apache.felix.gogo.runtime.threadio.");
    }

    /**
     * Points slf4j-simple at {@code target} (its {@code OutputChoice} for a print stream, as
     * {@code org.slf4j.simpleLogger.logFile} would make) and returns the previous choice; null
     * when the backend is another or does not allow it. Log lines then reach the file whatever
     * {@code System.err} is, also from a shell session's thread.
     */
    static Object swapSlf4jOutput(Object target) {
        try {
            org.slf4j.ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            ClassLoader loader = factory.getClass().getClassLoader();
            Class<?> logger = Class.forName("org.slf4j.impl.SimpleLogger", true, loader);
            java.lang.reflect.Field configField = logger.getDeclaredField("CONFIG_PARAMS");
            configField.setAccessible(true);
            Object config = configField.get(null);
            if (config == null) {
                return null;
            }
            java.lang.reflect.Field choiceField = config.getClass().getDeclaredField("outputChoice");
            choiceField.setAccessible(true);
            Object previous = choiceField.get(config);
            Object choice = target;
            if (target instanceof PrintStream ps) {
                java.lang.reflect.Constructor<?> c = Class.forName("org.slf4j.impl.OutputChoice", true, loader)
                        .getDeclaredConstructor(PrintStream.class);
                c.setAccessible(true);
                choice = c.newInstance(ps);
            }
            choiceField.set(config, choice);
            return previous;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The limits a configuration sets, or why it is wrong. */
    static RotatingFileOutputStream.Policy policy(Config c) {
        return new RotatingFileOutputStream.Policy(RotatingFileOutputStream.Policy.parseSize(c.max__size()),
                RotatingFileOutputStream.Interval.parse(c.interval()), c.keep());
    }

    @Activate
    void activate(Config c, BundleContext context) throws IOException {
        String name = context.getProperty(FILE_PROPERTY);
        if (name == null || name.isBlank()) {
            return;
        }
        RotatingFileOutputStream.Policy p = policy(c);
        Path path = Path.of(name);
        String home = context.getProperty("siphon.home");
        if (!path.isAbsolute() && home != null) {
            path = Path.of(home).resolve(path);
        }
        originalOut = System.out;
        originalErr = System.err;
        file = new RotatingFileOutputStream(path, p, System::currentTimeMillis, ZoneId.systemDefault(), originalErr);
        stream = new PrintStream(file, true, StandardCharsets.UTF_8);
        slf4jOutput = swapSlf4jOutput(stream);
        if (!isGogoStream(originalOut)) {
            System.setOut(stream);
        }
        if (!isGogoStream(originalErr)) {
            System.setErr(stream);
        }
        LOG.info("logging to {} (rotated at {} bytes{}, {} kept)", path, p.maxSize() > 0 ? p.maxSize() : "no limit of",
                p.interval() == RotatingFileOutputStream.Interval.NONE ? "" : " and " + c.interval().trim(), p.keep());
    }

    @Modified
    void modified(Config c) {
        if (file == null) {
            return;
        }
        try {
            file.policy(policy(c));
            LOG.info("log rotation: {}", file.policy());
        } catch (IllegalArgumentException e) {
            LOG.error("config/org.siphon.log.cfg: {}; the log rotation stays {}", e.getMessage(), file.policy());
        }
    }

    @Deactivate
    void deactivate() {
        if (file == null) {
            return;
        }
        if (slf4jOutput != null) {
            swapSlf4jOutput(slf4jOutput);
        }
        if (System.out == stream) {
            System.setOut(originalOut);
        }
        if (System.err == stream) {
            System.setErr(originalErr);
        }
        stream.flush();
        try {
            file.close();
        } catch (IOException e) {
            originalErr.println("siphon: closing " + file.file() + ": " + e);
        }
        file = null;
    }
}
