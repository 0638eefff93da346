package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository stands on its own: every Markdown file's links stay inside the repository and
 * point at files (and headings) that exist, and no file mentions the team's notes outside it.
 * Scans every {@code *.md} of the working tree except what git ignores ({@code target/},
 * {@code bench/results/} …); without git, every file outside {@code target/} and dot folders.
 *
 * <p>A link is checked when it is relative or absolute ({@code /…}, {@code file:}): absolute
 * paths are refused, relative ones must resolve inside the repository to an existing file or
 * folder, and a {@code #fragment} on a Markdown file must name one of its headings (GitHub's
 * anchors). {@code http(s):} and {@code mailto:} links are not fetched. Links inside code
 * (fenced blocks, inline code) are not links.
 */
class MarkdownLinksTest {

    /** Strings spelled in two pieces so that this file does not mention them itself. */
    private static final List<String> FORBIDDEN = List.of(".." + "/shared", "/work" + "/shared");
    /** An absolute path under the machine's work folder, in any Markdown text. */
    private static final Pattern WORK_PATH = Pattern.compile("(?<![\\w.~-])/" + "work/");

    private static final Pattern INLINE_LINK =
            Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    private static final Pattern REFERENCE_DEF = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern HTML_LINK = Pattern.compile("(?i)<(?:a|img)\\b[^>]*?\\b(?:href|src)\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern AUTOLINK = Pattern.compile("<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\\s]*)>");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("(?i)<a\\b[^>]*\\b(?:name|id)\\s*=\\s*[\"']([^\"']+)[\"']");

    @Test
    void everyMarkdownLinkStaysInTheRepositoryAndPointsAtSomethingThatExists() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = repositoryFiles(root);
        List<Path> markdown = files.stream().filter(p -> p.toString().endsWith(".md")).toList();
        assertTrue(markdown.contains(root.resolve("README.md")), "the scan found no README.md under " + root);
        List<String> problems = new ArrayList<>();
        for (Path md : markdown) {
            problems.addAll(check(root, md));
        }
        assertEquals(List.of(), problems, problems.size() + " broken link(s) in Markdown files");
    }

    @Test
    void noFileMentionsNotesOutsideTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> problems = new ArrayList<>();
        for (Path file : repositoryFiles(root)) {
            String text = readText(file);
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String forbidden : FORBIDDEN) {
                    if (lines[i].contains(forbidden)) {
                        problems.add(root.relativize(file) + ":" + (i + 1) + ": mentions " + forbidden);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The checker itself, on a small tree with one of each mistake: it must find them all. */
    @Test
    void theCheckFindsEachKindOfBrokenLink(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), "# Title\n\n## A `code` heading (two)\n");
        Files.writeString(root.resolve("docs/guide.md"), String.join("\n",
                "# Guide",
                "[ok](../README.md) [ok anchor](../README.md#a-code-heading-two) [self](#guide) [web](https://example.org/x)",
                "[missing](missing.md) [climbs](../../outside.md) [absolute](/etc/passwd) [file](file:///tmp/x)",
                "[bad anchor](../README.md#nope) [notes](" + FORBIDDEN.get(0) + "/DESIGN.md)",
                "Read " + "/work" + "/main/README.md first.",
                "[ref]: ../nowhere.txt",
                "<img src=\"pic.png\">",
                "```",
                "[in code](not-a-link.md)",
                "```",
                "`[inline](not-a-link-either.md)`",
                ""));
        List<String> problems = check(root, root.resolve("docs/guide.md"));
        String all = String.join("\n", problems);
        for (String expected : List.of("missing.md", "../../outside.md", "/etc/passwd", "file:///tmp/x",
                "../README.md#nope", FORBIDDEN.get(0) + "/DESIGN.md", "/work" + "/main", "../nowhere.txt", "pic.png")) {
            assertTrue(all.contains(expected), "not reported: " + expected + "\n" + all);
        }
        assertTrue(!all.contains("not-a-link") && !all.contains("example.org") && !all.contains("(#guide)")
                && !all.contains("a-code-heading-two"), all);
        assertEquals(10, problems.size(), all);
    }

    // --- the check ---

    static List<String> check(Path root, Path md) throws IOException {
        List<String> problems = new ArrayList<>();
        String name = root.relativize(md).toString();
        List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
        boolean inFence = false;
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = name + ":" + (i + 1) + ": ";
            if (WORK_PATH.matcher(line).find()) {
                problems.add(where + "absolute path into the work folder: " + line.trim());
            }
            for (String forbidden : FORBIDDEN) {
                if (line.contains(forbidden) && !WORK_PATH.matcher(line).find()) {
                    problems.add(where + "mentions " + forbidden + ": " + line.trim());
                }
            }
            String trimmed = line.stripLeading();
            if (inFence) {
                if (trimmed.startsWith(fence)) {
                    inFence = false;
                }
                continue;
            }
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                inFence = true;
                fence = trimmed.substring(0, 3);
                continue;
            }
            String text = withoutInlineCode(line);
            for (String target : targets(text)) {
                String problem = checkTarget(root, md, target);
                if (problem != null) {
                    problems.add(where + problem + ": " + target);
                }
            }
        }
        return problems;
    }

    private static List<String> targets(String text) {
        List<String> targets = new ArrayList<>();
        Matcher m = INLINE_LINK.matcher(text);
        while (m.find()) {
            targets.add(unbracket(m.group(2)));
        }
        m = REFERENCE_DEF.matcher(text);
        if (m.find()) {
            targets.add(unbracket(m.group(1)));
        }
        m = HTML_LINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1));
        }
        m = AUTOLINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /** Null when {@code target}, written in {@code md}, is fine; else what is wrong with it. */
    private static String checkTarget(Path root, Path md, String target) throws IOException {
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:")) {
            return null;
        }
        if (SCHEME.matcher(target).find()) {
            return "link outside the repository (scheme)";
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = path.replace("%20", " ");
        if (path.startsWith("/") || path.startsWith("~")) {
            return "absolute path (outside the repository)";
        }
        Path resolved = path.isEmpty() ? md : md.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "climbs above the repository root";
        }
        if (!Files.exists(resolved)) {
            return "no such file in the repository";
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(anchor)) {
            return "no such heading";
        }
        return null;
    }

    /** GitHub's heading anchors of a Markdown file (and explicit {@code <a name>} ones). */
    static Set<String> anchors(Path md) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                anchors.add(a.group(1));
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /** GitHub's slug: the heading's text, lower case, without punctuation, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
        StringBuilder slug = new StringBuilder();
        for (int cp : text.toLowerCase(Locale.ROOT).codePoints().toArray()) {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') {
                slug.appendCodePoint(cp);
            } else if (cp == ' ') {
                slug.append('-');
            }
        }
        return slug.toString();
    }

    private static String withoutInlineCode(String line) {
        return line.replaceAll("(`+)(?:(?!\\1).)+?\\1", "");
    }

    private static String unbracket(String target) {
        return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
    }

    // --- the files ---

    /** The reactor's root: the parent of this module (Surefire sets {@code basedir}). */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = Files.exists(module.resolve("itests")) ? module : module.getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("core-bundle")),
                "not the repository root: " + root);
        return root.normalize();
    }

    /** Tracked and untracked files that git does not ignore; without git, a walk that skips build output. */
    static List<Path> repositoryFiles(Path root) throws IOException {
        List<Path> files = gitFiles(root);
        if (files != null) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = root.relativize(p);
                        for (Path part : rel) {
                            String s = part.toString();
                            if (s.equals("target") || (s.startsWith(".") && !s.equals(".ci"))) {
                                return false;
                            }
                        }
                        return !rel.startsWith("bench/results") && !rel.startsWith("itests/data");
                    })
                    .sorted().toList();
        }
    }

    private static List<Path> gitFiles(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others",
                    "--exclude-standard").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return null;
            }
            List<Path> files = new ArrayList<>();
            for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
                Path p = root.resolve(name);
                if (!name.isEmpty() && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
            return files;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The file's text, or null for a binary or large file. */
    private static String readText(Path file) throws IOException {
        if (Files.size(file) > 4_000_000) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
