package dev.qaengine.controlplane.secret;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.model.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link SecretBox} of the service: seals every secret written to the database and to qa.control. */
@Configuration(proxyBeanMethods = false)
public class SecretConfig {
    private static final Logger log = LoggerFactory.getLogger(SecretConfig.class);

    @Bean
    SecretBox secretBox(QaProperties properties) {
        SecretKeySource.Resolved r = SecretKeySource.resolve(properties.security().secretKey(), properties.db().url());
        switch (r.origin()) {
            case CONFIGURED -> log.info("secrets are sealed with QA_SECRET_KEY");
            case KEY_FILE_CREATED -> log.warn("QA_SECRET_KEY is not set: generated a secret key into {} — production must set "
                    + "QA_SECRET_KEY (the same on every instance and for the jobs); keep this file: without it the stored "
                    + "secrets cannot be read", r.file());
            case KEY_FILE_READ -> log.warn("QA_SECRET_KEY is not set: secrets are sealed with the key in {} — production must set "
                    + "QA_SECRET_KEY", r.file());
            case EPHEMERAL -> log.warn("QA_SECRET_KEY is not set and the database is in memory: secrets are sealed with a key "
                    + "of this process only; the jobs cannot open them — production must set QA_SECRET_KEY");
        }
        return r.box();
    }
}
