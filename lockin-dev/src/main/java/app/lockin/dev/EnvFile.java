package app.lockin.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file in systemd's {@code EnvironmentFile=} format, read as systemd reads
 * what LockIN's files use (and as deploy/lib/env-file.sh does): {@code NAME=value}
 * lines, spaces around them ignored, lines starting with {@code #} or {@code ;}
 * are comments, one pair of quotes around a value stripped; a later line wins.
 */
final class EnvFile {

    private static final Pattern SETTING = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*$");

    private EnvFile() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher setting = SETTING.matcher(line);
            if (setting.matches()) {
                settings.put(setting.group(1), unquoted(setting.group(2)));
            }
        }
        return settings;
    }

    private static String unquoted(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
