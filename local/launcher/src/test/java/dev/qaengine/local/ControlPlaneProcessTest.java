package dev.qaengine.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneProcessTest {

    @Test
    void theAdminKeyIsGeneratedOnceAndKeptForTheNextStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(ControlPlaneProcess.KEY_FILE);
        String first = ControlPlaneProcess.storedKey(file);
        assertThat(first).startsWith("qak_").hasSizeGreaterThanOrEqualTo(40);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ControlPlaneProcess.storedKey(file)).isEqualTo(first);

        Files.writeString(file, "too-short\n");
        assertThat(ControlPlaneProcess.storedKey(file)).as("an unusable key is replaced").isNotEqualTo("too-short").startsWith("qak_");
    }

    @Test
    void theBootJarIsFoundFromTheRepositoryRootOrBelowIt(@TempDir Path root) throws Exception {
        Path target = Files.createDirectories(root.resolve("control-plane/target"));
        Files.writeString(target.resolve("qa-control-plane-0.1.0-SNAPSHOT.jar.original"), "x");
        Files.writeString(target.resolve("qa-control-plane-0.1.0-SNAPSHOT-sources.jar"), "x");
        Path jar = Files.writeString(target.resolve("qa-control-plane-0.1.0-SNAPSHOT.jar"), "x");
        Path module = Files.createDirectories(root.resolve("local/launcher"));

        assertThat(ControlPlaneProcess.findJar(root)).contains(jar);
        assertThat(ControlPlaneProcess.findJar(module)).as("tests run in local/launcher").contains(jar);
        assertThat(ControlPlaneProcess.findJar(Files.createDirectories(root.resolve("elsewhere")))).contains(jar);
        Files.delete(jar);
        assertThat(ControlPlaneProcess.findJar(module)).isEmpty();
        Path dist = Files.createDirectories(root.resolve("jobs/dist/target"));
        Files.writeString(dist.resolve("original-qa-jobs-0.1.0-SNAPSHOT.jar"), "x");
        Path jobs = Files.writeString(dist.resolve("qa-jobs-0.1.0-SNAPSHOT.jar"), "x");
        assertThat(ControlPlaneProcess.findJobsJar(module)).as("the shaded jar, not the shade plugin's original").contains(jobs);
    }

    @Test
    void configurationComesFromTheSameVariablesADeploymentSets(@TempDir Path dir) {
        StackConfig stack = StackConfig.from(Settings.of(Map.of("QA_DATA_DIR", dir.toString())));
        ControlPlaneProcess.Config defaults = ControlPlaneProcess.Config.from(Settings.of(Map.of()), stack);
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.url()).isEqualTo("http://localhost:8080");
        assertThat(defaults.dir()).isEqualTo(dir.resolve("control-plane"));
        assertThat(defaults.logFile()).isEqualTo(dir.resolve("logs/control-plane.log"));
        assertThat(defaults.h2Url()).startsWith("jdbc:h2:file:" + dir.resolve("control-plane/qa") + ";MODE=PostgreSQL;");
        assertThat(defaults.adminKey()).isEmpty();
        assertThat(defaults.orgId()).isEqualTo("local-org");
        assertThat(defaults.javaOptions()).containsExactly("-Xmx512m");

        ControlPlaneProcess.Config set = ControlPlaneProcess.Config.from(Settings.of(Map.of(
                "QA_DATA_DIR", dir.toString(), "QA_CONTROL_PLANE_PORT", "18080", "QA_BOOTSTRAP_ADMIN_KEY", "my-fixed-admin-key-123",
                "QA_BOOTSTRAP_ORG_ID", "acme", "QA_CONTROL_PLANE_JAVA_OPTS", "-Xmx1g  -XX:+UseSerialGC",
                "QA_DB_URL", "jdbc:postgresql://127.0.0.1:5432/qa")), StackConfig.from(Settings.of(Map.of(
                "QA_DATA_DIR", dir.toString(), "QA_DB_URL", "jdbc:postgresql://127.0.0.1:5432/qa"))))
                .withEnv(Map.of("QA_FLINK_REST_URL", "http://localhost:8081"));
        assertThat(set.url()).isEqualTo("http://localhost:18080");
        assertThat(set.adminKey()).contains("my-fixed-admin-key-123");
        assertThat(set.orgId()).isEqualTo("acme");
        assertThat(set.javaOptions()).containsExactly("-Xmx1g", "-XX:+UseSerialGC");
        assertThat(set.dbUrl()).contains("jdbc:postgresql://127.0.0.1:5432/qa");
        assertThat(set.env()).containsEntry("QA_FLINK_REST_URL", "http://localhost:8081");
        assertThat(set.jar()).isEqualTo(Optional.empty());
    }

    @Test
    void aStoredDefinitionEqualsTheWantedOneIgnoringTimestampsAndEmptyLists() throws Exception {
        JsonNode stored = Json.MAPPER.readTree("""
                {"appKey":"shop","name":"Shop","appType":"APP","globalAttributes":[],"createdAt":"2026-01-01T00:00:00Z"}""");
        JsonNode wanted = Json.MAPPER.readTree("""
                {"appKey":"shop","name":"Shop","appType":"APP","globalAttributes":null}""");
        assertThat(ControlPlaneClient.sameFields(stored, wanted)).isTrue();
        assertThat(ControlPlaneClient.sameFields(stored, Json.MAPPER.readTree("""
                {"appKey":"shop","name":"Shop app","appType":"APP"}"""))).isFalse();
        assertThat(ControlPlaneClient.sameFields(stored, Json.MAPPER.readTree("""
                {"appKey":"shop","globalAttributes":[{"id":"v","name":"v","type":"TEXT"}]}"""))).isFalse();
    }
}
