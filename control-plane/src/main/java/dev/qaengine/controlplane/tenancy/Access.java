package dev.qaengine.controlplane.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an endpoint needs. An /api handler without it is treated as ADMIN-only, so a
 * forgotten annotation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {
    Role value();

    /** Operator-only endpoints (organizations): the key must also be flagged platform-admin. */
    boolean platformAdmin() default false;
}
