package dev.runpodkit.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** URLs made fit to show: user-info and credential-looking query values go, everything else stays. */
class RedactionTest {

    @Test
    void aUrlWithoutCredentialsIsUnchanged() {
        for (String url : new String[] {"http://127.0.0.1:9000", "https://s3.example.com/base/", "http://h/p?page=2&x=y#f",
                "http://[::1]:8080/hook", "mailto:someone@example.com"}) {
            assertEquals(url, Redaction.url(url));
        }
        assertNull(Redaction.url((String) null));
    }

    @Test
    void userInfoBecomesStars() {
        assertEquals("http://***@127.0.0.1:1", Redaction.url("http://user:SUPERSECRET123@127.0.0.1:1"));
        assertEquals("https://***@host/p?q=1", Redaction.url("https://only-a-token@host/p?q=1"));
        assertEquals("http://***@host/", Redaction.url("http://us%40er:p%3Aw@host/"));
        assertEquals("http://***@host", Redaction.url("http://user:pw@host"));
    }

    @Test
    void userInfoGoesEvenWhenJavaCannotParseTheHost() {
        // an underscore makes the authority registry-based: URI.getUserInfo() is null there
        assertEquals("http://***@my_host:9000/b", Redaction.url("http://user:SECRET@my_host:9000/b"));
    }

    @Test
    void textThatIsNoUrlLosesEverythingBeforeTheLastAt() {
        String redacted = Redaction.url("http://user:pa ss/wo@rd@host:1/x y");
        assertFalse(redacted.contains("pa ss") || redacted.contains("wo@rd"), redacted);
        assertEquals("http://***@host:1/x y", redacted);
    }

    @Test
    void credentialLookingQueryValuesBecomeStars() {
        String presigned = "https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z"
                + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok";
        assertEquals("https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
                + "&X-Amz-Date=20250101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=***"
                + "&X-Amz-Security-Token=***", Redaction.url(presigned));
        assertEquals("http://h/hook?token=***&id=7&api_key=***&sig=***&password=***",
                Redaction.url("http://h/hook?token=t1&id=7&api_key=k2&sig=s3&password=p4"));
    }
}
