package org.siphon.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DbUrlTest {

    @Test
    void h2PathsAreUnderTheHome() {
        DbUrl u = DbUrl.parse("h2:data/siphon", Path.of("/opt/siphon"));
        assertEquals("h2", u.dialect());
        assertEquals("jdbc:h2:/opt/siphon/data/siphon;DB_CLOSE_ON_EXIT=FALSE", u.jdbc());
        assertEquals("jdbc:h2:/var/db/x;DB_CLOSE_ON_EXIT=FALSE", DbUrl.parse("h2:/var/db/x", Path.of("/opt/siphon")).jdbc());
        assertEquals("jdbc:h2:mem:t;DB_CLOSE_DELAY=-1", DbUrl.parse("h2:mem:t", null).jdbc());
    }

    @Test
    void postgresUrlsAsKamailioWritesThem() {
        DbUrl u = DbUrl.parse("postgres://kamailio:s%40cret@db.example.com:5433/siphon", null);
        assertEquals("postgres", u.dialect());
        assertEquals("jdbc:postgresql://db.example.com:5433/siphon", u.jdbc());
        assertEquals("kamailio", u.user());
        assertEquals("s@cret", u.password());
        assertEquals("postgres://kamailio:***@db.example.com:5433/siphon", u.shown(), "the password never shows");
        DbUrl noPassword = DbUrl.parse("postgresql://127.0.0.1/siphon", null);
        assertNull(noPassword.user());
        assertEquals("jdbc:postgresql://127.0.0.1/siphon", noPassword.jdbc());
    }

    @Test
    void badUrlsSayWhatIsExpected() {
        assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("oracle://u:p@h/db", null));
        assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("mysql://u:p@h", null));
        assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("sqlite://", null));
        assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("postgres://u:p@host", null));
        assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("h2:", null));
    }
}
