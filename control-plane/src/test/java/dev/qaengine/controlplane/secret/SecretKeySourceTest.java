package dev.qaengine.controlplane.secret;

import dev.qaengine.controlplane.secret.SecretKeySource.Origin;
import dev.qaengine.controlplane.secret.SecretKeySource.Resolved;
import dev.qaengine.model.SecretBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretKeySourceTest {
    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtY29udHJvbC1wbGFuZSE=";
    private static final String H2_FLAGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";

    @TempDir
    Path dir;

    @Test
    void qaSecretKeyWinsOverEverything() {
        Resolved r = SecretKeySource.resolve(KEY, "jdbc:h2:file:" + dir.resolve("qa") + H2_FLAGS);
        assertThat(r.origin()).isEqualTo(Origin.CONFIGURED);
        assertThat(SecretBox.fromBase64(KEY).open(r.box().seal("x"))).isEqualTo("x");
        assertThat(dir.resolve(SecretKeySource.KEY_FILE)).doesNotExist();
        assertThat(SecretKeySource.resolve(KEY, "jdbc:postgresql://db:5432/qa").origin()).isEqualTo(Origin.CONFIGURED);
    }

    @Test
    void aBadQaSecretKeyStopsTheStartWithoutShowingIt() {
        assertThatThrownBy(() -> SecretKeySource.resolve("c2hvcnQ=", "jdbc:h2:mem:x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QA_SECRET_KEY")
                .hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining("c2hvcnQ=");
    }

    @Test
    void withTheH2FileAKeyIsGeneratedOnceNextToItReadableByTheOwnerOnly() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data/control-plane/qa") + H2_FLAGS;
        Resolved first = SecretKeySource.resolve(null, url);
        Path file = dir.resolve("data/control-plane/" + SecretKeySource.KEY_FILE);
        assertThat(first.origin()).isEqualTo(Origin.KEY_FILE_CREATED);
        assertThat(first.file()).isEqualTo(file);
        assertThat(file).exists();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        Resolved second = SecretKeySource.resolve("", url);
        assertThat(second.origin()).isEqualTo(Origin.KEY_FILE_READ);
        assertThat(second.box().open(first.box().seal("sealed at the first start"))).isEqualTo("sealed at the first start");
        assertThat(SecretBox.fromBase64(Files.readString(file)).open(second.box().seal("y"))).isEqualTo("y");
    }

    @Test
    void anImplicitFileUrlAlsoKeepsItsKeyNextToTheDatabase() {
        Resolved r = SecretKeySource.resolve(null, "jdbc:h2:" + dir.resolve("qa"));
        assertThat(r.origin()).isEqualTo(Origin.KEY_FILE_CREATED);
        assertThat(r.file()).isEqualTo(dir.resolve(SecretKeySource.KEY_FILE));
    }

    @Test
    void aDamagedKeyFileStopsTheStart() throws Exception {
        Files.writeString(dir.resolve(SecretKeySource.KEY_FILE), "not a key");
        assertThatThrownBy(() -> SecretKeySource.resolve(null, "jdbc:h2:file:" + dir.resolve("qa")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
    }

    @Test
    void anInMemoryDatabaseGetsAKeyOfThisProcessOnly() {
        Resolved a = SecretKeySource.resolve(null, "jdbc:h2:mem:cp" + H2_FLAGS);
        Resolved b = SecretKeySource.resolve(null, "jdbc:h2:mem:cp" + H2_FLAGS);
        assertThat(a.origin()).isEqualTo(Origin.EPHEMERAL);
        assertThat(b.box().opens(a.box().seal("x"))).isFalse();
    }

    @Test
    void anyOtherDatabaseNeedsQaSecretKey() {
        for (String url : new String[]{"jdbc:postgresql://db:5432/qa?user=qa&password=hunter2", "jdbc:h2:tcp://db/qa;PASSWORD=hunter2", ""}) {
            assertThatThrownBy(() -> SecretKeySource.resolve(null, url)).as(url)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("QA_SECRET_KEY must be set")
                    .hasMessageNotContaining("hunter2");
        }
    }
}
