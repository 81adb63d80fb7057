package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentitySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static dev.qaengine.controlplane.support.ControlRecords.payload;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

class IdentitySettingsApiTest extends ControlPlaneTest {

    @Test
    void theDefaultsUntilSetThenWhatWasSet() {
        Org org = newOrg();
        Api.Response defaults = key(org, "ANALYST").get("/api/v1/identity-settings");
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.json().get("uniqueIdTypes")).extracting(n -> n.asString()).containsExactly("ONEID");
        assertThat(defaults.json().get("maxIdentifiersPerPerson").asInt()).isEqualTo(50);
        assertThat(defaults.json().get("defaults").asBoolean()).isTrue();
        assertThat(defaults.json().get("updatedAt").isNull()).isTrue();

        Api.Response put = key(org, "DEVELOPER").put("/api/v1/identity-settings",
                "{\"uniqueIdTypes\":[\"ONEID\",\"MOBILE\"],\"maxIdentifiersPerPerson\":1000}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("defaults").asBoolean()).isFalse();
        assertThat(org.admin().get("/api/v1/identity-settings").json()).isEqualTo(put.json());

        assertThat(org.admin().put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[],\"maxIdentifiersPerPerson\":1}").status()).isEqualTo(200);
        Api.Response none = org.admin().get("/api/v1/identity-settings");
        assertThat(none.json().get("uniqueIdTypes")).isEmpty();
        assertThat(none.json().get("maxIdentifiersPerPerson").asInt()).isEqualTo(1);
    }

    @Test
    void everyChangeIsPublishedAndDeletingTheOrganizationTombstonesIt() {
        Org org = newOrg();
        org.admin().put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[\"ONEID\"],\"maxIdentifiersPerPerson\":20}");
        org.admin().put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[\"OPEN_ID\",\"UNION_ID\"],\"maxIdentifiersPerPerson\":30}");

        var records = await(ControlKind.IDENTITY_SETTINGS, org.id(),
                r -> r != null && payload(r, IdentitySettings.class).maxIdentifiersPerPerson() == 30);
        assertThat(records).hasSize(2);
        ControlRecord last = read(records.get(1));
        assertThat(last.subject()).isEqualTo(org.id());
        assertThat(last.version()).isGreaterThan(read(records.get(0)).version());
        assertThat(payload(last, IdentitySettings.class))
                .isEqualTo(new IdentitySettings(org.id(), List.of(IdType.OPEN_ID, IdType.UNION_ID), 30));

        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);
        await(ControlKind.IDENTITY_SETTINGS, org.id(), r -> r == null);
    }

    @Test
    void invalidSettingsNameTheField() {
        Api api = newOrg().admin();
        for (String[] c : new String[][]{
                {"{\"uniqueIdTypes\":[\"ONEID\"],\"maxIdentifiersPerPerson\":0}", "maxIdentifiersPerPerson"},
                {"{\"uniqueIdTypes\":[\"ONEID\"],\"maxIdentifiersPerPerson\":1001}", "maxIdentifiersPerPerson"},
                {"{\"uniqueIdTypes\":[\"ONEID\"]}", "maxIdentifiersPerPerson"},
                {"{\"maxIdentifiersPerPerson\":5}", "uniqueIdTypes"},
                {"{\"uniqueIdTypes\":[\"ONEID\",\"PHONE\"],\"maxIdentifiersPerPerson\":5}", "uniqueIdTypes[1]"},
                {"{\"uniqueIdTypes\":[\"MOBILE\",null],\"maxIdentifiersPerPerson\":5}", "uniqueIdTypes[1]"},
                {"{\"uniqueIdTypes\":[\"MOBILE\",\"EMAIL\",\"MOBILE\"],\"maxIdentifiersPerPerson\":5}", "uniqueIdTypes[2]"}}) {
            Api.Response r = api.put("/api/v1/identity-settings", c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r).isEqualTo(422);
            assertThat(r.text("/field")).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(api.get("/api/v1/identity-settings").json().get("defaults").asBoolean()).isTrue();
    }

    @Test
    void analystsReadButDoNotWrite() {
        Org org = newOrg();
        Api.Response r = key(org, "ANALYST").put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[],\"maxIdentifiersPerPerson\":5}");
        assertThat(r.status()).isEqualTo(403);
    }
}
