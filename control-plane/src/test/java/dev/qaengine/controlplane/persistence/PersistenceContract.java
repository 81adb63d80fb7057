package dev.qaengine.controlplane.persistence;

import dev.qaengine.controlplane.event.EventBodies.Attribute;
import dev.qaengine.controlplane.event.EventBodies.ChannelCreate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinition;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionCreate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionUpdate;
import dev.qaengine.controlplane.event.EventCatalogRepository;
import dev.qaengine.controlplane.event.EventCatalogRepository.EventFilter;
import dev.qaengine.controlplane.event.EventCatalogService;
import dev.qaengine.controlplane.outbox.OutboxRepository;
import dev.qaengine.controlplane.outbox.OutboxRow;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.tenancy.ApiKeys;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.tenancy.TenancyBodies.OrganizationCreated;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.tenancy.TenancyService;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written SQL and the transactional rules, run against each supported database: PostgreSQL
 * (production) and H2 in PostgreSQL mode (the zero-install default). The outbox publisher is off, so
 * every row written stays pending and can be inspected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "qa.outbox.publisher-enabled=false",
        "qa.identity-audit.consumer-enabled=false",
        "qa.journey-status.consumer-enabled=false",
        "qa.journey-stats.consumer-enabled=false",
        "qa.journey-trace.consumer-enabled=false",
        "qa.journeys.max-running-per-org=1",
        "qa.kafka.bootstrap=127.0.0.1:1",
        "qa.bootstrap.admin-key=persistence-bootstrap-key-0123",
        "qa.security.secret-key=" + PersistenceContract.SECRET_KEY})
abstract class PersistenceContract {
    static final String SECRET_KEY = "cGVyc2lzdGVuY2UtY29udHJhY3Qtc2VjcmV0LWtleSE=";
    @Autowired
    TenancyService tenancy;
    @Autowired
    TenancyRepository tenancyRepository;
    @Autowired
    EventCatalogService catalog;
    @Autowired
    EventCatalogRepository catalogRepository;
    @Autowired
    OutboxRepository outbox;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    dev.qaengine.controlplane.identity.IdentitySettingsService identitySettings;
    @Autowired
    dev.qaengine.controlplane.aeskey.AesKeyService aesKeys;
    @Autowired
    dev.qaengine.controlplane.channel.ChannelInterfaceService interfaces;
    @Autowired
    dev.qaengine.controlplane.channel.ChannelInterfaceRepository interfaceRepository;
    @Autowired
    dev.qaengine.controlplane.template.TemplateRepository templates;
    @Autowired
    dev.qaengine.controlplane.receipt.NonceRepository nonces;
    @Autowired
    dev.qaengine.model.SecretBox secretBox;
    @Autowired
    dev.qaengine.controlplane.identity.IdentityAuditRepository auditRepository;
    @Autowired
    dev.qaengine.controlplane.identity.IdentityAuditService auditService;

    Caller newOrg() {
        OrganizationCreated c = tenancy.createOrganization(null, "org", null, false);
        return tenancyRepository.findCallerByKeyHash(ApiKeys.hash(c.adminKey().key())).orElseThrow();
    }

    static ChannelCreate channel(String appKey, Attribute... globals) {
        return new ChannelCreate(appKey, "Channel " + appKey, AppType.APP, null, List.of(globals));
    }

    static EventDefinitionCreate event(String code, String channel, Attribute... attributes) {
        return new EventDefinitionCreate(code, "Event " + code, channel, List.of(attributes));
    }

    static Attribute attr(String id, AttributeType type) {
        return new Attribute(id, id, type);
    }

    List<OutboxRow> history(String orgId) {
        return outbox.history(ControlRecord.key(ControlKind.EVENT_CATALOG, orgId));
    }

    static EventCatalog catalogOf(OutboxRow row) {
        try {
            return ControlRecords.catalog(ControlRecords.JOBS_JSON.readValue(row.payload(), ControlRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theBootstrapKeyExistsAndAuthenticates() {
        Caller platform = tenancyRepository.findCallerByKeyHash(ApiKeys.hash("persistence-bootstrap-key-0123")).orElseThrow();
        assertThat(platform.platformAdmin()).isTrue();
        assertThat(platform.role()).isEqualTo(Role.ADMIN);
        assertThat(tenancyRepository.bootstrapOrganizationId()).contains(platform.orgId());
    }

    @Test
    void everyCatalogChangeWritesTheWholeCatalogToTheOutboxWithAGrowingVersion() {
        Caller org = newOrg();
        long before = System.currentTimeMillis();
        catalog.createChannel(org.orgId(), channel("app", attr("ver", AttributeType.TEXT)));
        catalog.createEvent(org.orgId(), event("buy", "app", attr("price", AttributeType.NUMBER)));
        catalog.updateEvent(org.orgId(), "buy", new EventDefinitionUpdate(null, "Purchase", "app",
                List.of(new Attribute("price", "Unit price", AttributeType.NUMBER), attr("sku", AttributeType.TEXT))));

        List<OutboxRow> rows = history(org.orgId());
        assertThat(rows).hasSize(4); // created (empty catalog) + 3 changes
        assertThat(rows.stream().mapToLong(OutboxRow::version).toArray()).isSorted().doesNotHaveDuplicates();
        assertThat(rows.get(1).version()).isGreaterThanOrEqualTo(before); // clock-based: above anything an older database published
        assertThat(rows).allSatisfy(r -> assertThat(r.topic()).isEqualTo("qa.control"));
        EventCatalog last = catalogOf(rows.get(3));
        assertThat(last).isEqualTo(catalog.catalog(org.orgId()));
        assertThat(last.eventsOrEmpty().get(0).attributesOrEmpty()).extracting(a -> a.name()).containsExactly("Unit price", "sku");
        assertThat(outbox.countPending()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aChangeThatFailsOrRollsBackLeavesNoOutboxRow() {
        Caller org = newOrg();
        int rows = history(org.orgId()).size();
        assertThatThrownBy(() -> catalog.createEvent(org.orgId(), event("e", "no-such-channel"))).isInstanceOf(ApiException.class);
        transactions.executeWithoutResult(status -> {
            catalog.createChannel(org.orgId(), channel("rolled-back"));
            status.setRollbackOnly();
        });
        assertThat(history(org.orgId())).hasSize(rows);
        assertThat(catalogRepository.findChannel(org.orgId(), "rolled-back")).isEmpty();
    }

    @Test
    void concurrentChangesOfOneOrganizationAreSerializedAndEachCatalogHoldsAllEarlierOnes() throws Exception {
        Caller org = newOrg();
        int perThread = 6;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (String prefix : List.of("a", "b")) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        catalog.createEvent(org.orgId(), event(prefix + i, null));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<OutboxRow> rows = history(org.orgId());
        assertThat(rows).hasSize(1 + 2 * perThread);
        assertThat(rows.stream().mapToLong(OutboxRow::version).toArray()).isSorted().doesNotHaveDuplicates();
        // in commit order, every catalog is one event larger than the one before: none missed a committed change
        for (int i = 0; i < rows.size(); i++) {
            assertThat(catalogOf(rows.get(i)).eventsOrEmpty()).hasSize(i);
        }
    }

    @Test
    void theDatabaseRefusesADefinitionOnAMissingChannel() {
        Caller org = newOrg();
        catalog.createChannel(org.orgId(), channel("c"));
        catalog.createEvent(org.orgId(), event("e", "c"));
        assertThatThrownBy(() -> jdbc.sql("delete from event_channel where organization_id = ? and app_key = 'c'")
                .param(org.orgId()).update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void theCatalogOfAnOrganizationIsItsOwn() {
        Caller a = newOrg();
        Caller b = newOrg();
        catalog.createChannel(a.orgId(), channel("same"));
        catalog.createChannel(b.orgId(), channel("same"));
        catalog.createEvent(b.orgId(), event("only-b", "same"));
        assertThat(catalog.catalog(a.orgId()).eventsOrEmpty()).isEmpty();
        assertThat(catalog.catalog(b.orgId()).eventsOrEmpty()).hasSize(1);
        assertThatThrownBy(() -> catalog.getEvent(a.orgId(), "only-b")).isInstanceOf(ApiException.class);
    }

    @Test
    void filtersMatchNamesCaseInsensitivelyWithLiteralWildcards() {
        Caller org = newOrg();
        catalog.createEvent(org.orgId(), new EventDefinitionCreate("e1", "Cart 100% off", null, List.of()));
        catalog.createEvent(org.orgId(), new EventDefinitionCreate("e2", "cart_view", null, List.of()));
        catalog.createEvent(org.orgId(), new EventDefinitionCreate("e3", "CARTXVIEW", null, List.of()));
        PageRequest page = PageRequest.of(0, 10);
        assertThat(catalogRepository.listEvents(org.orgId(), new EventFilter(null, null, "cart"), page)).hasSize(3);
        assertThat(catalogRepository.listEvents(org.orgId(), new EventFilter(null, null, "%"), page))
                .extracting(EventDefinition::eventCode).containsExactly("e1");
        assertThat(catalogRepository.listEvents(org.orgId(), new EventFilter(null, null, "t_v"), page))
                .extracting(EventDefinition::eventCode).containsExactly("e2");
        assertThat(catalogRepository.countEvents(org.orgId(), new EventFilter(null, null, "t_v"))).isEqualTo(1);
        assertThat(catalogRepository.listEvents(org.orgId(), new EventFilter(null, null, null), PageRequest.of(1, 2)))
                .extracting(EventDefinition::eventCode).containsExactly("e3");
    }

    @Test
    void storedValuesReadBackEqual() {
        Caller org = newOrg();
        var created = catalog.createChannel(org.orgId(), new ChannelCreate("ü.app", "Ünïcödé 渠道", AppType.MINI_PROGRAM, "open_id",
                List.of(new Attribute("a", "属性 \"quoted\"", AttributeType.NUMBER))));
        assertThat(catalog.getChannel(org.orgId(), "ü.app")).isEqualTo(created);
    }

    @Test
    void onlyOnePublisherHoldsTheOutboxLockAtATime() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> holder = pool.submit(() -> transactions.execute(s -> {
                boolean got = outbox.tryLockPublisher();
                locked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return got;
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            // SKIP LOCKED: the second instance does not wait, it skips the round
            assertThat(tryLock()).isFalse();
            release.countDown();
            assertThat(holder.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(tryLock()).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private boolean tryLock() {
        Boolean got = transactions.execute(s -> outbox.tryLockPublisher());
        return Boolean.TRUE.equals(got);
    }

    @Test
    void rowsArePendingInIdOrderUntilMarkedSentAndPurgedLater() {
        Caller org = newOrg();
        catalog.createChannel(org.orgId(), channel("x"));
        List<OutboxRow> mine = history(org.orgId());
        List<OutboxRow> pending = outbox.pending(100_000);
        assertThat(pending.stream().mapToLong(OutboxRow::id).toArray()).isSorted();
        assertThat(pending).containsAll(mine);

        transactions.executeWithoutResult(s -> outbox.markSent(mine.stream().map(OutboxRow::id).toList(),
                java.time.OffsetDateTime.now().minusDays(30)));
        assertThat(outbox.pending(100_000)).doesNotContainAnyElementsOf(mine);
        assertThat(outbox.purgeSentBefore(java.time.OffsetDateTime.now().minusDays(7))).isGreaterThanOrEqualTo(mine.size());
        assertThat(history(org.orgId())).isEmpty();
    }

    @Test
    void deletingAnOrganizationRemovesItsDataAndWritesATombstone() {
        Caller platform = tenancyRepository.findCallerByKeyHash(ApiKeys.hash("persistence-bootstrap-key-0123")).orElseThrow();
        OrganizationCreated created = tenancy.createOrganization(null, "doomed", null, false);
        Caller org = tenancyRepository.findCallerByKeyHash(ApiKeys.hash(created.adminKey().key())).orElseThrow();
        catalog.createChannel(org.orgId(), channel("c"));
        catalog.createEvent(org.orgId(), event("e", "c"));

        tenancy.deleteOrganization(platform, org.orgId());

        List<OutboxRow> rows = history(org.orgId());
        assertThat(rows.get(rows.size() - 1).payload()).isNull();
        assertThat(rows.get(rows.size() - 1).version()).isGreaterThan(rows.get(rows.size() - 2).version());
        assertThat(tenancyRepository.findOrganization(org.orgId())).isEmpty();
        assertThat(tenancyRepository.findCallerByKeyHash(ApiKeys.hash(created.adminKey().key()))).isEmpty();
        assertThat(jdbc.sql("select count(*) from event_definition where organization_id = ?").param(org.orgId())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from workspace where organization_id = ?").param(org.orgId())
                .query(Long.class).single()).isZero();
    }

    // --- identity settings, AES key, channel interfaces, templates, receipt nonces

    @Test
    void identitySettingsAreWrittenTwiceAndPublishedEachTime() {
        Caller org = newOrg();
        identitySettings.update(org.orgId(), new dev.qaengine.controlplane.identity.IdentityBodies.SettingsUpdate(
                List.of(dev.qaengine.model.IdType.ONEID, dev.qaengine.model.IdType.MOBILE), 20));
        var second = identitySettings.update(org.orgId(), new dev.qaengine.controlplane.identity.IdentityBodies.SettingsUpdate(List.of(), 1000));
        assertThat(identitySettings.get(org.orgId())).isEqualTo(second);
        assertThat(outbox.history(ControlRecord.key(ControlKind.IDENTITY_SETTINGS, org.orgId()))).hasSize(2);
    }

    @Test
    void theAesKeyIsStoredSealedOnce() {
        Caller org = newOrg();
        aesKeys.set(org, "0123456789abcdef");
        String stored = jdbc.sql("select sealed_key from org_aes_key where organization_id = ?").param(org.orgId()).query(String.class).single();
        assertThat(secretBox.open(stored)).isEqualTo("0123456789abcdef");
        assertThatThrownBy(() -> aesKeys.set(org, "0123456789abcdef")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> jdbc.sql("insert into org_aes_key (organization_id, sealed_key, set_at, set_by_key_id) values (?, 'v1:x', ?, 'k')")
                .params(org.orgId(), java.time.OffsetDateTime.now()).update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Autowired
    dev.qaengine.controlplane.journey.JourneyService journeys;
    @Autowired
    dev.qaengine.controlplane.journey.JourneyRepository journeyRepository;

    /** An event journey on "buy" of channel "app" (the organization defines both) that waits three days and ends. */
    static JourneyDefinition waiting(String name) {
        var trigger = new JourneyDefinition.Trigger(TriggerType.EVENT, new JourneyDefinition.EventMatch("buy", "app", null, 2, null),
                new JourneyDefinition.Participation(JourneyDefinition.Participation.Mode.ONCE, null, null), null);
        var wait = new JourneyDefinition.Node("w", NodeType.WAIT, "wait 中文", java.util.Map.of("duration", java.util.Map.of("amount", 3, "unit", "DAYS")));
        var end = new JourneyDefinition.Node("end", NodeType.END, null, null);
        return new JourneyDefinition(1, null, name, trigger, "w", List.of(wait, end), List.of(new JourneyDefinition.Edge("w", "end", null)));
    }

    List<OutboxRow> plans(Caller org, String journeyId) {
        return outbox.history(ControlRecord.key(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.orgId(), journeyId)));
    }

    @Test
    void journeysRoundTripEditsAreOptimisticAndTheOrganizationTakesThemAlong() {
        Caller org = newOrg();
        catalog.createChannel(org.orgId(), channel("app"));
        catalog.createEvent(org.orgId(), event("buy", "app", attr("price", AttributeType.NUMBER)));
        var created = journeys.create(org, waiting("Journey 100%"));
        assertThat(created.status()).isEqualTo(JourneyStatus.NOT_STARTED);
        assertThat(journeys.get(org, created.id())).isEqualTo(created);
        assertThat(created.definition().nodes().get(0).config()).isEqualTo(java.util.Map.of("duration", java.util.Map.of("amount", 3, "unit", "DAYS")));
        var filter = new dev.qaengine.controlplane.journey.JourneyRepository.Filter(null, null, "0%");
        assertThat(journeyRepository.count(org.workspaceId(), filter)).isEqualTo(1);
        var row = journeyRepository.find(org.workspaceId(), created.id()).orElseThrow();
        assertThat(journeyRepository.update(row, row.revision() + 1)).as("an edit of a revision read before another").isFalse();
        assertThat(journeyRepository.update(row, row.revision())).isTrue();
        Caller platform = tenancyRepository.findCallerByKeyHash(ApiKeys.hash("persistence-bootstrap-key-0123")).orElseThrow();
        tenancy.deleteOrganization(platform, org.orgId());
        assertThat(journeyRepository.find(org.workspaceId(), created.id())).isEmpty();
    }

    @Autowired
    dev.qaengine.controlplane.journey.JourneyUsage journeyUsage;

    @Test
    void journeysBeyondTheRunningLimitQueueOldestFirstAndStartedOnesHoldWhatTheyUse() {
        Caller org = newOrg();
        catalog.createChannel(org.orgId(), channel("app"));
        catalog.createEvent(org.orgId(), event("buy", "app"));
        String a = journeys.create(org, waiting("A")).id();
        String b = journeys.create(org, waiting("B")).id();
        String c = journeys.create(org, waiting("C")).id();
        journeys.create(org, waiting("Draft"));
        assertThat(journeys.start(org, a).queued()).isFalse();
        assertThat(plans(org, a)).hasSize(1);
        assertThat(journeys.start(org, b).queued()).isTrue();
        assertThat(journeys.start(org, c).queued()).isTrue();
        assertThat(plans(org, b)).isEmpty();
        assertThat(journeyRepository.holdingPlans(org.orgId())).isEqualTo(1);
        // started journeys hold their event and channel, queued ones too; drafts do not
        assertThat(journeyUsage.usersOfEvent(org.orgId(), "buy")).containsExactly("journey 'A'", "journey 'B'", "journey 'C'");
        assertThat(journeyUsage.usersOfChannel(org.orgId(), "app")).containsExactly("journey 'A'", "journey 'B'", "journey 'C'");
        assertThat(journeyUsage.usersOfEvent(org.orgId(), "sell")).isEmpty();
        assertThat(journeyUsage.usersOfInterface(org.orgId(), "w")).as("a WAIT's config is no interface").isEmpty();

        journeys.stop(org, a);
        assertThat(plans(org, a)).extracting(r -> r.payload() == null).containsExactly(false, true);
        assertThat(plans(org, b)).hasSize(1);
        assertThat(journeys.get(org, b).queued()).isFalse();
        assertThat(journeys.get(org, c).queued()).isTrue();
        assertThat(journeyUsage.usersOfEvent(org.orgId(), "buy")).containsExactly("journey 'B'", "journey 'C'");

        // the engine cannot run B: its place goes to C
        long version = plans(org, b).get(0).version();
        assertThat(journeys.acknowledge(new JourneyPlanStatus(1, org.orgId(), b, version, JourneyStatus.FAILED, "no", 1))).isTrue();
        assertThat(journeys.acknowledge(new JourneyPlanStatus(1, org.orgId(), b, version, JourneyStatus.FAILED, "no", 1))).as("a replay").isFalse();
        assertThat(journeys.get(org, b).status()).isEqualTo(JourneyStatus.FAILED);
        assertThat(journeys.get(org, b).statusReason()).isEqualTo("no");
        assertThat(plans(org, b)).extracting(r -> r.payload() == null).containsExactly(false, true);
        assertThat(plans(org, c)).hasSize(1);
        assertThat(journeyRepository.oldestQueued(org.orgId())).isEmpty();
    }

    @Test
    void interfacesRoundTripWithSealedSecretsAndFilter() {
        Caller org = newOrg();
        var webhook = new dev.qaengine.controlplane.channel.InterfaceSettings.Webhook("https://h.example.com", dev.qaengine.model.WebhookAuth.SECRET,
                List.of(dev.qaengine.model.IdType.OPEN_ID, dev.qaengine.model.IdType.MOBILE),
                List.of(new dev.qaengine.controlplane.channel.InterfaceSettings.Parameter("p", "参数", AttributeType.TEXT, true)),
                new dev.qaengine.controlplane.channel.InterfaceSettings.Receipt(2, dev.qaengine.controlplane.channel.InterfaceSettings.PeriodUnit.HOURS,
                        List.of(new dev.qaengine.controlplane.channel.InterfaceSettings.StatusCode("200", dev.qaengine.model.DeliveryStatus.SUCCESS))));
        var created = interfaces.create(org, "Hook 100%", webhook, java.util.Map.of("secret", "s3cret"));
        var other = interfaces.create(org, "Other", new dev.qaengine.controlplane.channel.InterfaceSettings.Webhook("https://o.example.com",
                dev.qaengine.model.WebhookAuth.NONE, List.of(dev.qaengine.model.IdType.EMAIL), List.of(), null), java.util.Map.of());
        assertThat(created.enabled()).as("a new webhook starts enabled").isTrue();
        var read = interfaces.get(org, dev.qaengine.model.ChannelInterfaceType.WEBHOOK, created.id());
        assertThat(read).isEqualTo(created);
        assertThat(secretBox.open(read.secrets().get("secret"))).isEqualTo("s3cret");

        var ws = org.workspaceId();
        var type = dev.qaengine.model.ChannelInterfaceType.WEBHOOK;
        var all = dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter.NONE;
        assertThat(interfaceRepository.count(ws, type, all)).isEqualTo(2);
        assertThat(interfaceRepository.list(ws, type, new dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter(null, null,
                dev.qaengine.model.IdType.MOBILE), PageRequest.of(0, 10))).extracting(i -> i.name()).containsExactly("Hook 100%");
        assertThat(interfaceRepository.list(ws, type, new dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter("0%", true, null),
                PageRequest.of(0, 10))).extracting(i -> i.name()).containsExactly("Hook 100%");
        assertThat(interfaceRepository.count(ws, type, new dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter(null, false, null))).isZero();
        assertThat(interfaces.setEnabled(org, type, other.id(), false).enabled()).isFalse();
        assertThat(interfaceRepository.list(ws, type, new dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter(null, false, null),
                PageRequest.of(0, 10))).extracting(i -> i.name()).containsExactly("Other");
        assertThat(interfaceRepository.count(ws, type, new dev.qaengine.controlplane.channel.ChannelInterfaceRepository.Filter(null, true, null))).isEqualTo(1);
        assertThat(interfaceRepository.findAnywhere(type, created.id())).contains(created);
        assertThatThrownBy(() -> interfaces.create(org, "Hook 100%", webhook, java.util.Map.of("secret", "x"))).isInstanceOf(ApiException.class);
    }

    @Test
    void templatesArePendingUntilAReviewOfTheirRevisionIsSaved() {
        Caller org = newOrg();
        var platform = interfaces.create(org, "SMS", new dev.qaengine.controlplane.channel.InterfaceSettings.Platform(
                dev.qaengine.model.ChannelInterfaceType.SMS, "https://sms.example.com", null), java.util.Map.of());
        var now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        var t = new dev.qaengine.controlplane.template.TemplateBodies.SmsTemplate(java.util.UUID.randomUUID().toString(), platform.id(),
                "SMS_1", "模板", "内容 ${x}", dev.qaengine.controlplane.template.TemplateBodies.SmsTemplateType.PROMOTION, null, "r",
                dev.qaengine.controlplane.template.ReviewStatus.PENDING, null, null, now, now);
        templates.insertSmsTemplate(new dev.qaengine.controlplane.template.TemplateRepository.Row<>(t, org.orgId(), org.workspaceId(), 1));
        var kind = dev.qaengine.controlplane.template.TemplateRepository.Kind.SMS_TEMPLATE;
        assertThat(templates.pending(kind, 100_000)).contains(t.id());
        assertThat(templates.smsTemplate(org.workspaceId(), t.id()).orElseThrow().view()).isEqualTo(t);
        assertThat(templates.saveReview(kind, t.id(), 2, dev.qaengine.controlplane.template.ReviewStatus.APPROVED, null, now))
                .as("an answer about another revision is not written").isFalse();
        assertThat(templates.saveReview(kind, t.id(), 1, dev.qaengine.controlplane.template.ReviewStatus.APPROVED, "ok", now)).isTrue();
        assertThat(templates.pending(kind, 100_000)).doesNotContain(t.id());
        assertThat(templates.namesOnPlatform(kind, platform.id())).containsExactly("模板");
        assertThat(templates.count(kind, org.workspaceId(), new dev.qaengine.controlplane.template.TemplateRepository.Filter(platform.id(),
                dev.qaengine.controlplane.template.ReviewStatus.APPROVED, "模"))).isEqualTo(1);
        // the platform cannot go while the template is on it (the service says in-use first; this is the backstop)
        assertThatThrownBy(() -> jdbc.sql("delete from channel_interface where id = ?").param(platform.id()).update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aNonceIsTakenOnceAndPurgedWhenItExpires() {
        String webhook = java.util.UUID.randomUUID().toString();
        var now = java.time.OffsetDateTime.now();
        transactions.executeWithoutResult(s -> nonces.insert(webhook, "n1", now.minusMinutes(1)));
        transactions.executeWithoutResult(s -> nonces.insert(webhook, "n2", now.plusMinutes(5)));
        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> nonces.insert(webhook, "n2", now.plusMinutes(5))))
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        Integer purged = transactions.execute(s -> nonces.purgeExpired(now));
        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(nonces.exists(webhook, "n1")).isFalse();
        assertThat(nonces.exists(webhook, "n2")).isTrue();
    }

    // --- the identity audit

    static dev.qaengine.controlplane.identity.IdentityAuditRecords.Row auditRow(String orgId, dev.qaengine.model.IdentityRefusal reason,
                                                                               String idType, String idValue, long time, long seq) {
        var audit = new dev.qaengine.model.IdentityAudit(1, orgId, reason, "détail 详情 \"quoted\"", "ONEID", "c-" + seq, idType, idValue,
                List.of("p-1", "p-2"), time, seq);
        return new dev.qaengine.controlplane.identity.IdentityAuditRecords.Row(orgId, audit,
                dev.qaengine.model.IdType.parse(idType).orElse(null), java.util.UUID.randomUUID().toString().replace("-", "")
                + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Test
    void auditRecordsAreStoredOnceListedNewestFirstAndFiltered() {
        String org = java.util.UUID.randomUUID().toString();
        var r1 = auditRow(org, dev.qaengine.model.IdentityRefusal.INVALID_IDENTIFIER, "mobile", "x".repeat(5000), 1000, 0);
        var r2 = auditRow(org, dev.qaengine.model.IdentityRefusal.UNIQUE_TYPE_CONFLICT, "MOBILE", "13800138000", 2000, 3);
        var r3 = auditRow(org, dev.qaengine.model.IdentityRefusal.UNIQUE_TYPE_CONFLICT, "oneid", "c-9", 2000, 4);
        var r4 = auditRow(org, dev.qaengine.model.IdentityRefusal.MALFORMED_MESSAGE, null, null, 3000, 0);
        var now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        var stored = auditService.store(List.of(r1, r2, r3, r4));
        assertThat(stored.added()).isEqualTo(4);
        // the same content again (a replay): not stored twice, on either database
        var again = auditService.store(List.of(r2, r4));
        assertThat(again.added()).isZero();
        assertThat(again.duplicates()).isEqualTo(2);
        Boolean inserted = transactions.execute(s -> auditRepository.insert(r3, now));
        assertThat(inserted).isFalse();

        var all = auditRepository.list(org, dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE, PageRequest.of(0, 10));
        assertThat(all).extracting(e -> e.seq()).containsExactly(0L, 4L, 3L, 0L); // time desc, then seq desc
        assertThat(all.get(3).idValue()).hasSize(5000);
        assertThat(all.get(3).detail()).isEqualTo("détail 详情 \"quoted\"");
        assertThat(all.get(3).persons()).containsExactly("p-1", "p-2");
        assertThat(all.get(3).idType()).as("as sent").isEqualTo("mobile");
        assertThat(all.get(0).idType()).isNull();
        assertThat(all.get(0).receivedAt()).isNotNull();

        var byType = new dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter(null, dev.qaengine.model.IdType.MOBILE, null, null);
        assertThat(auditRepository.list(org, byType, PageRequest.of(0, 10))).extracting(e -> e.time()).containsExactly(2000L, 1000L);
        var byReasonAndTime = new dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter(
                dev.qaengine.model.IdentityRefusal.UNIQUE_TYPE_CONFLICT, null, 2000L, 3000L);
        assertThat(auditRepository.count(org, byReasonAndTime)).isEqualTo(2);
        assertThat(auditRepository.count(org, new dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter(null, null, 1001L, 2000L))).isZero();
        assertThat(auditRepository.list(org, dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE, PageRequest.of(1, 3)))
                .extracting(e -> e.time()).containsExactly(1000L);
        assertThat(auditRepository.count("another-org", dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE)).isZero();
    }

    @Test
    void aRowTheDatabaseRefusesIsAnsweredWhileTheRestOfTheBatchIsStored() {
        String org = java.util.UUID.randomUUID().toString();
        var good = auditRow(org, dev.qaengine.model.IdentityRefusal.INVALID_IDENTIFIER, "email", "a@b", 1000, 0);
        // longer than the column: never produced by IdentityAuditRecords, here to stand for any row the database refuses
        var bad = auditRow("o".repeat(65), dev.qaengine.model.IdentityRefusal.INVALID_IDENTIFIER, "email", "a@b", 1000, 0);
        var stored = auditService.store(List.of(bad, good));
        assertThat(stored.added()).isEqualTo(1);
        assertThat(stored.refused()).containsExactly(bad);
        assertThat(auditRepository.count(org, dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE)).isEqualTo(1);
    }

    @Test
    void auditRecordsOlderThanTheRetentionAreDeletedAndSoAreAnOrganizations() {
        Caller org = newOrg();
        long now = System.currentTimeMillis();
        long day = java.time.Duration.ofDays(1).toMillis();
        auditService.store(List.of(
                auditRow(org.orgId(), dev.qaengine.model.IdentityRefusal.INVALID_IDENTIFIER, "email", "old", now - 31 * day, 0),
                auditRow(org.orgId(), dev.qaengine.model.IdentityRefusal.INVALID_IDENTIFIER, "email", "recent", now - 29 * day, 0)));
        auditService.purge(); // the default retention, 30 days
        var left = auditRepository.list(org.orgId(), dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE, PageRequest.of(0, 10));
        assertThat(left).extracting(e -> e.idValue()).containsExactly("recent");

        Caller platform = tenancyRepository.findCallerByKeyHash(ApiKeys.hash("persistence-bootstrap-key-0123")).orElseThrow();
        tenancy.deleteOrganization(platform, org.orgId());
        assertThat(auditRepository.count(org.orgId(), dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter.NONE)).isZero();
    }

    // --- the journeys engine's counts

    @Autowired
    dev.qaengine.controlplane.journey.JourneyStatsService journeyStats;

    static dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta delta(Caller org, String journeyId, int instance, long checkpoint,
                                                                           long time, Object... counts) {
        List<dev.qaengine.controlplane.journey.JourneyStatsRecords.Count> list = new ArrayList<>();
        for (int i = 0; i < counts.length; i += 3) {
            list.add(new dev.qaengine.controlplane.journey.JourneyStatsRecords.Count((String) counts[i], (String) counts[i + 1], (Long) counts[i + 2]));
        }
        return new dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta(org.orgId(), journeyId,
                org.orgId() + "/" + journeyId + "#" + instance + "@" + checkpoint, time, list);
    }

    static dev.qaengine.controlplane.journey.JourneyBodies.NodeStats nodeStats(String id, NodeType type, String name, long entered, long exited,
                                                                             java.util.Map<String, Long> skipped) {
        return new dev.qaengine.controlplane.journey.JourneyBodies.NodeStats(id, type, name, entered, exited, 0, java.util.Map.of(), skipped);
    }

    long journeyStatsRows(String table, String journeyId) {
        return jdbc.sql("select count(*) from " + table + " where journey_id = ?").param(journeyId).query(Long.class).single();
    }

    @Test
    void statsDeltasAreAddedOnceEachOnlyToTheirJourneyAndGoWithIt() {
        Caller org = newOrg();
        Caller other = newOrg();
        catalog.createChannel(org.orgId(), channel("app"));
        catalog.createEvent(org.orgId(), event("buy", "app"));
        String id = journeys.create(org, waiting("Counted")).id();
        String journey = dev.qaengine.controlplane.journey.JourneyStatsRecords.JOURNEY;
        var none = new dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats(id, JourneyStatus.NOT_STARTED, 0, 0, null, List.of(
                nodeStats("w", NodeType.WAIT, "wait 中文", 0, 0, java.util.Map.of()), nodeStats("end", NodeType.END, null, 0, 0, java.util.Map.of())));
        assertThat(journeyStats.stats(org, id)).as("nothing counted yet").isEqualTo(none);

        long t = 1_795_824_000_000L;
        var first = delta(org, id, 0, 17, t + 5000, journey, "entered", 3L, "w", "entered", 3L, "w", "exited", 2L,
                "w", "skipped:EMPTY_VARIABLE:名字", 1L, "ghost", "entered", 7L);
        var second = delta(org, id, 1, 17, t, journey, "entered", 1L, journey, "ended", 2L, "w", "entered", 1L, "end", "entered", 2L,
                "end", "exited", 2L);
        // the same journey named under another organization, and a journey that does not exist
        var elsewhere = new dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta(other.orgId(), id, other.orgId() + "/" + id + "#0@17",
                t, List.of(new dev.qaengine.controlplane.journey.JourneyStatsRecords.Count(journey, "entered", 50L)));
        var unknown = delta(org, java.util.UUID.randomUUID().toString(), 0, 17, t, journey, "entered", 50L);
        var applied = journeyStats.apply(List.of(first, first, elsewhere, unknown, second));
        assertThat(applied).isEqualTo(new dev.qaengine.controlplane.journey.JourneyStatsService.Applied(2, 1, 2));
        assertThat(journeyStats.apply(List.of(second, first))).as("delivered again")
                .isEqualTo(new dev.qaengine.controlplane.journey.JourneyStatsService.Applied(0, 2, 0));

        var counted = journeyStats.stats(org, id);
        assertThat(counted).isEqualTo(new dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats(id, JourneyStatus.NOT_STARTED, 4, 2,
                java.time.OffsetDateTime.parse("2026-11-28T00:00:05Z"), List.of(
                nodeStats("w", NodeType.WAIT, "wait 中文", 4, 2, java.util.Map.of("EMPTY_VARIABLE:名字", 1L)),
                nodeStats("end", NodeType.END, null, 2, 2, java.util.Map.of()))));
        assertThat(journeyStatsRows("journey_stats", id)).as("no row for the node the definition does not have").isEqualTo(7);
        assertThat(jdbc.sql("select count(*) from journey_stats where organization_id = ?").param(other.orgId()).query(Long.class).single()).isZero();

        // a counter stops at the largest bigint rather than failing the batch
        journeyStats.apply(List.of(delta(org, id, 0, 18, t, "end", "entered", Long.MAX_VALUE - 1)));
        journeyStats.apply(List.of(delta(org, id, 0, 19, t, "end", "entered", 5L)));
        assertThat(journeyStats.stats(org, id).nodes().get(1).entered()).isEqualTo(Long.MAX_VALUE);
        assertThat(journeyStats.stats(org, id).updatedAt()).as("an older delta does not move it back")
                .isEqualTo(java.time.OffsetDateTime.parse("2026-11-28T00:00:05Z"));

        // one row per source of deltas (an engine instance's run), holding its last checkpoint: an older one is not added
        assertThat(jdbc.sql("select source || '@' || last_checkpoint from journey_stats_source where journey_id = ? order by source")
                .param(id).query(String.class).list())
                .containsExactly(org.orgId() + "/" + id + "#0@19", org.orgId() + "/" + id + "#1@17");
        assertThat(journeyStats.apply(List.of(delta(org, id, 0, 18, t, "end", "entered", 5L))))
                .isEqualTo(new dev.qaengine.controlplane.journey.JourneyStatsService.Applied(0, 1, 0));
        // a source that sent nothing for the retention (30 days by default) is forgotten
        jdbc.sql("update journey_stats_source set applied_at = ? where source = ?")
                .params(java.time.OffsetDateTime.now().minusDays(31), org.orgId() + "/" + id + "#1").update();
        journeyStats.purge();
        assertThat(jdbc.sql("select source from journey_stats_source where journey_id = ?").param(id).query(String.class).list())
                .containsExactly(org.orgId() + "/" + id + "#0");

        // counts go with their journey, and with their organization's journeys
        journeys.delete(org, id);
        assertThat(journeyStatsRows("journey_stats", id)).isZero();
        assertThat(journeyStatsRows("journey_stats_source", id)).isZero();
        String again = journeys.create(org, waiting("Counted again")).id();
        journeyStats.apply(List.of(delta(org, again, 0, 1, t, "w", "entered", 1L)));
        assertThat(journeyStatsRows("journey_stats", again)).isEqualTo(1);
        Caller platform = tenancyRepository.findCallerByKeyHash(ApiKeys.hash("persistence-bootstrap-key-0123")).orElseThrow();
        tenancy.deleteOrganization(platform, org.orgId());
        assertThat(journeyStatsRows("journey_stats", again)).isZero();
        assertThat(journeyStatsRows("journey_stats_source", again)).isZero();
    }

    // --- the journeys engine's trace

    @Autowired
    dev.qaengine.controlplane.journey.JourneyTraceService journeyTrace;
    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    /** A trace step as the engine writes it: {@code fields} the members after "personId", {@code time} its wall clock. */
    dev.qaengine.controlplane.journey.JourneyTraceRecords.Step traceStep(String orgId, String journeyId, String personId, long time, String fields) {
        String record = "{\"v\":1,\"orgId\":\"%s\",\"journeyId\":\"%s\",\"planVersion\":1,\"personId\":\"%s\",\"time\":%d,%s}"
                .formatted(orgId, journeyId, personId, time, fields);
        var parsed = new dev.qaengine.controlplane.journey.JourneyTraceRecords(json).parse(record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(parsed.problem()).as(record).isNull();
        return parsed.value();
    }

    long traceRows(String journeyId) {
        return jdbc.sql("select count(*) from journey_trace where journey_id = ?").param(journeyId).query(Long.class).single();
    }

    @Test
    void traceStepsAreStoredOnceOnlyForTheirJourneyAndGoAfterTheRetentionAndWithTheirJourney() {
        Caller org = newOrg();
        Caller other = newOrg();
        catalog.createChannel(org.orgId(), channel("app"));
        catalog.createEvent(org.orgId(), event("buy", "app"));
        String id = journeys.create(org, waiting("Traced")).id();
        long now = System.currentTimeMillis();
        long t = 1_795_824_000_000L;
        long day = 86_400_000L;
        String longReason = "x\\u0000".repeat(3000);
        var entered = traceStep(org.orgId(), id, "ONEID:c-9", now - day,
                "\"runId\":\"r1\",\"step\":\"ENTERED\",\"eventId\":\"e1\",\"reason\":\"met the trigger\",\"at\":" + t);
        var waiting = traceStep(org.orgId(), id, "ONEID:c-9", now - 8 * day,
                "\"runId\":\"r1\",\"step\":\"WAITING\",\"nodeId\":\"w\",\"nodeType\":\"WAIT\",\"reason\":\"" + longReason + "\",\"at\":" + t);
        var refused = traceStep(org.orgId(), id, "ONEID:c-9", now, "\"step\":\"NOT_ENTERED\",\"eventId\":\"e2\",\"reason\":\"participation limit\",\"at\":" + (t + 5));
        // written again after a restore: only its time differs
        var enteredAgain = traceStep(org.orgId(), id, "ONEID:c-9", now, "\"runId\":\"r1\",\"step\":\"ENTERED\",\"eventId\":\"e1\","
                + "\"reason\":\"met the trigger\",\"at\":" + t);
        // a journey that does not exist, and this journey named under another organization
        var unknown = traceStep(org.orgId(), java.util.UUID.randomUUID().toString(), "p1", now, "\"runId\":\"r9\",\"step\":\"ENTERED\",\"at\":" + t);
        var elsewhere = traceStep(other.orgId(), id, "p1", now, "\"runId\":\"r9\",\"step\":\"ENTERED\",\"at\":" + t);
        var stored = journeyTrace.store(List.of(entered, waiting, enteredAgain, unknown, refused, elsewhere));
        assertThat(stored).isEqualTo(new dev.qaengine.controlplane.journey.JourneyTraceService.Stored(3, 1, 2, List.of()));
        assertThat(journeyTrace.store(List.of(refused, enteredAgain, waiting, unknown))).as("delivered again")
                .isEqualTo(new dev.qaengine.controlplane.journey.JourneyTraceService.Stored(0, 3, 1, List.of()));
        assertThat(traceRows(id)).isEqualTo(3);
        assertThat(jdbc.sql("select count(*) from journey_trace where organization_id = ?").param(other.orgId()).query(Long.class).single()).isZero();

        var trace = journeyTrace.trace(org, id, "ONEID:c-9", null);
        assertThat(trace.runs()).hasSize(1);
        var run = trace.runs().get(0);
        assertThat(run.triggerEventId()).isEqualTo("e1");
        assertThat(run.enteredAtMs()).isEqualTo(t);
        assertThat(run.waitingAt()).isEqualTo("w");
        assertThat(run.steps()).extracting(s -> s.step() + " " + s.nodeId() + " " + s.nodeName())
                .containsExactly("ENTERED null null", "WAITING w wait 中文");
        assertThat(run.steps().get(0).reason()).isEqualTo("met the trigger");
        assertThat(run.steps().get(1).reason()).as("prose is cut, NUL dropped").hasSize(2000).startsWith("xxx").endsWith("…");
        assertThat(trace.refused()).extracting(r -> r.eventId() + " " + r.reason() + " " + r.atMs()).containsExactly("e2 participation limit " + (t + 5));
        assertThatThrownBy(() -> journeyTrace.trace(other, id, "ONEID:c-9", null)).as("another organization's journey")
                .isInstanceOf(ApiException.class).hasMessage("journey '" + id + "' does not exist");

        // the retention (7 days by default) goes by the time the engine wrote a step: only the WAITING step is older
        journeyTrace.purge();
        assertThat(jdbc.sql("select step from journey_trace where journey_id = ? order by id").param(id).query(String.class).list())
                .containsExactly("ENTERED", "NOT_ENTERED");
        assertThat(journeyTrace.trace(org, id, "ONEID:c-9", null).runs().get(0).waitingAt()).isNull();

        // steps go with their journey
        journeys.delete(org, id);
        assertThat(traceRows(id)).isZero();
    }
}
