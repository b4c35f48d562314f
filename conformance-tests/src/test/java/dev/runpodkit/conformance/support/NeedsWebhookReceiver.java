package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The check needs the target to call the suite's {@link WebhookReceiver}: always true of the embedded mock;
 * a real endpoint needs the receiver behind a tunnel ({@code runpod.webhookPublicUrl}, {@code runpod.webhookPort}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NeedsWebhookReceiver {
}
