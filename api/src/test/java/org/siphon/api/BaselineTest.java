package org.siphon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.siphon.core.sip.SipParseException;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;

/**
 * The check that {@code mvn verify} runs on this module (bnd-baseline-maven-plugin), done here with
 * the same bndlib on changed copies of the baseline in {@code api/baseline}: a class removed from an
 * API package without a major bump is refused, one added without a minor bump too, and the API as
 * the core builds it now passes.
 */
class BaselineTest {

    private static final String PACKAGE = "org.siphon.core.sip";
    private static final String CLASS = "org/siphon/core/sip/SipParseException.class";

    private static Jar baselineJar() throws Exception {
        return new Jar(new File(System.getProperty("siphon.api.baseline")));
    }

    private static Info infoOf(Jar newer, Jar older) throws Exception {
        try (Processor p = new Processor()) {
            Set<Info> infos = new Baseline(p, new DiffPluginImpl()).baseline(newer, older, null);
            return infos.stream().filter(i -> i.packageName.equals(PACKAGE)).findFirst().orElseThrow();
        }
    }

    @Test
    void aRemovedClassWithoutAMajorBumpIsAMismatch() throws Exception {
        try (Jar older = baselineJar(); Jar newer = baselineJar()) {
            assertTrue(newer.remove(CLASS) != null, "baseline jar has " + CLASS);
            Info info = infoOf(newer, older);
            assertTrue(info.mismatch, "removal without a version change passes: " + info.packageDiff);
            assertEquals(2, info.suggestedVersion.getMajor(), "suggested " + info.suggestedVersion);
        }
    }

    @Test
    void anAddedClassWithoutAMinorBumpIsAMismatch() throws Exception {
        try (Jar older = baselineJar(); Jar newer = baselineJar()) {
            older.remove(CLASS);
            Info info = infoOf(newer, older);
            assertTrue(info.mismatch, "addition without a version change passes: " + info.packageDiff);
            assertEquals(info.olderVersion.getMajor(), info.suggestedVersion.getMajor());
            assertEquals(info.olderVersion.getMinor() + 1, info.suggestedVersion.getMinor());
        }
    }

    @Test
    void theCoresApiNowMatchesItsVersions() throws Exception {
        Path coreJar = Path.of(SipParseException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Jar older = baselineJar(); Jar core = new Jar(coreJar.toFile())) {
            try (Processor p = new Processor()) {
                Set<Info> infos = new Baseline(p, new DiffPluginImpl()).baseline(core, older, null);
                assertFalse(infos.isEmpty());
                for (Info i : infos) {
                    if (!i.packageName.contains(".internal")) {
                        assertFalse(i.mismatch, i.packageName + " " + i.newerVersion + ", suggested " + i.suggestedVersion);
                    }
                }
            }
        }
    }
}
