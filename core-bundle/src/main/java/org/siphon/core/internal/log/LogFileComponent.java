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
 * relative to the home); this component then sends {@code System.out} and {@code System.err} —
 * where slf4j-simple, Felix and Gogo write — through a {@link RotatingFileOutputStream}, and gives
 * the original streams back when it stops. Without the property (a terminal, {@code -E}: stderr
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
        System.setOut(stream);
        System.setErr(stream);
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
