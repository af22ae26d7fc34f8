package app.lockin.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.RSAKey;

import app.lockin.database.DatabaseUrl;

/**
 * What {@code ./lockin} runs.
 *
 * <ul>
 * <li>{@code run}: starts an embedded PostgreSQL (unless {@code DATABASE_URL}
 * is set), makes a development key pair (unless {@code LOCKIN_JWKS_LOCATION}
 * or Cognito settings are set), and runs Payara Micro with the application in
 * the foreground on {@code LOCKIN_PORT} (default 8080). Ctrl-C stops all of it.</li>
 * <li>{@code token NAME [--admin] [--id]}: prints a development token for the
 * person NAME, signed by the development key.</li>
 * <li>{@code tokens N [PREFIX]}: prints N development access tokens, one a
 * line, whose subjects are PREFIX1 .. PREFIXN (default prefix
 * {@code bench-user-}), for load tests with many users; the development key
 * is created when missing.</li>
 * <li>{@code migrate}: applies the schema migrations to {@code DATABASE_URL}
 * (the embedded database when unset) without starting the server;
 * {@code LOCKIN_MIGRATIONS} names other Flyway locations (db/compare-schemas.sh).</li>
 * </ul>
 */
public final class Launcher {

    static final String DEV_ISSUER = "https://lockin.localhost/dev";
    static final String DEV_CLIENT_ID = "lockin-dev-client";

    private final Path home;
    private final Path state;
    private final Map<String, String> env;

    private Launcher(Path home, Map<String, String> env) {
        this.home = home;
        this.state = home.resolve(".lockin");
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("lockin.home", ".")).toAbsolutePath().normalize();
        Launcher launcher = new Launcher(home, System.getenv());
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "run" -> launcher.run();
            case "token" -> launcher.token(List.of(args).subList(1, args.length));
            case "tokens" -> launcher.tokens(List.of(args).subList(1, args.length));
            case "migrate" -> launcher.migrate();
            case "db" -> launcher.database();
            default -> {
                System.err.println("""
                        usage: ./lockin run                      run the API locally (embedded PostgreSQL, dev tokens)
                               ./lockin token NAME [--admin] [--id]
                                                                 print a development token for NAME
                               ./lockin tokens N [PREFIX]        print N access tokens, for the subjects PREFIX1..PREFIXN
                               ./lockin migrate                  apply the schema migrations to DATABASE_URL
                               ./lockin db                       only the embedded PostgreSQL, in the foreground
                               ./lockin test                     run all the tests (mvn verify)""");
                System.exit("help".equals(command) ? 0 : 2);
            }
        }
    }

    // ---------------------------------------------------------------- run

    private void run() throws Exception {
        // the port, JVM options, malloc arenas and worker threads production runs with
        Map<String, String> settings = serverSettings();
        int port = Integer.parseInt(settings.get("LOCKIN_PORT"));
        Map<String, String> serverEnv = new HashMap<>(env);
        List<AutoCloseable> started = new ArrayList<>();

        String databaseUrl = env.get("DATABASE_URL");
        String databaseNote;
        if (databaseUrl == null || databaseUrl.isBlank()) {
            int dbPort = Integer.parseInt(env.getOrDefault("LOCKIN_DB_PORT", "54329"));
            Path data = state.resolve("pgdata");
            System.out.println("Starting embedded PostgreSQL on port " + dbPort + " (data in " + home.relativize(data) + ")");
            EmbeddedDatabase database = EmbeddedDatabase.start(data, dbPort);
            started.add(database);
            serverEnv.put("DATABASE_URL", database.databaseUrl());
            databaseNote = "embedded PostgreSQL  " + database.jdbcUrl();
        } else {
            databaseNote = "DATABASE_URL from the environment";
        }

        boolean cognito = present("COGNITO_USER_POOL_ID") || present("COGNITO_REGION");
        String tokenNote;
        if (present("LOCKIN_JWKS_LOCATION") || cognito) {
            tokenNote = cognito && !present("LOCKIN_JWKS_LOCATION")
                    ? "tokens of the Cognito pool " + env.get("COGNITO_USER_POOL_ID")
                    : "tokens signed by a key of " + env.get("LOCKIN_JWKS_LOCATION");
        } else {
            DevKeys.loadOrCreate(devKey(), devJwks());
            serverEnv.put("LOCKIN_JWT_ISSUER", DEV_ISSUER);
            serverEnv.put("LOCKIN_JWKS_LOCATION", devJwks().toString());
            serverEnv.put("COGNITO_CLIENT_ID", DEV_CLIENT_ID);
            tokenNote = "development tokens:  TOKEN=$(./lockin token alice)";
        }

        Path micro = home.resolve("lockin-web/target/payara-micro.jar");
        Path war = home.resolve("lockin-web/target/lockin.war");
        for (Path required : List.of(micro, war)) {
            if (!Files.exists(required)) {
                throw new IllegalStateException(required + " is missing: build with `mvn -DskipTests package`");
            }
        }
        // a fresh runtime folder: Payara Micro keeps a deployed application's pool and
        // persistence settings there, which a rebuilt WAR would otherwise not replace
        deleteRecursively(state.resolve("micro"));
        Files.createDirectories(state.resolve("micro"));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(List.of(settings.get("LOCKIN_JAVA_OPTS").trim().split("\\s+")));
        command.addAll(List.of("-Duser.timezone=UTC",
                // not ready while the application's own checks are not deployed yet
                "-Dmp.health.default.readiness.empty.response=DOWN",
                "-jar", micro.toString(),
                "--deploy", war.toString(), "--contextroot", "/",
                "--port", String.valueOf(port),
                "--maxhttpthreads", settings.get("LOCKIN_HTTP_THREADS"),
                "--nocluster",
                "--rootdir", state.resolve("micro").toString(),
                // the listener as production has it (loopback only, request lines up to 64 KiB,
                // opened once the application is deployed)
                "--prebootcommandfile", home.resolve("deploy/payara-preboot.asadmin").toString(),
                "--postdeploycommandfile", home.resolve("deploy/payara-postdeploy.asadmin").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("MALLOC_ARENA_MAX", settings.get("MALLOC_ARENA_MAX"));
        builder.environment().putAll(serverEnv);
        long launched = System.nanoTime();
        Process server = builder.start();

        Thread stopper = new Thread(() -> stop(server, started), "lockin-stop");
        Runtime.getRuntime().addShutdownHook(stopper);

        String base = "http://localhost:" + port;
        if (awaitReady(base, server)) {
            System.out.printf("""

                    ==============================================================
                     LockIN is up (%.1f s)
                       API          %s/api/me
                       health       %s/health   (%s/health/ready)
                       OpenAPI      %s/openapi
                       OpenAPI UI   %s/docs/
                       database     %s
                       auth         %s
                     try:  curl -H "Authorization: Bearer $(./lockin token alice)" %s/api/me
                     Ctrl-C stops the server%s.
                    ==============================================================

                    """, (System.nanoTime() - launched) / 1e9, base, base, base, base, base,
                    databaseNote, tokenNote, base, started.isEmpty() ? "" : " and the embedded database");
        }
        int exit = server.waitFor();
        System.exit(exit);
    }

    private boolean awaitReady(String base, Process server) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (server.isAlive() && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = client.send(ready, HttpResponse.BodyHandlers.ofString());
                // Payara answers UP before the application (and its database check) is deployed
                if (answer.statusCode() == 200 && answer.body().contains("\"database\"")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            server.waitFor(250, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    private static void stop(Process server, List<AutoCloseable> started) {
        if (server != null && server.isAlive()) {
            server.destroy();
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable resource : started) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("could not stop " + resource + ": " + e.getMessage());
            }
        }
    }

    // ----------------------------------------------------------------- db

    /**
     * The embedded PostgreSQL alone, in the foreground (scripts that start
     * several servers share it), with a streaming replica of it when
     * LOCKIN_DB_REPLICA_PORT is set (the cluster test's reads).
     */
    private void database() throws Exception {
        int dbPort = Integer.parseInt(env.getOrDefault("LOCKIN_DB_PORT", "54329"));
        Path data = Path.of(env.getOrDefault("LOCKIN_DB_DIR", state.resolve("pgdata").toString()));
        // LOCKIN_DB_TLS_CERT and LOCKIN_DB_TLS_KEY (PEM files): serve TLS, as RDS does
        EmbeddedDatabase database = EmbeddedDatabase.start(data, dbPort,
                present("LOCKIN_DB_TLS_CERT") ? Path.of(env.get("LOCKIN_DB_TLS_CERT")) : null,
                present("LOCKIN_DB_TLS_KEY") ? Path.of(env.get("LOCKIN_DB_TLS_KEY")) : null);
        List<AutoCloseable> started = new ArrayList<>(List.of(database));
        if (present("LOCKIN_DB_REPLICA_PORT")) {
            // a streaming replica beside it (DATABASE_READ_URL), its data in LOCKIN_DB_REPLICA_DIR
            int replicaPort = Integer.parseInt(env.get("LOCKIN_DB_REPLICA_PORT"));
            Path replicaData = Path.of(env.getOrDefault("LOCKIN_DB_REPLICA_DIR", data + "-replica"));
            EmbeddedDatabase replica = EmbeddedDatabase.replicaOf(database, data, replicaData, replicaPort);
            started.add(0, replica);   // stopped first
            System.out.println("DATABASE_READ_URL=" + replica.databaseUrl());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(null, started), "lockin-db-stop"));
        System.out.println("DATABASE_URL=" + database.databaseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    // ------------------------------------------------------------ migrate

    /** Applies db/migration to DATABASE_URL (or the embedded database) without starting the server. */
    private void migrate() throws Exception {
        String value = env.get("DATABASE_URL");
        EmbeddedDatabase embedded = null;
        if (value == null || value.isBlank()) {
            embedded = EmbeddedDatabase.start(state.resolve("pgdata"), Integer.parseInt(env.getOrDefault("LOCKIN_DB_PORT", "54329")));
            value = embedded.databaseUrl();
        }
        try {
            DatabaseUrl url = DatabaseUrl.parse(value);
            System.out.println("Migrating " + url);
            var result = org.flywaydb.core.Flyway.configure(Launcher.class.getClassLoader())
                    .dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                    // another tree of migrations (db/compare-schemas.sh): Flyway locations, e.g. filesystem:/tmp/old
                    .locations(env.getOrDefault("LOCKIN_MIGRATIONS", "classpath:db/migration").split(","))
                    // the application's role, when it is not this one (db/migration/afterMigrate.sql)
                    .placeholders(java.util.Map.of("lockin_app_role", env.getOrDefault("LOCKIN_DB_APP_ROLE", "").strip()))
                    .load()
                    .migrate();
            System.out.println("Schema at version " + (result.targetSchemaVersion == null
                    ? result.initialSchemaVersion : result.targetSchemaVersion)
                    + ": " + result.migrationsExecuted + " migration(s) applied now.");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    // -------------------------------------------------------------- token

    private void token(List<String> args) throws IOException {
        List<String> names = args.stream().filter(a -> !a.startsWith("--")).toList();
        if (names.size() != 1) {
            System.err.println("usage: ./lockin token NAME [--admin] [--id]");
            System.exit(2);
        }
        String name = names.get(0);
        RSAKey key = DevKeys.loadOrCreate(devKey(), devJwks());
        TokenMint mint = new TokenMint(key, DEV_ISSUER, DEV_CLIENT_ID);
        String subject = UUID.nameUUIDFromBytes(("lockin-dev:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        Duration lifetime = Duration.ofHours(12);
        String token = args.contains("--id")
                ? mint.sign(mint.id(subject, name, name + "@example.com", name, lifetime).build())
                : mint.accessToken(subject, name, lifetime, args.contains("--admin") ? List.of("admin") : List.of());
        System.out.println(token);
    }

    /**
     * N access tokens in one JVM, line n for the subject PREFIXn (the benchmark
     * creates auth_identities rows with the same subjects, so every simulated
     * user has a profile with data).
     */
    private void tokens(List<String> args) throws IOException {
        if (args.isEmpty() || args.size() > 2 || !args.get(0).matches("[1-9][0-9]{0,6}")) {
            System.err.println("usage: ./lockin tokens N [PREFIX]   (N tokens for the subjects PREFIX1..PREFIXN, default PREFIX bench-user-)");
            System.exit(2);
        }
        int count = Integer.parseInt(args.get(0));
        String prefix = args.size() == 2 ? args.get(1) : "bench-user-";
        TokenMint mint = new TokenMint(DevKeys.loadOrCreate(devKey(), devJwks()), DEV_ISSUER, DEV_CLIENT_ID);
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= count; n++) {
            out.append(mint.accessToken(prefix + n, prefix + n, Duration.ofHours(12), List.of())).append('\n');
        }
        System.out.print(out);
    }

    // ------------------------------------------------------------ helpers

    private Path devKey() {
        return state.resolve("dev-key.jwk");
    }

    private Path devJwks() {
        return state.resolve("dev-jwks.json");
    }

    private boolean present(String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    /**
     * The settings the server runs with: the defaults of deploy/defaults.env
     * (the file the systemd unit reads first, so that {@code ./lockin run}
     * runs the server as production does, from one place), each overridden
     * by the environment as the unit's env file overrides them.
     */
    private Map<String, String> serverSettings() throws IOException {
        Path file = home.resolve("deploy/defaults.env");
        Map<String, String> settings = EnvFile.read(file);
        for (String name : List.of("LOCKIN_PORT", "LOCKIN_JAVA_OPTS", "LOCKIN_HTTP_THREADS", "MALLOC_ARENA_MAX")) {
            if (present(name)) {
                settings.put(name, env.get(name));
            } else if (!settings.containsKey(name)) {
                throw new IllegalStateException(home.relativize(file) + " sets no " + name);
            }
        }
        return settings;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
