package dev.runpodkit.conformance.target;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The mock's admin API, for checks marked {@code @NeedsAdmin}: look inside a job, change settings for one
 * check (and put them back), inject faults. Never used against a real endpoint. Every answer passes the
 * suite's schema filter (schemas/json/admin-*.schema.json), like the endpoint's own answers.
 */
public final class MockAdmin {

    private final Target target;

    public MockAdmin(Target target) {
        if (!target.hasAdmin()) {
            throw new IllegalStateException("the target has no admin API (mark the check @NeedsAdmin)");
        }
        this.target = target;
    }

    /** GET /__admin/jobs/{id}: {status: <payload>, delivered: <job as its worker got it>, ...} */
    public Response job(String id) {
        return target.givenWithoutAuth().get(target.adminUrl("/jobs/" + id));
    }

    public Response settings() {
        return target.givenWithoutAuth().get(target.adminUrl("/settings"));
    }

    /** PATCH /__admin/settings with a JSON object of the settings to change; returns the new settings. */
    public Response patchSettings(String json) {
        Response r = target.givenWithoutAuth().body(json).patch(target.adminUrl("/settings"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the mock refused settings " + json + ": " + r.asString());
        }
        return r;
    }

    /**
     * Changes settings for the duration of {@code body} and puts the changed keys back afterwards, so one
     * check's configuration never leaks into the next.
     */
    public void withSettings(String json, Runnable body) {
        Response before = settings();
        patchSettings(json);
        try {
            body.run();
        } finally {
            StringBuilder restore = new StringBuilder("{");
            io.restassured.path.json.JsonPath old = before.jsonPath();
            tools.jackson.databind.JsonNode changed = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
            for (String key : changed.propertyNames()) {
                Object value = old.get(key);
                if (restore.length() > 1) {
                    restore.append(',');
                }
                restore.append('"').append(key).append("\":").append(toJson(value));
            }
            restore.append('}');
            patchSettings(restore.toString());
        }
    }

    private static String toJson(Object value) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value);
    }

    /** Stops the mock's clock: nothing time-based happens until {@link #resume()} or an advance. */
    public void freeze() {
        target.givenWithoutAuth().post(target.adminUrl("/clock/freeze")).then().statusCode(200);
    }

    public void resume() {
        target.givenWithoutAuth().post(target.adminUrl("/clock/resume")).then().statusCode(200);
    }

    /**
     * Runs {@code body} with the mock's clock stopped, so that only {@link TargetTime#pass} moves it: what a
     * check sees then cannot depend on how fast the machine runs the check. The clock is left running, or
     * frozen, as it was found. Checks use it through {@link TargetTime#hold}.
     */
    public void withFrozenClock(Runnable body) {
        boolean wasFrozen = target.givenWithoutAuth().get(target.adminUrl("/clock")).jsonPath().getBoolean("frozen");
        target.givenWithoutAuth().post(target.adminUrl("/clock/freeze")).then().statusCode(200);
        try {
            body.run();
        } finally {
            if (!wasFrozen) {
                target.givenWithoutAuth().post(target.adminUrl("/clock/resume")).then().statusCode(200);
            }
        }
    }

    /** The next {@code count} client requests answer 500. */
    public void armFaults(int count) {
        target.givenWithoutAuth().post(target.adminUrl("/faults?count=" + count)).then().statusCode(200);
    }

    /** Forgets every job and restarts the pools. */
    public void reset() {
        target.givenWithoutAuth().post(target.adminUrl("/reset")).then().statusCode(200);
    }
}
