package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.template.TemplateRepository.Kind;
import dev.qaengine.controlplane.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Asks the platforms, every {@code QA_PLATFORM_SYNC_INTERVAL}, for the review status of pending signatures
 * and templates — those synchronized longest ago first, at most {@code sync-batch} of each kind per round.
 * A platform that fails is logged and tried again next round. Every instance polls (harmless: a status is
 * idempotent, and an answer about an older revision of a template is not written).
 */
@Component
public class ReviewSync {
    private static final Logger log = LoggerFactory.getLogger(ReviewSync.class);

    private final TemplateService templates;
    private final int batch;
    private final Counter synced;
    private final Counter failed;

    public ReviewSync(TemplateService templates, QaProperties properties, MeterRegistry meters) {
        this.templates = templates;
        this.batch = properties.platforms().syncBatch();
        this.synced = Counter.builder("qa.platform.review.synced").description("review statuses asked of platforms by the poll").register(meters);
        this.failed = Counter.builder("qa.platform.review.failed").description("review status polls a platform failed").register(meters);
    }

    @Scheduled(fixedDelayString = "${qa.platforms.sync-interval:5m}", initialDelayString = "${qa.platforms.sync-interval:5m}")
    public void syncPending() {
        int ok = 0;
        int bad = 0;
        String firstFailure = null;
        for (Kind kind : Kind.values()) {
            for (String id : templates.pending(kind, batch)) {
                try {
                    if (templates.syncAnywhere(kind, id)) {
                        ok++;
                    }
                } catch (ApiException e) {
                    bad++;
                    if (firstFailure == null) {
                        firstFailure = kind.label() + " " + id + ": " + e.getMessage();
                    }
                } catch (RuntimeException e) {
                    bad++;
                    log.warn("review status of {} {} could not be synchronized", kind.label(), id, e);
                }
            }
        }
        synced.increment(ok);
        failed.increment(bad);
        if (bad > 0) {
            log.warn("review status poll: {} synchronized, {} failed (first: {})", ok, bad, firstFailure);
        } else if (ok > 0) {
            log.debug("review status poll: {} synchronized", ok);
        }
    }
}
